"""Full-text search: clitics, diacritics, hamza, phrases, hostile input, filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rasid.errors import QueryError
from rasid.kb.search import SNIPPET_CHARS
from rasid.kb.store import Store
from rasid.model import Analysis

Add = Callable[..., Analysis]


def _ids(store: Store, query: str, **filters: Any) -> set[str]:
    return {hit.doc_id for hit in store.search(query, **filters)}


def _words(store: Store, query: str) -> list[str]:
    """The highlighted words of the first hit, sliced from the original text."""
    hit = store.search(query)[0]
    text = store.get_document(hit.doc_id).document.text
    return [text[s:e] for s, e in hit.highlights]


def test_clitics_on_the_searched_word(store: Store, add: Add) -> None:
    plain = add("وصلت القوات إلى منبج صباحا.").document.id
    li = add("توجه الرتل لمنبج من الشرق.").document.id
    bi = add("اشتباكات عنيفة بمنبج وريفها.").document.id
    wabi = add("قتال في الريف وبمنبج أيضا.").document.id
    other = add("لا علاقة لهذا النص بالموضوع.").document.id
    assert _ids(store, "منبج") == {plain, li, bi, wabi}
    assert other not in _ids(store, "منبج")
    assert _ids(store, "لمنبج") >= {li}
    assert _words(store, "بمنبج") == ["بمنبج"]


def test_the_article(store: Store, add: Add) -> None:
    with_article = add("سيطر التنظيم على الرقة عام 2014.").document.id
    with_bal = add("المقاتلون بالرقة كثيرون.").document.id
    assert _ids(store, "رقة") == {with_article, with_bal}
    assert _ids(store, "الرقة") == {with_article, with_bal}


def test_unit_names_with_clitics(store: Store, add: Add) -> None:
    first = add("أسس التنظيم جيش دابق في ريف حلب.").document.id
    second = add("انضم المقاتلون لجيش دابق بعد التدريب.").document.id
    apart = add("قال جيش النظام إن قرية دابق سقطت.").document.id
    assert _ids(store, "جيش دابق") == {first, second, apart}
    assert _ids(store, '"جيش دابق"') == {first, second}
    assert _ids(store, "«جيش دابق»") == {first, second}
    hit = next(h for h in store.search('"جيش دابق"') if h.doc_id == second)
    text = store.get_document(second).document.text
    assert [text[s:e] for s, e in hit.highlights] == ["لجيش", "دابق"]


def test_diacritics_hamza_and_letter_variants_never_matter(store: Store, add: Add) -> None:
    doc = add("قالَ أبو محمّد الأمريكيّ إنّ المدرسةَ مُغلقة في الموصل.").document.id
    for query in ("ابو محمد", "أبو مُحَمَّد", "الامريكي", "الأمْريكي", "المدرسه", "مغلقه",
                  "قال", "الموصل", "ٱلموصل"):  # fmt: skip
        assert _ids(store, query) == {doc}, query
    assert _words(store, "محمد") == ["محمّد"]


def test_both_hamza_seats_match(store: Store, add: Add) -> None:
    first = add("قال مسؤول في المدينة إن شؤون السكان صعبة.").document.id
    second = add("قال مسئول آخر إن الشئون الإدارية متوقفة.").document.id
    assert _ids(store, "مسؤول") == _ids(store, "مسئول") == {first, second}
    assert _ids(store, "الشؤون") == {first, second}


def test_tatweel_and_digits(store: Store, add: Add) -> None:
    doc = add("يضم الجيـــش نحو ٣٠٠٠ مقاتل.").document.id
    assert _ids(store, "الجيش") == {doc}
    assert _ids(store, "3000") == {doc}
    assert _words(store, "3000") == ["٣٠٠٠"]


def test_latin_text_is_searchable_case_blind(store: Store, add: Add) -> None:
    doc = add("According to The Washington Post, files were found in Mosul.").document.id
    assert _ids(store, "washington POST") == {doc}
    assert _ids(store, '"the washington post"') == {doc}
    assert _ids(store, '"post washington"') == set()
    assert _words(store, "mosul") == ["Mosul"]


def test_and_is_the_default_across_sentences(store: Store, add: Add) -> None:
    both = add("دخلت القوات منبج. ثم وصلت إلى الرقة.").document.id
    add("دخلت القوات منبج فقط.")
    assert _ids(store, "منبج الرقة") == {both}


def test_or_exclusion_and_prefix(store: Store, add: Add) -> None:
    a = add("أعلن التنظيم سيطرته على منبج.").document.id
    b = add("أعلن التنظيم سيطرته على الباب.").document.id
    c = add("تحدث عمر الشيشاني عن المعركة في منبج.").document.id
    assert _ids(store, "منبج OR الباب") == {a, b, c}
    assert _ids(store, "التنظيم -منبج") == {b}
    assert _ids(store, 'منبج -"عمر الشيشاني"') == {a}
    assert _ids(store, "الشيشا*") == {c}
    assert _words(store, "الشيشا*") == ["الشيشاني"]


@pytest.mark.parametrize(
    "query",
    ['"', '""', "AND (", "OR", "NOT", ")", "*", "-", "--", '"منبج', 'منبج"', "منبج OR",
     "OR منبج", "NEAR(منبج, 2)", "منبج AND", "^منبج", "col:منبج", "{a b}: c", "'", "\\",
     "%", "_", "منبج*", "***", "-\"", "«", "»", "“", "ـــ", "\u200f", "", "   ", "ً"],
)  # fmt: skip
def test_hostile_input_never_raises(store: Store, add: Add, query: str) -> None:
    add("تقدمت القوات نحو منبج.")
    hits = store.search(query)
    assert store.search_count(query) == len(hits)


def test_hostile_input_is_searched_as_text(store: Store, add: Add) -> None:
    doc = add("قرار AND تنفيذ OR تأجيل NOT إلغاء").document.id
    assert _ids(store, "AND (") == {doc}
    assert _ids(store, "NEAR(قرار)") == set()  # "near" is just a word here
    assert _ids(store, '"منبج') == set()


def test_filters(store: Store, add: Add) -> None:
    a = add(
        "معارك في منبج.",
        language="ar",
        publisher="الجزيرة",
        source_uri="https://www.aljazeera.net/news/1",
        published="2016-03-05",
    ).document.id
    b = add(
        "Fighting in Manbij منبج.",
        language="en",
        publisher="Reuters",
        source_uri="https://reuters.com/x",
        published="2017-11-20T08:00:00",
    ).document.id
    c = add("قصف منبج مجددا.", language="ar", source_uri="file:///tmp/c.txt").document.id
    assert _ids(store, "منبج") == {a, b, c}
    assert _ids(store, "منبج", language="en") == {b}
    assert _ids(store, "منبج", source="reuters") == {b}
    assert _ids(store, "منبج", source="aljazeera.net") == {a}
    assert _ids(store, "منبج", source="الجزيرة") == {a}
    assert _ids(store, "منبج", source="100%") == set()
    assert _ids(store, "منبج", date_from="2017") == {b}
    assert _ids(store, "منبج", date_to="2016-12-31") == {a}
    assert _ids(store, "منبج", date_from="2016-03", date_to="2017-11-20") == {a, b}
    assert store.search_count("منبج", language="ar") == 2
    with pytest.raises(QueryError, match="ISO"):
        store.search("منبج", date_from="05/03/2016")
    with pytest.raises(QueryError, match="limit"):
        store.search("منبج", limit=0)
    with pytest.raises(QueryError, match="offset"):
        store.search("منبج", offset=-1)


def test_pagination_and_ranking(store: Store, add: Add) -> None:
    for i in range(7):
        add(f"تقرير رقم {i}: " + "منبج " * (i + 1) + "وريفها.")
    hits = store.search("منبج", limit=50)
    assert len(hits) == store.search_count("منبج") == 7
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert hits[0].snippet.count("منبج") == 7  # most occurrences ranks first
    pages = [store.search("منبج", limit=3, offset=o) for o in (0, 3, 6)]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [h.doc_id for p in pages for h in p] == [h.doc_id for h in hits]
    assert store.search("منبج", offset=10) == []


def test_snippet_is_the_best_sentence_with_highlights(store: Store, add: Add) -> None:
    text = (
        "مقدمة لا علاقة لها بالموضوع. "
        "ذكر التقرير أن جيش الخلافة انتشر في منبج وجرابلس. "
        "وفي خاتمة التقرير ذكر منبج مرة أخرى."
    )
    analysis = add(text, title="تقرير عن منبج")
    (hit,) = store.search("جيش منبج")
    assert hit.sentence_idx == 1
    assert hit.snippet == "ذكر التقرير أن جيش الخلافة انتشر في منبج وجرابلس."
    assert text[hit.snippet_start : hit.snippet_start + len(hit.snippet)] == hit.snippet
    assert [text[s:e] for s, e in hit.highlights] == ["جيش", "منبج"]
    assert hit.title == "تقرير عن منبج"
    assert hit.source_uri == analysis.document.source_uri


def test_long_sentences_are_trimmed_around_the_match(store: Store, add: Add) -> None:
    filler = " ".join(["كلام"] * 120)
    text = f"{filler} وصل الرتل إلى منبج عند الفجر {filler}."
    add(text)
    (hit,) = store.search("منبج")
    assert len(hit.snippet) <= SNIPPET_CHARS
    assert "منبج" in hit.snippet
    assert text[hit.snippet_start : hit.snippet_start + len(hit.snippet)] == hit.snippet
    assert [text[s:e] for s, e in hit.highlights] == ["منبج"]
    assert not hit.snippet.startswith("لام")  # cut at a word boundary


def test_the_title_is_searchable(store: Store, add: Add) -> None:
    doc = add("نص المقال بلا ذكر للاسم.", title="جيش الخلافة").document.id
    (hit,) = store.search("الخلافة")
    assert hit.doc_id == doc and hit.sentence_idx is None and hit.highlights == []
    assert hit.snippet.startswith("نص المقال")


def test_search_hit_to_dict(store: Store, add: Add) -> None:
    add("وصلت القوات إلى منبج.", published="2016-01-01")
    data = store.search("منبج")[0].to_dict()
    assert data["published"] == "2016-01-01" and data["highlights"] == [[16, 20]]


def test_a_query_too_long_is_a_clear_error(store: Store, add: Add) -> None:
    add("تقدمت القوات نحو منبج.")
    words = " ".join(f"كلمة{i}" for i in range(200))
    with pytest.raises(QueryError, match="at most"):
        store.search(words)
    assert store.search(" ".join(["منبج"] * 60))  # long but within the limit
    alternatives = " OR ".join([f"كلمة{i}" for i in range(300)] + ['"نحو منبج"'] * 300)
    assert len(store.search(alternatives)) == 1  # one group, however many alternatives


def test_latin_queries_find_arabic_text_through_the_expander(
    store: Store, add: Add, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rasid.kb.search as search_module

    monkeypatch.setattr(
        search_module,
        "default_expander",
        lambda conn: lambda text: {"Manbij": ["منبج"]}.get(text, []),
    )
    arabic = add("اشتباكات عنيفة بمنبج.").document.id
    latin = add("Clashes in Manbij.").document.id
    assert _ids(store, "Manbij") == {arabic, latin}
    assert _ids(store, "Manbij", expand=False) == {latin}
    hit = next(h for h in store.search("Manbij") if h.doc_id == arabic)
    text = store.get_document(arabic).document.text
    assert [text[s:e] for s, e in hit.highlights] == ["بمنبج"]


def test_a_phrase_holding_a_word_of_its_group_is_not_needed() -> None:
    from rasid.kb.query import Phrase
    from rasid.kb.search import _necessary

    word, phrase = Phrase(("صلاح",)), Phrase(("محمد", "صلاح"))
    longer = Phrase(("حزب", "الله", "لبناني"))
    shorter = Phrase(("حزب", "الله"))
    assert _necessary([word, phrase]) == [word]
    assert _necessary([shorter, longer]) == [shorter]
    assert _necessary([phrase, phrase]) == [phrase, phrase]  # the same phrase twice: kept
    # A prefix's last term is no whole word: "جيش دا*" is not held by دا.
    prefixed = Phrase(("جيش", "دا"), prefix=True)
    assert _necessary([Phrase(("دا",)), prefixed]) == [Phrase(("دا",)), prefixed]
    assert _necessary([Phrase(("جيش",)), prefixed]) == [Phrase(("جيش",))]


def test_or_of_a_word_and_a_phrase_holding_it_finds_what_the_word_finds(
    store: Store, add: Add
) -> None:
    both = add("سجل محمد صلاح هدفا.").document.id
    word = add("أعلن صلاح الدين البيان.").document.id
    add("لا ذكر للاسم هنا.")
    assert _ids(store, 'صلاح OR "محمد صلاح"') == {both, word} == _ids(store, "صلاح")
    assert _ids(store, '"محمد صلاح"') == {both}
    assert _words(store, '"محمد صلاح" OR صلاح') in (["محمد", "صلاح"], ["صلاح"])


def test_ties_rank_in_the_order_stored_with_or_without_a_filter(store: Store, add: Add) -> None:
    stored = [
        add(f"وصلت القوات إلى منبج. تقرير {i}", published="2016-01-01").document.id
        for i in range(5)
    ]
    plain = [h.doc_id for h in store.search("منبج")]
    filtered = [h.doc_id for h in store.search("منبج", date_from="2016")]
    assert plain == filtered == stored
    assert [h.doc_id for h in store.search("منبج", limit=2, offset=2)] == stored[2:4]


def test_late_filters_page_through_the_ranking_as_if_applied_to_every_match(
    store: Store, add: Add
) -> None:
    import json
    from dataclasses import dataclass

    from rasid.kb.search import Filters, search_page

    @dataclass(frozen=True, slots=True)
    class Allowed(Filters):
        """A filter on another table's kind: asked of the ranked documents in turn."""

        allowed: str = "[]"

        def late_sql(self, doc_id: str) -> tuple[str, list[Any]]:
            return f"{doc_id} IN (SELECT value FROM json_each(?))", [self.allowed]

    for i in range(150):
        add(f"وصلت القوات إلى منبج. {'منبج ' * (i % 7)}تقرير رقم {i}", published="2016-01-01")
    everything = [h.doc_id for h in store.search("منبج", limit=1000)]
    allowed = everything[::3] + everything[1::7]
    expected = [doc_id for doc_id in everything if doc_id in set(allowed)]
    for filters in (
        Allowed(allowed=json.dumps(allowed)),
        Allowed(date_from="2016", allowed=json.dumps(allowed)),  # with a document filter too
    ):
        pages = []
        for offset in range(0, 200, 20):
            hits, more = search_page(store.connection, "منبج", filters, limit=20, offset=offset)
            pages += [h.doc_id for h in hits]
            assert more == (offset + 20 < len(expected))
        assert pages == expected


