"""The jobs the CLI and the web layer run: ingest into the store, extract without storing.

This is the edge where I/O meets the pure pipeline: readers produce documents,
the pipeline analyses them, the store keeps them.
"""

from __future__ import annotations

import gc
import importlib
import json
import multiprocessing
import os
import pickle
import time
from collections import deque
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from rasid.errors import PipelineError
from rasid.model import Analysis, Document, Sentence
from rasid.pipeline import Pipeline, build_pipeline

if TYPE_CHECKING:
    from rasid.kb.rows import AnalysisRows, EntityRow
    from rasid.kb.store import Store

#: Modules whose import registers pipeline components.
_COMPONENT_MODULES = (
    "rasid.text.components",
    "rasid.text.dates",
    "rasid.text.numbers",
    "rasid.ner.component",
    "rasid.names.component",
    "rasid.places.component",
    "rasid.facts.component",
    "rasid.link.local",
)

#: The full pipeline for Arabic text, in order.
ARABIC_PIPELINE: tuple[str, ...] = (
    "text.sentences",
    "text.tokens",
    "text.dates",
    "text.numbers",
    "ner.crf",
    "names",
    "places",
    "facts",
    "link",
)

#: The text layer alone: sentences, tokens, dates, numbers (no trained model).
TEXT_PIPELINE: tuple[str, ...] = ARABIC_PIPELINE[:4]

#: Non-Arabic documents are stored and searchable; Arabic analysis does not run on them.
BASIC_PIPELINE: tuple[str, ...] = ("text.sentences", "text.tokens")

PIPELINES = {"full": ARABIC_PIPELINE, "text": TEXT_PIPELINE}


def _load_components() -> None:
    for module in _COMPONENT_MODULES:
        importlib.import_module(module)


def arabic_pipeline(until: str | None = None) -> Pipeline:
    """The Arabic pipeline, or its first components up to and including ``until``."""
    _load_components()
    if until is None:
        return build_pipeline(ARABIC_PIPELINE)
    if until not in ARABIC_PIPELINE:
        raise PipelineError(f"no component {until!r} in {', '.join(ARABIC_PIPELINE)}")
    return build_pipeline(ARABIC_PIPELINE[: ARABIC_PIPELINE.index(until) + 1])


def _check_pipeline(pipeline: str) -> None:
    if pipeline not in PIPELINES:
        raise PipelineError(f"unknown pipeline {pipeline!r}; use one of {', '.join(PIPELINES)}")


class Analyzer:
    """Chooses the pipeline by language; built once per process."""

    def __init__(self, pipeline: str = "full") -> None:
        _check_pipeline(pipeline)
        _load_components()
        self.arabic: Pipeline = build_pipeline(PIPELINES[pipeline])
        self.basic: Pipeline = build_pipeline(BASIC_PIPELINE)

    def __call__(self, document: Document, *, leave_out: Collection[str] = ()) -> Analysis:
        """The analysis of ``document``; see :meth:`Pipeline.__call__` for ``leave_out``."""
        pipeline = self.arabic if document.language in (None, "ar", "und") else self.basic
        return pipeline(document, leave_out=leave_out)


_WORKER_ANALYZER: Analyzer | None = None


