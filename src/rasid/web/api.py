"""The JSON HTTP API: everything the pages do, paginated, with clear 4xx errors.

Described at ``/openapi.json``. Lists take ``limit`` (1-200) and ``offset`` and
answer ``{"total", "limit", "offset", "next_offset", "previous_offset",
"items"}``. Errors answer ``{"detail": ...}``: 404 unknown id, 422 malformed
parameters or JSON, 413 body too large, 415 unsupported upload type, 401/403
missing or wrong token, 403 failed CSRF check.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile

from rasid.kb.store import JUDGEMENT_KINDS
from rasid.model import CERTAINTIES
from rasid.web import queries, review, views
from rasid.web.deps import BenchDep, PageDep, ReaderDep, Workbench, paging
from rasid.web.jobs import safe_filename
from rasid.web.security import require_csrf
from rasid.web.uploads import UnsupportedUpload, check_upload

router = APIRouter(prefix="/api", tags=["api"])

Certainty = Literal[
    "asserted", "reported", "estimated", "believed", "uncertain", "denied", "negated"
]
assert set(Certainty.__args__) == set(CERTAINTIES)  # type: ignore[attr-defined]
# Search forms send every field, empty ones as "": an empty filter means "any".
DateParam = Annotated[
    str | None,
    Query(
        pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$", description="ISO date: YYYY, YYYY-MM or YYYY-MM-DD"
    ),
]
TypeParam = Annotated[
    str | None, Query(pattern=r"^([A-Z_]{2,20})?$", description="e.g. PERSON, ORG, GPE")
]
CertaintyParam = Annotated[
    str | None, Query(pattern="^(" + "|".join(CERTAINTIES) + ")?$", description="certainty level")
]


async def search_filters(
    entity_type: TypeParam = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    date_from: DateParam = None,
    date_to: DateParam = None,
    certainty: CertaintyParam = None,
    language: Annotated[str | None, Query(pattern=r"^([a-z]{2,3})?$")] = None,
) -> queries.WebFilters:
    return queries.WebFilters(
        language=language or None,
        source=source or None,
        date_from=date_from or None,
        date_to=date_to or None,
        entity_type=entity_type or None,
        certainty=certainty or None,
    )


FiltersDep = Annotated[queries.WebFilters, Depends(search_filters)]


@router.get("/search", summary="Search documents (ranked, with highlighted snippets) and entities")
def api_search(
    bench: BenchDep,
    store: ReaderDep,
    page: PageDep,
    filters: FiltersDep,
    q: Annotated[str, Query(max_length=500, description="query (syntax in docs/kb.md)")] = "",
) -> dict[str, Any]:
    result = bench.search(store, q, filters, page.limit, page.offset)
    return {**result, **paging(result["total"], page.limit, page.offset)}


@router.get("/stats", summary="What the knowledge base holds")
def api_stats(store: ReaderDep) -> dict[str, Any]:
    return store.stats()


@router.get("/documents", summary="Documents, newest first")
def api_documents(store: ReaderDep, page: PageDep, filters: FiltersDep) -> dict[str, Any]:
    total, items = queries.list_documents(store, filters, limit=page.limit, offset=page.offset)
    return {**paging(total, page.limit, page.offset), "items": items}


@router.get("/documents/{doc_id}", summary="A document with provenance, mentions and facts")
def api_document(bench: BenchDep, store: ReaderDep, doc_id: str) -> dict[str, Any]:
    return bench.document(store, doc_id)


@router.get("/entities", summary="Entities by name and type")
def api_entities(
    store: ReaderDep,
    page: PageDep,
    q: Annotated[str, Query(max_length=200)] = "",
    type: TypeParam = None,
) -> dict[str, Any]:
    total, items = queries.search_entities(
        store, q, entity_type=type or None, limit=page.limit, offset=page.offset
    )
    for item in items:
        item["label_latin"] = views.latin_name(item)
    return {**paging(total, page.limit, page.offset), "items": items}


@router.get("/entities/{entity_id}", summary="An entity with timeline, places, network, sources")
def api_entity(bench: BenchDep, store: ReaderDep, entity_id: str) -> dict[str, Any]:
    return bench.entity(store, entity_id)


@router.get("/statements", summary="Statements (facts) with their review state")
def api_statements(
    store: ReaderDep,
    page: PageDep,
    subject: Annotated[str | None, Query(max_length=200)] = None,
    document_id: Annotated[str | None, Query(max_length=200)] = None,
    property: Annotated[str | None, Query(max_length=100)] = None,
    certainty: Certainty | None = None,
) -> dict[str, Any]:
    filters = queries.StatementFilters(subject, document_id, property, certainty)
    total, items = queries.list_statements(store, filters, limit=page.limit, offset=page.offset)
    judgements = queries.judgements_for(store, [s["id"] for s in items])
    for item in items:
        item["state"] = review.statement_state(item, judgements)
    return {**paging(total, page.limit, page.offset), "items": items}


@router.get("/statements/{statement_id}", summary="One statement, its review state and history")
def api_statement(store: ReaderDep, statement_id: str) -> dict[str, Any]:
    statement = queries.get_statement(store, statement_id)
    judgements = queries.judgements_for(store, [statement_id])
    statement["state"] = review.statement_state(statement, judgements)
    statement["judgements"] = judgements
    return statement


@router.get("/judgements", summary="Review decisions, newest first")
def api_judgements(
    store: ReaderDep,
    page: PageDep,
    kind: Literal["merge", "split", "not_same", "accept", "reject", "edit"] | None = None,
    target: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    total, items = queries.list_judgements(
        store, kind=kind, target=target, limit=page.limit, offset=page.offset
    )
    return {**paging(total, page.limit, page.offset), "items": items}


class JudgementIn(BaseModel):
    """A review decision (payload fields by kind are listed in docs/web.md)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["merge", "split", "not_same", "accept", "reject", "edit"]
    target_ids: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=review.MAX_TARGETS
    )
    author: str = Field(min_length=1, max_length=review.MAX_AUTHOR)
    payload: dict[str, Any] = Field(default_factory=dict)


