"""Statements about captured documents: which fields the records hold, and whether
they are believed genuine.

* ``واحتوت الوثائق بيانات عن كل مقاتل من ضمنها اسمه، بلده الأصلي ...`` ->
  record_fields on the documents, value the field ids joined by ``;`` and a
  ``fields`` qualifier with each field's id and text;
* ``يصعب التأكد من صحة هذه السجلات لكن مسؤولين أمنيين يعتقدون أنها
  أصلية`` -> authenticity ``genuine``; its certainty comes from the sentence
  (``uncertain`` here: the doubt outranks the officers' belief) and the
  believers are kept as ``believed_by``.

The documents are a thing of this document only, so their key is scoped to it
(:func:`rasid.facts.keys.document_object_key`).
"""

from __future__ import annotations

from rasid.facts.context import SentenceContext
from rasid.facts.keys import document_object_key
from rasid.facts.lexicon import lexicon_from
from rasid.facts.state import DocState

_FILE = "relations.yaml"
DOCUMENTS_NAME = "الوثائق"


class DocumentRules:
    def __init__(self) -> None:
        self.fields = lexicon_from(_FILE, "record_fields")
        self.records_cues = lexicon_from(_FILE, "records_cues")
        self.documents = lexicon_from(_FILE, "documents")
        self.authenticity = lexicon_from(_FILE, "authenticity")

    def apply(self, ctx: SentenceContext, state: DocState) -> None:
        folded = ctx.folded
        if not self.documents.search(folded):
            return
        key_name = DOCUMENTS_NAME
        if self.records_cues.search(folded) and self.fields.search(folded):
            hits = list(self.fields.finditer(folded, ctx.text))
            if len(hits) >= 2:
                fields = [{"field": str(h.info["field"]), "text": h.text} for h in hits]
                ids = list(dict.fromkeys(f["field"] for f in fields))
                self._add(
                    ctx,
                    state,
                    key_name,
                    "record_fields",
                    ";".join(ids),
                    (hits[0].start, hits[-1].end),
                    {"fields": fields},
                )
        if self.authenticity.search(folded):
            hits = [
                h
                for h in self.authenticity.finditer(folded, ctx.text)
                if self._about_documents(ctx, h.start, h.end)
            ]
            if not hits:
                return
            value = str(hits[-1].info["value"])
            chain, kind = ctx.chain(hits[-1].start)
            quals: dict[str, object] = {"cue": hits[-1].text}
            if kind == "believe":
                quals["believed_by"] = chain[-1].name
            self._add(
                ctx,
                state,
                key_name,
                "authenticity",
                value,
                (hits[0].start, hits[-1].end),
                quals,
                anchor=hits[-1].start,
            )

    def _about_documents(self, ctx: SentenceContext, start: int, end: int) -> bool:
        """ "صحة هذه البيانات" or "إنها حقيقية": the cue is about the papers."""
        lo = ctx.folded.from_original(start)
        hi = ctx.folded.from_original(end)
        before = ctx.folded.text[:lo].split()[-2:]
        after = " ".join(ctx.folded.text[hi:].split()[:4])
        if any(w in {"انها", "انهم", "بانها"} for w in before):
            return True
        if self.documents.pattern.search(" ".join(before)):
            return True  # "أن الوثائق أصلية"
        return self.documents.pattern.search(after) is not None

    def _add(
        self,
        ctx: SentenceContext,
        state: DocState,
        name: str,
        prop: str,
        value: str,
        span: tuple[int, int],
        qualifiers: dict[str, object],
        anchor: int | None = None,
    ) -> None:
        state.add(
            ctx,
            name,
            prop,
            value,
            span,
            anchor=anchor,
            qualifiers=dict(qualifiers),
            subject_key=document_object_key(state.document_id, name),
        )
