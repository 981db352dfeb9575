"""The HTML pages: server-rendered, Arabic right-to-left by default, no inline script.

Forms post back with the CSRF token as a hidden field and are answered with a
redirect (post/redirect/get), so reloading a page never repeats a decision.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import quote, unquote, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from rasid.model import CERTAINTIES
from rasid.web import queries, review, views
from rasid.web.api import FiltersDep, start_ingest
from rasid.web.charts import figures_chart, figures_from, network_chart
from rasid.web.deps import BenchDep, PageDep, ReaderDep, language, paging
from rasid.web.i18n import LANG_COOKIE, certainty_label, direction, translator, type_label
from rasid.web.render import Mark, highlight, inert, safe_url, snippet_html
from rasid.web.security import SESSION_COOKIE, require_csrf, session_value, token_matches
from rasid.web.svgmap import Point, base_map, render_map

router = APIRouter(include_in_schema=False)
REVIEWER_COOKIE = "rasid_reviewer"
#: Statements and sources listed on an entity page (all of them are in the API).
ENTITY_PAGE_ITEMS = 100
MENTION_CLASSES = (
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "FACILITY",
    "NORP",
    "ROLE",
    "DATE",
    "QUANTITY",
    "PERCENT",
    "EVENT",
    "MISC",
)


# Rendered pages are cached with these marks where the per-browser values go
# (random per process, so no stored text can forge them).
_CSRF_MARK = f"csrf-{secrets.token_hex(16)}"
_REVIEWER_MARK = f"reviewer-{secrets.token_hex(16)}"


def _page_text(
    request: Request, template: str, context: dict[str, Any], *, csrf: str, reviewer: str
) -> str:
    lang = language(request)
    env = request.app.state.workbench.templates
    text: str = env.get_template(template).render(
        request=request,
        lang=lang,
        dir=direction(lang),
        t=translator(lang),
        type_label=lambda v: type_label(lang, v),
        certainty_label=lambda v: certainty_label(lang, v),
        csrf_token=csrf,
        token_required=request.app.state.workbench.config.token is not None,
        reviewer=reviewer,
        path=request.url.path,
        certainty_options=_certainty_options(lang),
        other_lang_url=_with_params(request, lang="en" if lang == "ar" else "ar"),
        **context,
    )
    return text


def _respond(request: Request, text: str, status: int) -> HTMLResponse:
    response = HTMLResponse(text, status_code=status)
    if request.query_params.get("lang") in ("ar", "en"):
        lang = language(request)
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", httponly=True, max_age=31536000)
    return response


def _reviewer(request: Request) -> str:
    return unquote(request.cookies.get(REVIEWER_COOKIE, ""))


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    text = _page_text(
        request, template, context, csrf=request.state.csrf_token, reviewer=_reviewer(request)
    )
    return _respond(request, text, status)


def render_cached(
    request: Request, template: str, build: Callable[[], dict[str, Any]]
) -> HTMLResponse:
    """A page for this URL and language from the page cache (stale after any write).

    The page is rendered once with marks where the browser's CSRF token and
    reviewer name go, and those are filled in for each request.
    """
    bench = request.app.state.workbench
    key = ("page", template, request.url.path, request.url.query, language(request))
    text = bench.pages.get(
        key,
        lambda: _page_text(request, template, build(), csrf=_CSRF_MARK, reviewer=_REVIEWER_MARK),
    )
    text = text.replace(_CSRF_MARK, request.state.csrf_token)
    text = text.replace(_REVIEWER_MARK, str(escape(_reviewer(request))))
    return _respond(request, text, 200)


@lru_cache(maxsize=4)
def _certainty_options(lang: str) -> Markup:
    """The certainty choices of every review form, built once per language."""
    options = ['<option value="">—</option>']
    options += [
        f'<option value="{c}">{escape(certainty_label(lang, c))}</option>' for c in CERTAINTIES
    ]
    return Markup("".join(options))


def _with_params(request: Request, **changes: Any) -> str:
    params = dict(request.query_params)
    params.update({k: str(v) for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        params.pop(key, None)
    return f"{request.url.path}?{urlencode(params)}"


def _back(target: str | None, fallback: str) -> str:
    """A local path to go back to (never another site: no scheme, no //host)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


# --------------------------------------------------------------------------- search


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    bench: BenchDep,
    store: ReaderDep,
    page: PageDep,
    filters: FiltersDep,
    q: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    def build() -> dict[str, Any]:
        # The page needs to know whether a next page exists, not how many matches
        # there are in all: counting them would double the cost of a search.
        result = bench.search(store, q, filters, page.limit, page.offset, exact_total=False)
        items = [
            {
                **item,
                "html": snippet_html(
                    item["snippet"] or "", item["snippet_start"], item["highlights"]
                ),
            }
            for item in result["items"]
        ]
        result = {**result, "items": items}
        next_offset = page.offset + page.limit if result["more"] else None
        previous_offset = max(0, page.offset - page.limit) if page.offset > 0 else None
        return {
            "result": result,
            "filters": filters,
            "q": q,
            "types": queries.ENTITY_TYPES,
            "certainties": CERTAINTIES,
            "next_url": None if next_offset is None else _with_params(request, offset=next_offset),
            "previous_url": None
            if previous_offset is None
            else _with_params(request, offset=previous_offset),
            "stats": store.stats() if not q and not result["items"] else None,
        }

    return render_cached(request, "search.html", build)


# --------------------------------------------------------------------------- documents


def mention_latin(value: dict[str, Any]) -> str | None:
    """A Latin form the pipeline put on a mention: romanised name, actor or place name."""
    name = value.get("name")
    if isinstance(name, dict) and name.get("latin"):
        latin = name["latin"]
        return str(latin[0] if isinstance(latin, list) else latin)
    for key in ("actor", "geo"):
        item = value.get(key)
        if isinstance(item, dict) and item.get("name_en"):
            return str(item["name_en"])
    return None


def _mention_marks(mentions: list[dict[str, Any]], entities: dict[str, Any]) -> list[Mark]:
    marks = []
    for m in mentions:
        css = f"m m-{m['type'].lower()}" if m["type"] in MENTION_CLASSES else "m m-misc"
        entity = entities.get(m["entity_id"]) if m["entity_id"] else None
        title = m["type"]
        latin = mention_latin(m.get("value") or {}) or (entity or {}).get("label_latin")
        if latin:
            title += f" · {latin}"
        href = f"/entities/{m['entity_id']}" if entity else None
        marks.append(Mark(m["start"], m["end"], css, title, href))
    return marks


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, bench: BenchDep, store: ReaderDep, doc_id: str) -> HTMLResponse:
    def build() -> dict[str, Any]:
        view = bench.document(store, doc_id)
        marks = _mention_marks(view["mentions"], view["entities"])
        text = view["document"]["text"]
        previous_end = 0
        sentences = []
        for sentence in view["sentences"]:
            gap = text[previous_end : sentence["start"]]
            sentences.append(
                {
                    **sentence,
                    "paragraph": "\n\n" in gap or (sentence["index"] > 0 and "\n" in gap),
                    "html": highlight(sentence["text"], sentence["start"], marks),
                }
            )
            previous_end = sentence["end"]
        view = {**view, "sentences": sentences, "title_html": inert(view["document"]["title"])}
        present = sorted({m["type"] for m in view["mentions"]})
        return {
            "view": view,
            "doc": view["document"],
            "source_link": safe_url(view["document"]["source_uri"]),
            "legend": present,
            "certainties": CERTAINTIES,
            "back": request.url.path,
        }

    return render_cached(request, "document.html", build)