assert set(JudgementIn.model_fields["kind"].annotation.__args__) == set(JUDGEMENT_KINDS)  # type: ignore[union-attr]


@router.post(
    "/judgements",
    status_code=201,
    summary="Record a review decision (accept/reject/edit a statement, merge/split entities)",
    dependencies=[Depends(require_csrf)],
)
def api_add_judgement(bench: BenchDep, store: ReaderDep, body: JudgementIn) -> dict[str, Any]:
    decision = review.check(
        store, review.Decision(body.kind, tuple(body.target_ids), body.author, body.payload)
    )
    judgement_id = review.record(bench.stores.writer, decision)
    return {
        "id": judgement_id,
        "kind": decision.kind,
        "target_ids": list(decision.target_ids),
        "author": decision.author,
        "payload": decision.payload,
    }


_INGEST_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "description": "pasted text"},
                        "title": {"type": "string"},
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        "csrf_token": {"type": "string"},
                    },
                }
            }
        }
    }
}


async def start_ingest(request: Request, bench: Workbench) -> dict[str, Any]:
    """Save the pasted text and uploaded files, start a job; shared by API and page."""
    limit = bench.config.max_upload_bytes
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        raise HTTPException(415, "send multipart/form-data with 'text' and/or 'files'")
    form = await request.form(max_files=100, max_fields=100, max_part_size=limit)
    folder = bench.jobs.new_folder()
    names: list[str] = []
    taken: set[str] = set()
    total = 0
    try:
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            data = text.encode("utf-8")
            total += len(data)
            (folder / safe_filename("pasted.txt", taken)).write_bytes(data)
            names.append("pasted text")
        for item in form.getlist("files"):
            if not isinstance(item, UploadFile) or not item.filename:
                continue
            data = await item.read()
            total += len(data)
            if total > limit:
                raise HTTPException(413, f"the uploads pass the limit of {limit} bytes")
            check_upload(item.filename, item.content_type, data[:8192])
            (folder / safe_filename(item.filename, taken)).write_bytes(data)
            names.append(item.filename)
        if not names:
            raise HTTPException(422, "nothing to ingest: paste text or choose files")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        await form.close()  # the spooled upload files
    job = bench.jobs.submit(folder, names)
    return {"job_id": job.id, "status_url": f"/api/ingest/{job.id}", **job.to_dict()}


@router.post(
    "/ingest",
    status_code=202,
    summary="Ingest pasted text and/or uploaded files; answers a job id to poll",
    openapi_extra=_INGEST_BODY,
    dependencies=[Depends(require_csrf)],
)
async def api_ingest(request: Request, bench: BenchDep) -> dict[str, Any]:
    return await start_ingest(request, bench)


@router.get("/ingest/{job_id}", summary="An ingest job's progress")
def api_ingest_status(bench: BenchDep, job_id: str) -> dict[str, Any]:
    job = bench.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no ingest job {job_id!r} (jobs are kept while the server runs)")
    return job.to_dict()


@router.get(
    "/export/{fmt}",
    summary="Download an export: jsonl, acled-csv, ftm, geojson, graphml",
    response_class=FileResponse,
)
def api_export(bench: BenchDep, store: ReaderDep, fmt: str) -> FileResponse:
    from rasid.export import FORMATS, export

    spec = FORMATS.get(fmt)
    if spec is None:
        raise HTTPException(404, f"no export format {fmt!r}; use one of {', '.join(FORMATS)}")
    handle, name = tempfile.mkstemp(prefix="rasid-export-", suffix=spec.extension)
    os.close(handle)
    path = Path(name)
    try:
        export(store, fmt, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FileResponse(
        path,
        media_type=spec.media_type,
        filename=f"rasid-{fmt}{spec.extension}",
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


__all__ = ["UnsupportedUpload", "router", "start_ingest"]
