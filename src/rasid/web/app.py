"""The analyst's workbench: one FastAPI application, pages and API, fully offline.

``create_app(config)`` builds it; ``rasid serve`` runs it with uvicorn. Every
script, style and map layer is served from this package (and the npm
``world-atlas`` file read on the server); nothing is fetched from elsewhere,
and FastAPI's own documentation pages (which load code from a CDN) are off:
the API is described at ``/openapi.json``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

import anyio.to_thread
import jinja2
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from rasid import __version__
from rasid.errors import NotFoundError, QueryError, RasidError, StoreError
from rasid.web import api, pages
from rasid.web.balance import ConnectionBalancer, LoadBoard
from rasid.web.cache import ResultCache
from rasid.web.config import WebConfig
from rasid.web.db import Stores
from rasid.web.deps import Workbench
from rasid.web.i18n import LANG_COOKIE, direction, pick, translator
from rasid.web.jobs import IngestFn, JobQueue
from rasid.web.render import inert, readable, visible_controls
from rasid.web.review import ReviewError
from rasid.web.security import GuardMiddleware, Scope, _cookies, _headers
from rasid.web.uploads import UnsupportedUpload

_PACKAGE = resources.files("rasid.web")


def templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_PACKAGE / "templates")),
        autoescape=True,  # every template, whatever its name
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates ship inside the package and do not change while serving:
        # no stat() of every template file on every render.
        auto_reload=False,
    )
    env.filters["inert"] = inert
    env.filters["visible"] = visible_controls
    env.filters["readable"] = readable
    return env


def _status_of(exc: RasidError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, UnsupportedUpload):
        return 415
    if isinstance(exc, QueryError | ReviewError):
        return 422
    if isinstance(exc, StoreError):
        return 503
    return 400


def _is_page(request: Request) -> bool:
    path = request.url.path
    return not path.startswith("/api/") and path != "/openapi.json"


def create_app(config: WebConfig, *, ingest: IngestFn | None = None) -> FastAPI:
    """The application for one knowledge base file (``ingest`` replaces the workflow in tests)."""
    config.check()
    env = templates()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Pages and API routes are plain functions, run in anyio's thread pool:
        # its size is how many requests are worked on at once.
        anyio.to_thread.current_default_thread_limiter().total_tokens = config.threads
        yield
        bench.jobs.close()
        bench.stores.close()
        if board is not None:
            board.close()

    app = FastAPI(
        title="rasid",
        version=__version__,
        description="HTTP API of the rasid knowledge base (Arabic conflict reporting).",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    bench = Workbench(
        config=config,
        stores=Stores(config.db_path),
        jobs=JobQueue(config.db_path, ingest, state_dir=config.jobs_dir),
        templates=env,
        cache=ResultCache(config.db_path, enabled=config.cache),
        # Pages weigh up to ~150 kB: fewer of them are kept.
        pages=ResultCache(config.db_path, maxsize=512, enabled=config.cache),
    )
    app.state.workbench = bench
    board = None
    if config.balance_dir is not None:
        config.balance_dir.mkdir(parents=True, exist_ok=True)
        board = LoadBoard(config.balance_dir)
    app.state.config = config

    def error_page(request: Request, status: int, message: str) -> Response:
        if not _is_page(request):
            return JSONResponse({"detail": message}, status_code=status)
        return pages.render(request, "error.html", {"status": status, "message": message}, status)

    @app.exception_handler(RasidError)
    async def rasid_error(request: Request, exc: RasidError) -> Response:
        return error_page(request, _status_of(exc), exc.message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        response = error_page(request, exc.status_code, str(exc.detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        if not _is_page(request):
            detail = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in errors]
            return JSONResponse({"detail": detail}, status_code=422)
        message = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in errors
        )
        return error_page(request, 422, message)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(_PACKAGE / "static")), name="static")

    def render_login(scope: Scope, status: int, detail: str) -> bytes:
        headers = _headers(scope)
        cookies = _cookies(headers)
        query = dict(
            part.split("=", 1)
            for part in scope.get("query_string", b"").decode().split("&")
            if "=" in part
        )
        lang = pick(query.get("lang") or cookies.get(LANG_COOKIE))
        page = env.get_template("login.html").render(
            lang=lang,
            dir=direction(lang),
            t=translator(lang),
            message=detail,
            csrf_token=scope["state"]["csrf_token"],
            token_required=True,
            path="/login",
            other_lang_url="/login?lang=" + ("en" if lang == "ar" else "ar"),
            reviewer="",
            status=status,
        )
        return page.encode("utf-8")

    app.add_middleware(GuardMiddleware, config=config, render_login=render_login)
    if board is not None:
        app.add_middleware(ConnectionBalancer, board=board)
    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn rasid.web.app:app_from_env --factory``.

    Reads the whole configuration from ``RASID_WEB_CONFIG`` (what ``rasid
    serve --workers N`` gives each worker process), or else RASID_DB and
    RASID_TOKEN.
    """
    import os
    from pathlib import Path

    from rasid.link.expand import load_catalogues

    if os.environ.get(CONFIG_ENV):
        config = WebConfig.from_json(os.environ[CONFIG_ENV])
    else:
        config = WebConfig(
            db_path=Path(os.environ.get("RASID_DB", "rasid.db")),
            token=os.environ.get("RASID_TOKEN") or None,
        )
    app = create_app(config)
    load_catalogues()  # a serving process: before the first request, not during it
    return app


#: The environment variable a server's worker processes read their configuration from.
CONFIG_ENV = "RASID_WEB_CONFIG"


__all__ = ["CONFIG_ENV", "WebConfig", "app_from_env", "create_app", "templates"]