# --------------------------------------------------------------------------- entities


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request,
    store: ReaderDep,
    page: PageDep,
    q: Annotated[str, Query(max_length=200)] = "",
    type: Annotated[str | None, Query(pattern=r"^([A-Z_]{2,20})?$")] = None,
) -> HTMLResponse:
    total, items = queries.search_entities(
        store, q, entity_type=type or None, limit=page.limit, offset=page.offset
    )
    for item in items:
        item["label_latin"] = views.latin_name(item)
    nav = paging(total, page.limit, page.offset)
    return render(
        request,
        "entities.html",
        {
            "items": items,
            "total": total,
            "q": q,
            "type": type,
            "types": queries.ENTITY_TYPES,
            **_page_links(request, nav),
        },
    )


def _page_links(request: Request, nav: dict[str, Any]) -> dict[str, str | None]:
    """Next/previous page URLs: this page's parameters with another offset."""
    return {
        f"{side}_url": None
        if nav[f"{side}_offset"] is None
        else _with_params(request, offset=nav[f"{side}_offset"])
        for side in ("next", "previous")
    }


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(
    request: Request, bench: BenchDep, store: ReaderDep, entity_id: str
) -> HTMLResponse:
    def build() -> dict[str, Any]:
        view = bench.entity(store, entity_id)
        lang = language(request)
        t = translator(lang)
        entity = view["entity"]
        figures = figures_from(view["statements"])
        points = [
            Point(
                p["lat"],
                p["lon"],
                p["label"],
                None if p["self"] else f"/entities/{p['id']}",
                highlight=p["self"],
            )
            for p in view["places"]
        ]
        return {
            "view": view,
            "entity": entity,
            "chart": figures_chart(figures, title=t("strength_chart")) if figures else Markup(""),
            "map": render_map(points, title=t("map")) if points else Markup(""),
            "map_available": base_map().available,
            "shown": ENTITY_PAGE_ITEMS,
            "network_svg": network_chart(entity, view["network"], title=t("network"))
            if view["network"]
            else Markup(""),
            "certainties": CERTAINTIES,
            "back": request.url.path,
        }

    return render_cached(request, "entity.html", build)


