"""A small knowledge base built directly through the Store (no pipeline needed).

Texts are written for these tests (illustrative, not sources). Offsets are
computed from the text, so ``text[start:end]`` always equals the mention.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rasid.kb.store import Store
from rasid.model import Analysis, Document, Mention, Sentence, SourceLink, Statement
from rasid.text.normalize import normalize_key

DOC1 = (
    "سيطرت قوات سوريا الديمقراطية على مدينة منبج في ١٢ آب ٢٠١٦ بعد معارك مع تنظيم داعش.\n\n"
    "وقال القيادي أبو محمد الأمريكي إن نحو ٢٠٠٠ مقاتل من التنظيم يتمركزون في الرقة."
)
DOC2 = "قدرت مصادر محلية عدد مقاتلي تنظيم داعش في الرقة بنحو ٣٠٠٠ مقاتل في آذار ٢٠١٧."
XSS = (
    'تقرير <script>alert("x")</script> عن <img src=x onerror="alert(1)"> '
    'و<a href="javascript:alert(2)">اضغط هنا</a> ثم \u202eمقلوب\u202c نهاية.'
)

ENTITIES = [
    {
        "id": "ent-sdf",
        "type": "ORG",
        "label": "قوات سوريا الديمقراطية",
        "label_latin": "Syrian Democratic Forces",
        "attributes": {"aliases": ["قسد"]},
    },
    {
        "id": "ent-isis",
        "type": "ORG",
        "label": "تنظيم داعش",
        "label_latin": "ISIS",
        "attributes": {},
    },
    {
        "id": "ent-manbij",
        "type": "GPE",
        "label": "منبج",
        "label_latin": "Manbij",
        "attributes": {"lat": 36.5281, "lon": 37.9549, "country": "SY", "admin1": "Aleppo"},
    },
    {
        "id": "ent-raqqa",
        "type": "GPE",
        "label": "الرقة",
        "label_latin": "Raqqa",
        # The shape rasid.link/rasid.places write: the geocoder's record under "geo".
        "attributes": {
            "geo": {
                "lat": 35.9528,
                "lon": 39.0079,
                "country": "SY",
                "admin1": "Ar-Raqqa",
                "precision": 2,
                "type": "city",
                "name_en": "Raqqa",
            }
        },
    },
    {
        "id": "ent-amriki",
        "type": "PERSON",
        "label": "أبو محمد الأمريكي",
        "label_latin": None,
        "attributes": {},
    },
    {
        "id": "ent-xss",
        "type": "PERSON",
        "label": '<img src=x onerror="alert(3)">\u202eزيد',
        "label_latin": "<b>bold</b>",
        "attributes": {"note": "<script>alert(4)</script>"},
    },
]


def _mention(text: str, needle: str, kind: str, entity_id: str | None, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Mention(
        start,
        start + len(needle),
        needle,
        kind,
        norm=normalize_key(needle),
        component="test.v1",
        entity_id=entity_id,
    )


def _sentences(text: str) -> list[Sentence]:
    out, start = [], 0
    for index, piece in enumerate(text.split("\n\n")):
        begin = text.index(piece, start)
        out.append(Sentence(index, begin, begin + len(piece)))
        start = begin + len(piece)
    return out


def _document(text: str, **kwargs: object) -> Document:
    return Document(text=text, sha256=hashlib.sha256(text.encode()).hexdigest(), **kwargs)  # type: ignore[arg-type]


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def build(path: Path) -> dict[str, str]:
    """Create the knowledge base at ``path``; returns ids by name."""
    d1 = _document(
        DOC1,
        source_uri="https://example.org/manbij",
        title="منبج بعد المعارك",
        publisher="وكالة المثال",
        published="2016-08-13",
        language="ar",
    )
    d2 = _document(
        DOC2,
        source_uri="https://example.org/raqqa",
        title="تقديرات الرقة",
        publisher="وكالة المثال",
        published="2017-03-20",
        language="ar",
    )
    d3 = _document(
        XSS,
        source_uri="javascript:alert(5)",
        title="<script>alert(6)</script>عنوان",
        publisher="<b>ناشر</b>",
        published="2018-01-01",
        language="ar",
    )
    a1 = Analysis(d1, sentences=_sentences(DOC1))
    a1.mentions = [
        _mention(DOC1, "قوات سوريا الديمقراطية", "ORG", "ent-sdf"),
        _mention(DOC1, "منبج", "GPE", "ent-manbij"),
        _mention(DOC1, "١٢ آب ٢٠١٦", "DATE", None),
        _mention(DOC1, "تنظيم داعش", "ORG", "ent-isis"),
        _mention(DOC1, "أبو محمد الأمريكي", "PERSON", "ent-amriki"),
        _mention(DOC1, "٢٠٠٠ مقاتل", "QUANTITY", None),
        _mention(DOC1, "الرقة", "GPE", "ent-raqqa"),
    ]
    s1 = _span(DOC1, "سيطرت قوات سوريا الديمقراطية على مدينة منبج")
    s2 = _span(DOC1, "نحو ٢٠٠٠ مقاتل من التنظيم يتمركزون في الرقة")
    s3 = _span(DOC1, "القيادي أبو محمد الأمريكي")
    a1.statements = [
        Statement(
            "ent-sdf",
            "controls",
            "ent-manbij",
            d1.id,
            *s1,
            sentence_index=0,
            object_entity="ent-manbij",
            qualifiers={"date": "2016-08-12"},
            component="test.v1",
        ),
        Statement(
            "ent-isis",
            "strength",
            "2000",
            d1.id,
            *s2,
            sentence_index=1,
            qualifiers={
                "date": "2016-08-13",
                "approximate": True,
                "low": 1800,
                "high": 2200,
                "best": 2000,
            },
            attribution=[
                SourceLink("وكالة المثال", "publisher"),
                SourceLink("أبو محمد الأمريكي", "quoted", "ent-amriki"),
            ],
            certainty="reported",
            component="test.v1",
        ),
        Statement(
            "ent-amriki",
            "member_of",
            "ent-isis",
            d1.id,
            *s3,
            sentence_index=1,
            object_entity="ent-isis",
            certainty="asserted",
            component="test.v1",
        ),
        Statement(
            "ent-isis",
            "based_in",
            "ent-raqqa",
            d1.id,
            *s2,
            sentence_index=1,
            object_entity="ent-raqqa",
            certainty="reported",
            component="test.v1",
        ),
    ]
    a1.events = [
        {
            "type": "battle",
            "start": s1[0],
            "end": s1[1],
            "sentence_idx": 0,
            "certainty": "asserted",
            "component": "test.v1",
            "arguments": {
                "actor1": "ent-sdf",
                "actor2": "ent-isis",
                "location": "ent-manbij",
                "date": "2016-08-12",
                "fatalities": "12",
            },
        },
    ]
    a1.entities = [dict(e) for e in ENTITIES]
    a2 = Analysis(d2, sentences=_sentences(DOC2))
    a2.mentions = [
        _mention(DOC2, "تنظيم داعش", "ORG", "ent-isis"),
        _mention(DOC2, "الرقة", "GPE", "ent-raqqa"),
    ]
    a2.statements = [
        Statement(
            "ent-isis",
            "strength",
            "3000",
            d2.id,
            *_span(DOC2, "بنحو ٣٠٠٠ مقاتل"),
            sentence_index=0,
            qualifiers={"date": "2017-03", "approximate": True},
            certainty="estimated",
            component="test.v1",
        ),
    ]
    a2.events = [
        {
            "type": "air_strike",
            "start": 0,
            "end": 20,
            "sentence_idx": 0,
            "arguments": {
                "target": "ent-isis",
                "location": {"text": "الرقة", "entity_id": "ent-raqqa"},
            },
            "component": "test.v1",
        },
    ]
    a3 = Analysis(d3, sentences=_sentences(XSS))
    a3.mentions = [
        _mention(XSS, '<img src=x onerror="alert(1)">', "PERSON", "ent-xss"),
        _mention(XSS, '<script>alert("x")</script>', "ORG", None),
    ]
    a3.statements = [
        Statement(
            "ent-xss",
            "alias",
            '<svg onload="alert(7)">',
            d3.id,
            *_span(XSS, "اضغط هنا"),
            sentence_index=0,
            component="test.v1",
        ),
    ]
    with Store(path) as store:
        for analysis in (a1, a2, a3):
            store.add_analysis(analysis, content_key=analysis.document.sha256)
    return {
        "doc1": d1.id,
        "doc2": d2.id,
        "xss": d3.id,
        "st_strength": a1.statements[1].id,
        "st_controls": a1.statements[0].id,
        "st_xss": a3.statements[0].id,
    }
