"""What routes share: the server's parts on ``app.state``, paging, the page language."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from rasid.kb.store import Store
from rasid.web import queries, views
from rasid.web.cache import ResultCache
from rasid.web.config import WebConfig
from rasid.web.db import Stores
from rasid.web.i18n import LANG_COOKIE, pick
from rasid.web.jobs import JobQueue

MAX_PAGE = 200


@dataclass
class Workbench:
    config: WebConfig
    stores: Stores
    jobs: JobQueue
    templates: Any  # jinja2.Environment
    cache: ResultCache  # page data (views)
    pages: ResultCache  # rendered pages, with marks for the per-browser values

    # The views, through the cache (their results are shared: never change them).

    def search(
        self,
        store: Store,
        q: str,
        filters: queries.WebFilters,
        limit: int,
        offset: int,
        *,
        exact_total: bool = True,
    ) -> dict[str, Any]:
        return self.cache.get(
            ("search", q, filters, limit, offset, exact_total),
            lambda: views.search_view(
                store, q, filters, limit=limit, offset=offset, exact_total=exact_total
            ),
            heavy=True,
        )

    def document(self, store: Store, doc_id: str) -> dict[str, Any]:
        return self.cache.get(("document", doc_id), lambda: views.document_view(store, doc_id))

    def entity(self, store: Store, entity_id: str) -> dict[str, Any]:
        return self.cache.get(("entity", entity_id), lambda: views.entity_view(store, entity_id))


# Dependencies that do no I/O are ``async``: FastAPI runs a plain ``def``
# dependency in its thread pool, a hand-over per dependency per request.


async def workbench(request: Request) -> Workbench:
    bench: Workbench = request.app.state.workbench
    return bench


async def reader(request: Request) -> AsyncIterator[Store]:
    """A read-only store for this request alone (see :mod:`rasid.web.db`)."""
    bench: Workbench = request.app.state.workbench
    with bench.stores.reader() as store:
        yield store


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


async def page(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="items per page")] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="items to skip")] = 0,
) -> Page:
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(page)]
ReaderDep = Annotated[Store, Depends(reader)]
BenchDep = Annotated[Workbench, Depends(workbench)]


def language(request: Request) -> str:
    """``?lang=`` first, then the cookie, then Arabic."""
    return pick(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE))


def paging(total: int, limit: int, offset: int) -> dict[str, int | None]:
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if offset + limit < total else None,
        "previous_offset": max(0, offset - limit) if offset > 0 else None,
    }