# --------------------------------------------------------------------------- review


def _remember_reviewer(response: Response, author: str) -> Response:
    # Cookies are Latin-1 on the wire: an Arabic name travels percent-encoded.
    response.set_cookie(
        REVIEWER_COOKIE, quote(author[:100]), samesite="strict", httponly=True, max_age=31536000
    )
    return response


@router.post("/review/statement/{statement_id}", dependencies=[Depends(require_csrf)])
def review_statement(
    bench: BenchDep,
    store: ReaderDep,
    statement_id: str,
    action: Annotated[str, Form(pattern="^(accept|reject|edit)$")],
    author: Annotated[str, Form(min_length=1, max_length=100)],
    value: Annotated[str, Form(max_length=1000)] = "",
    certainty: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    payload: dict[str, Any] = {"note": note or None}
    if action == "edit":
        payload.update(value=value or None, certainty=certainty or None)
    decision = review.check(store, review.Decision(action, (statement_id,), author, payload))
    review.record(bench.stores.writer, decision)
    target = _back(back, "/review") + f"#st-{statement_id}"
    return _remember_reviewer(RedirectResponse(target, status_code=303), author)


@router.post("/review/entity/{entity_id}", dependencies=[Depends(require_csrf)])
def review_entity(
    bench: BenchDep,
    store: ReaderDep,
    entity_id: str,
    action: Annotated[str, Form(pattern="^(merge|split|not_same)$")],
    author: Annotated[str, Form(min_length=1, max_length=100)],
    other_id: Annotated[str, Form(max_length=200)] = "",
    mention_ids: Annotated[list[str] | None, Form()] = None,
    note: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    payload: dict[str, Any] = {"note": note or None}
    targets: tuple[str, ...] = (entity_id,)
    if action in ("merge", "not_same"):
        targets = (entity_id, other_id.strip())
        if action == "merge":
            payload["into"] = entity_id
    else:
        payload["mention_ids"] = mention_ids or []
    decision = review.check(store, review.Decision(action, targets, author, payload))
    review.record(bench.stores.writer, decision)
    target = _back(back, f"/entities/{entity_id}") + "#judgements"
    return _remember_reviewer(RedirectResponse(target, status_code=303), author)


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, store: ReaderDep, page: PageDep) -> HTMLResponse:
    total, items = queries.list_judgements(
        store, kind=None, target=None, limit=page.limit, offset=page.offset
    )
    nav = paging(total, page.limit, page.offset)
    return render(
        request,
        "review.html",
        {
            "items": items,
            "total": total,
            **_page_links(request, nav),
        },
    )


# --------------------------------------------------------------------------- ingest, export


@router.get("/ingest", response_class=HTMLResponse)
def ingest_page(request: Request, bench: BenchDep) -> HTMLResponse:
    return render(request, "ingest.html", {"job": None, "limit": bench.config.max_upload_bytes})


@router.post("/ingest", dependencies=[Depends(require_csrf)])
async def ingest_submit(request: Request, bench: BenchDep) -> Response:
    started = await start_ingest(request, bench)
    return RedirectResponse(f"/ingest/{started['job_id']}", status_code=303)


@router.get("/ingest/{job_id}", response_class=HTMLResponse)
def ingest_job_page(request: Request, bench: BenchDep, job_id: str) -> HTMLResponse:
    job = bench.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no ingest job {job_id!r}")
    return render(
        request, "ingest.html", {"job": job.to_dict(), "limit": bench.config.max_upload_bytes}
    )


@router.get("/export", response_class=HTMLResponse)
def export_page(request: Request) -> HTMLResponse:
    from rasid.export import FORMATS

    return render(request, "export.html", {"formats": FORMATS})


# --------------------------------------------------------------------------- login


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html", {"message": None})


@router.post("/login", dependencies=[Depends(require_csrf)])
def login(
    request: Request, bench: BenchDep, token: Annotated[str, Form(max_length=500)] = ""
) -> Response:
    config = bench.config
    if config.token is None:
        return RedirectResponse("/", status_code=303)
    if not token_matches(config, token.strip()):
        return render(request, "login.html", {"message": "wrong token"}, status=403)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, session_value(config), httponly=True, samesite="strict")
    return response


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