def test_words_are_counted_as_row_matches_finds_them() -> None:
    from rasid.kb.query import Phrase, count_words, index_text, row_matches
    from rasid.text.tokenize import tokenize

    row = index_text(tokenize("جيش الجيش وجيش منبج جيشان، منبجي ومنبج جيش"))
    for words in (("جيش",), ("منبج",), ("جيش", "منبج"), ("غائب",), ("يش",)):
        found = row_matches(row, [Phrase((w,)) for w in words])
        assert count_words(row, words) == len(found), words
    assert count_words(row, ("جيش",)) == 4


def test_checks_on_the_ranking_give_what_filtering_every_match_gives(
    store: Store, add: Add, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasid.kb import search as search_module
    from rasid.kb.search import Filters, count, search_page

    for i in range(90):
        if i % 3 == 0:
            text = f"قال وزير الخارجية إن المحادثات مستمرة. تقرير {i}"
        elif i % 3 == 1:
            # The words close together, but not in order in one sentence.
            text = f"قال الوزير إن الخارجية تتابع. وزير. الخارجية. تقرير {i}"
        else:
            text = f"{'الخارجية ' * (i % 5)}وصل وزير الدفاع. تقرير {i}"
        add(text, published=f"201{i % 4}-01-01")

    def pages(query: str, filters: Filters) -> list[str]:
        found: list[str] = []
        for offset in range(0, 100, 7):
            hits, more = search_page(store.connection, query, filters, limit=7, offset=offset)
            found += [h.doc_id for h in hits]
            assert more == (len(hits) == 7 and offset + 7 < count(store.connection, query, filters))
        return found

    queries = ('"وزير الخارجية"', '"وزير الخارجية" OR الدفاع', '"وزير الخارجية" تقرير', "تقرير")
    for query in queries:
        # No filter, a wide one, and one that only the lowest ranked documents pass.
        for filters in (Filters(), Filters(date_from="2012"), Filters(date_to="2010")):
            # Every ranked document checked in turn, or (after one) every match verified.
            monkeypatch.setattr(search_module, "_LAZY_CHECK_DOCS", 10_000)
            lazily = pages(query, filters)
            monkeypatch.setattr(search_module, "_LAZY_CHECK_DOCS", 1)
            assert lazily == pages(query, filters), query
            assert len(lazily) == count(store.connection, query, filters), query
    found = store.search('"وزير الخارجية"', limit=1000)
    assert len(found) == 30
    assert all("وزير الخارجية" in store.get_document(h.doc_id).document.text for h in found)