#: The collector's thresholds while ingesting: the first generation every
#: 100,000 allocations instead of 700.
_FEW_COLLECTIONS = (100_000, 50, 50)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The collector runs rarely inside the block (thresholds restored after).

    The writer keeps growing indexes (entity keys, near-duplicate bands) that
    every full collection walks again, and drops rows and unpickled objects by
    the hundred thousand, which reference counting frees: on 4,000 articles
    the collector took 1.7 of the writer's 18.5 CPU seconds, 0.2 with these.
    """
    before = gc.get_threshold()
    gc.set_threshold(*_FEW_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _init_worker(pipeline: str) -> None:
    global _WORKER_ANALYZER
    _WORKER_ANALYZER = Analyzer(pipeline)
    # The models' tables (millions of objects) live as long as the process:
    # out of the collector's sight, each full collection does not walk them again.
    gc.freeze()
    # An analysis allocates and drops objects by the hundred thousand, freed by
    # their reference counts; a collection every 700 of them (the default)
    # cost about 3 µs a word for cycles that hardly occur.
    gc.set_threshold(*_FEW_COLLECTIONS)


#: Documents per task sent to a worker process. The executor hands a worker
#: its next task from this process's thread, which waits for the interpreter
#: lock behind the writer: with tasks of 8 the workers idled for a tenth of
#: a text-pipeline ingest between tasks.
_TASK_SIZE = 32
#: Tasks queued per worker process: enough to keep the workers busy while the
#: writer commits a batch (the reading waits meanwhile, in the same thread).
_TASKS_AHEAD = 4


def _worker_prepare_all(documents: list[Document]) -> list[Prepared]:
    return [_worker_prepare(document) for document in documents]


def _prepare_in_workers(
    documents: Iterator[Document], workers: int, pipeline: str
) -> Iterator[Prepared]:
    """``map(_worker_prepare, documents)`` computed in ``workers`` processes, in input order.

    Not ``multiprocessing.Pool.imap``: the pool's worker-handler thread waits on
    the result pipe too, so it spun through its loop for as long as each result
    lay unread (about 1.5 µs of the writer's CPU per word). An executor's one
    thread takes the results itself; at most ``_TASKS_AHEAD`` tasks a worker
    are queued, so documents are read as they are needed, not all at once.
    """
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    executor = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(pipeline,)
    )
    queued: deque[Future[list[Prepared]]] = deque()
    try:
        while chunk := list(islice(documents, _TASK_SIZE)):
            queued.append(executor.submit(_worker_prepare_all, chunk))
            if len(queued) >= workers * _TASKS_AHEAD:
                yield from queued.popleft().result()
        while queued:
            yield from queued.popleft().result()
    finally:
        # After an error, what is still queued is not analysed. The workers are
        # waited for (their current task at most), so none outlives the ingest.
        executor.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------- extract


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    """The JSON shape of ``rasid extract`` (documented in the README)."""
    document = analysis.document
    return {
        "id": document.id,
        "external_id": document.external_id,
        "language": document.language,
        "published": document.published,
        "components": analysis.components,
        "sentences": [asdict(s) for s in analysis.sentences],
        "mentions": [m.to_dict() for m in analysis.mentions],
        "entities": analysis.entities,
        "statements": [s.to_dict() for s in analysis.statements],
        "events": analysis.events,
    }


@dataclass
class ExtractRequest:
    text: str
    id: str | None = None
    published: str | None = None
    title: str | None = None
    source: str | None = None


def document_from_request(request: ExtractRequest) -> Document:
    from rasid.text.dates import parse_publication_date
    from rasid.text.language import detect_language

    published = parse_publication_date(request.published) if request.published else None
    return Document(
        text=request.text,
        sha256=_sha256(request.text.encode("utf-8")),
        source_uri=request.source or "stdin",
        title=request.title,
        publisher=request.source,
        published=published,
        published_raw=request.published,
        language=detect_language(request.text),
        external_id=request.id,
        reader="extract",
    )


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def parse_jsonl_requests(lines: Iterable[str]) -> Iterator[ExtractRequest | str]:
    """Yield a request per line, or an error message for a line that is not usable."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield f"line {number} is not valid JSON: {err.msg} at column {err.colno}"
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield f'line {number} has no "text" string field'
            continue
        yield ExtractRequest(
            text=record["text"],
            id=None if record.get("id") is None else str(record["id"]),
            published=record.get("published"),
            title=record.get("title"),
            source=record.get("source"),
        )


# --------------------------------------------------------------------------- ingest


@dataclass
class IngestReport:
    taken_in: int = 0
    already_known: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    skipped_seen: int = 0
    words: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 3 if self.failed else 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["failed_count"] = len(self.failed)
        return data


ProgressFn = Callable[[str, int], None]


@dataclass(slots=True)
class Prepared:
    """What a worker hands back: the table rows of the analysis, and the storage
    precomputations.

    The writer already holds the document, so its text does not travel back.
    The writer binds the rows as they are unless linking re-points the
    document's entities at stored ones (a few documents in a hundred): then it
    takes the analysis objects out of ``objects`` and builds the rows anew.
    Unpickling the objects for every document cost the writer more than
    writing them. A document without entities cannot be linked, so its
    objects are not sent at all (every document of the text pipeline).
    """

    doc_id: str
    entities: list[dict[str, Any]]  # what linking reads
    components: list[str]
    content_key: str
    signature: Any  # numpy array or None for short texts
    search_units: list[tuple[int | None, str]]
    words: int  # whitespace-separated words, for the report
    rows: AnalysisRows | None  # None when the store would refuse them: the writer says why
    objects: bytes | None  # pickled (sentences, mentions, statements, events, entities)

    def analysis(self, document: Document) -> Analysis:
        """The analysis again, around the writer's own copy of ``document``."""
        if document.id != self.doc_id:
            raise PipelineError(f"worker result for {self.doc_id} paired with {document.id}")
        if self.objects is None:
            raise PipelineError(f"worker result for {self.doc_id} came without its analysis")
        sentences, mentions, statements, events, entities = pickle.loads(self.objects)
        return Analysis(
            document=document,
            sentences=[Sentence(*s) for s in sentences],
            mentions=mentions,
            statements=statements,
            events=events,
            entities=entities,
            components=self.components,
        )

    def shell(self, document: Document) -> Analysis:
        """The analysis as the store needs it beside prebuilt rows: document and components."""
        if document.id != self.doc_id:
            raise PipelineError(f"worker result for {self.doc_id} paired with {document.id}")
        return Analysis(document=document, entities=self.entities, components=self.components)


_FINGERPRINTER: Any = None


def _worker_prepare(document: Document) -> Prepared:
    from rasid.errors import StoreError
    from rasid.ingest.dedup import Deduplicator
    from rasid.kb.query import search_units, text_search_units
    from rasid.kb.rows import analysis_rows

    global _FINGERPRINTER
    if _FINGERPRINTER is None:
        _FINGERPRINTER = Deduplicator()
    if _WORKER_ANALYZER is None:
        # A default pipeline here would quietly analyse with the wrong one.
        raise PipelineError("ingest worker used before _init_worker(pipeline)")
    key, signature = _FINGERPRINTER.fingerprint(document.text)
    # The writer needs no tokens, only search rows: when no component needs them
    # either (the text pipeline), they are never built as objects.
    analysis = _WORKER_ANALYZER(document, leave_out=("tokens",))
    if analysis.tokens:
        units = search_units(analysis.tokens, analysis.sentences, document.title)
        analysis.tokens = []  # the bulk of an analysis, and the writer does not need them
    else:
        units = text_search_units(document.text, analysis.sentences, document.title)
    rows: AnalysisRows | None
    try:
        rows = analysis_rows(analysis)
    except StoreError:
        rows = None  # the writer builds them again and reports the error in its place
    objects: bytes | None = None
    # The writer rebuilds the rows from the objects only to link the document's
    # entities, or to report why the store refuses them.
    if analysis.entities or rows is None:
        objects = pickle.dumps(
            (
                [(s.index, s.start, s.end) for s in analysis.sentences],
                analysis.mentions,
                analysis.statements,
                analysis.events,
                # Again, with the rest: linking changes them, and what they share
                # with the mentions must stay shared.
                analysis.entities,
            ),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
    return Prepared(
        document.id,
        analysis.entities,
        analysis.components,
        key,
        signature,
        units,
        len(document.text.split()),
        rows,
        objects,
    )


#: Most documents written per transaction: each is whole or absent after a crash.
#: Large transactions are cheap ones (the search index is merged at commit).
BATCH_SIZE = 256
#: A batch is written at the latest this long after the one before, so a slow
#: pipeline still shows its documents to readers promptly.
FLUSH_SECONDS = 1.0


def ingest(
    inputs: Sequence[str],
    db_path: Path,
    *,
    stdin: BinaryIO | None = None,
    near_threshold: float = 0.8,
    workers: int = 1,
    pipeline: str = "full",
    on_progress: ProgressFn | None = None,
) -> IngestReport:
    """Read inputs, analyse each new document and store it; a crash leaves only whole documents.

    Reading, de-duplication decisions, entity resolution and writing happen in
    this process, in input order; analysis, fingerprints and search rows are
    computed in ``workers`` processes.
    """
    from rasid.ingest.base import ReadFailure
    from rasid.ingest.dedup import (
        DedupDecision,
        Deduplicator,
        signature_from_bytes,
        signature_to_bytes,
    )
    from rasid.ingest.readers import iter_inputs
    from rasid.kb.rows import analysis_rows
    from rasid.kb.store import Store, StoreItem
    from rasid.link.assemble import (
        assemble_entities,
        load_key_index_rows,
        unassembled_entity_ids,
    )
    from rasid.link.judgements import Resolver
    from rasid.link.resolve import KeyIndex, apply_links, find_links

    # Here, not only in the workers: a worker whose set-up fails only says that it broke.
    _check_pipeline(pipeline)
    report = IngestReport()
    with _fewer_collections(), Store(db_path) as store:
        key_index = KeyIndex(Resolver.from_judgements(store.judgements()))
        for entity_id, entity_type, keys in load_key_index_rows(store):
            key_index.add(entity_id, entity_type, keys)
        touched: set[str] = set(unassembled_entity_ids(store))
        entities = _EntityWrites(set(key_index.family))
        dedup = Deduplicator(threshold=near_threshold)
        for doc_id, signature in store.iter_signatures():
            dedup.index.add(doc_id, signature_from_bytes(signature, dedup.index.num_perm))
        # What was stored before this run, asked once: two look-ups per document
        # were 4% of the writer's time. Documents of this run are known from
        # in_flight and the deduplicator; one that another writer adds meanwhile
        # is still kept once (the store records the second copy as a source).
        stored_ids = store.document_ids()
        stored_keys = store.content_keys()
        in_flight: set[str] = set()
        # Documents handed to the analysis, in order: results come back in the same
        # order, without their text.
        sent: deque[Document] = deque()
        later_sources: list[StoreItem] = []
        batch: list[StoreItem] = []

        def flush() -> None:
            if batch:
                store.add_many(batch)
                batch.clear()

        def new_documents() -> Iterator[Document]:
            for item in iter_inputs(inputs, stdin=stdin, seen_urls=store.seen_url):
                if isinstance(item, ReadFailure):
                    report.failed.append(
                        {"source": item.source, "code": item.code, "reason": item.reason}
                    )
                    continue
                if item.id in in_flight:
                    # Same text as one still being analysed: its source is recorded
                    # once that first copy is stored, never before it.
                    later_sources.append(StoreItem(Analysis(document=item), content_key=""))
                    report.already_known += 1
                    continue
                if item.id in stored_ids:
                    # Same text again: only the extra source is recorded.
                    batch.append(StoreItem(Analysis(document=item), content_key=""))
                    report.already_known += 1
                    continue
                in_flight.add(item.id)
                sent.append(item)
                yield item

        flushed = time.monotonic()
        prepared: Iterator[Prepared]
        if workers <= 1:
            _init_worker(pipeline)
            prepared = map(_worker_prepare, new_documents())
        else:
            prepared = _prepare_in_workers(new_documents(), workers, pipeline)
        try:
            for item in prepared:
                document = sent.popleft()
                decision = dedup.decide(item.content_key, item.signature)
                if decision.kind != "exact":
                    first = stored_keys.get(decision.key)
                    if first is not None:
                        decision = DedupDecision("exact", first, 1.0, decision.key)
                dedup.remember(document, decision)
                rows: AnalysisRows | None = None
                if decision.kind == "exact":
                    # An exact copy is kept and linked to its first version, not analysed twice.
                    analysis = Analysis(document=document)
                else:
                    links = find_links(item.entities, key_index)
                    if links.mapping or item.rows is None:
                        analysis = item.analysis(document)
                        apply_links(analysis, links)
                        rows = analysis_rows(analysis)
                    else:
                        analysis, rows = item.shell(document), item.rows
                    key_index.add_entities(analysis.entities)
                    touched.update(entity["id"] for entity in analysis.entities)
                    rows.entities = entities.first_seen(rows.entities)
                minhash = decision.signature
                batch.append(
                    StoreItem(
                        analysis,
                        content_key=decision.key,
                        signature=None if minhash is None else signature_to_bytes(minhash),
                        duplicate_of=decision.of if decision.kind == "exact" else None,
                        near_duplicate_of=decision.of if decision.kind == "near" else None,
                        near_similarity=decision.similarity if decision.kind == "near" else None,
                        search_units=item.search_units,
                        rows=rows,
                    )
                )
                if document.source_uri.startswith(("http://", "https://")):
                    store.mark_url_seen(document.source_uri)
                report.taken_in += 1
                report.duplicates += decision.kind == "exact"
                report.near_duplicates += decision.kind == "near"
                report.words += item.words
                if len(batch) >= BATCH_SIZE or time.monotonic() - flushed >= FLUSH_SECONDS:
                    flush()
                    flushed = time.monotonic()
                if on_progress is not None:
                    on_progress(document.title or document.source_uri, report.taken_in)
            flush()
            if later_sources:
                store.add_many(later_sources)
        finally:
            if isinstance(prepared, Generator):
                prepared.close()  # the worker processes stop
        # Entities only statements name keep the row the last document gave;
        # the rest are rebuilt from their mentions.
        entities.write_unmentioned(store)
        assemble_entities(store, touched)
    return report


class _EntityWrites:
    """Which entity rows an ingest writes as it goes, and which it leaves to the end.

    Every document names its entities again, and each was once upserted with
    it (the trigram name index checked on every update): the most costly row
    of all, rewritten each time, to be rebuilt from the mentions at the end
    anyway. Now an entity's row is written with the first document that names
    it (so it exists, under the same rowid, as soon as its mentions do), and
    the row each later document gives is only kept: at the end, an entity no
    mention names gets the last one, as before, and the others are assembled.
    """

    def __init__(self, stored: set[str]) -> None:
        self.written = stored  # entity ids with a row already
        self.later: dict[str, EntityRow] = {}  # id → the last row a document gave

    def first_seen(self, rows: list[EntityRow]) -> list[EntityRow]:
        """The rows to write now: those of entities without a row yet."""
        fresh = []
        for row in rows:
            if row[0] in self.written:
                self.later[row[0]] = row
            else:
                self.written.add(row[0])
                fresh.append(row)
        return fresh

    def write_unmentioned(self, store: Store) -> None:
        """Write the last row given of each re-named entity that no mention names."""
        ids = list(self.later)
        mentioned: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            mentioned.update(
                row[0]
                for row in store.connection.execute(
                    f"SELECT DISTINCT entity_id FROM mentions WHERE entity_id IN ({marks})", chunk
                )
            )
        store.upsert_entity_rows([row for i, row in self.later.items() if i not in mentioned])
