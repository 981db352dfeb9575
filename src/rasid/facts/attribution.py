"""Attribution chains: who says each thing, from the publisher down to the quoted person.

A chain is a list of :class:`rasid.model.SourceLink`: the publisher first (the
document's publisher, or its dateline "أخبار ليبيا 24-خاص" / "خاص الرقة تذبح
بصمت"), then a relayed source ("صحيفة واشنطن بوست"), then the people quoted
("المقدم مهند التميمي"). Rules, in the order they are tried for each reporting
verb found in a sentence:

* verb-first (``قالت صحيفة X إن``): the source is the phrase between the verb
  and the complementiser; ``نقلت الصحيفة عن Y قوله`` gives two links.
* subject-first (``الصحيفة قالت إن``, ``فإن ضباطا عراقيين يعتقدون``): the phrase
  from the start of the clause to the verb, cut at a relative pronoun.
* no subject (``وأوضحت أن``, ``وتابع ”``) at the start of a sentence: the last
  source whose gender agrees with the verb.
* a definite head noun (``الصحيفة الأمريكية``) or a bare surname (``التميمي``)
  refers back to the last source with that head or surname.
* prepositions (``بحسب``، ``وفقاً لـ``) name a source for the whole sentence.
* impersonal openers (``يذكر أن``) are the publisher's own background.

Sentences without a reporting construction are attributed to the publisher and,
once the document has relayed a media source, to that source as well: news that
summarises another outlet keeps paraphrasing it paragraph after paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rasid.errors import DataFileError
from rasid.facts.keys import local_key
from rasid.facts.lexicon import (
    Folded,
    Gate,
    Lexicon,
    build_lexicon,
    fold,
    fold_key,
    load_data,
    section,
    trie_pattern,
)
from rasid.facts.words import CLAUSE_PUNCT, Word, split_words, strip_clitics
from rasid.model import Document, Mention, SourceLink

_FILE = "reporting.yaml"
_MAX_SUBJECT_WORDS = 10
_MAX_PREVERBAL_WORDS = 22
_LEADING_PARTICLES = frozenset(
    {"قد", "لقد", "وقد", "فقد", "كما", "ثم", "ولكن", "لكن", "وكان", "كان", "وكانت", "كانت"}
)
_PRONOUNS = frozenset({"هو", "هي", "هم", "هما", "هذا", "هذه", "ذلك", "تلك", "انه", "انها"})
_PRONOUN_CLAUSES = frozenset({"وهو", "وهي", "وهم", "وهما"})
_PREPOSITIONS = frozenset({"في", "على", "الى", "من", "عن", "مع", "بعد", "قبل", "خلال", "منذ"})
_CLAUSE_OPENERS = frozenset({"فان", "لكن", "ولكن", "بينما", "حيث", "اذ", "واذ", "وان", "ان"})
_DATELINES = (
    re.compile(r"^\s*(?P<name>[^\n]{2,60}?)\s*[-–—]\s*خاص\s*$"),
    re.compile(r"^\s*خاص\s*[-–—:|]?\s*(?P<name>[^\n]{2,60}?)\s*$"),
)
#: Certainty each verb kind gives to what it reports.
KIND_CERTAINTY = {
    "asserted": "asserted",
    "say": "reported",
    "believe": "believed",
    "deny": "denied",
    "claim": "uncertain",
}


@dataclass(slots=True)
class Source:
    name: str
    gender: str  # "m" | "f" | "p"
    head: str  # folded head noun without article
    kind: str  # "media" | "official" | "person"
    start: int | None = None
    end: int | None = None
    entity_id: str | None = None

    def link(self) -> SourceLink:
        role = "relayed" if self.kind == "media" else "quoted"
        return SourceLink(self.name, role, self.entity_id, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Frame:
    """A reporting construction and the text it governs (original offsets)."""

    chain: tuple[SourceLink, ...]
    kind: str  # key of KIND_CERTAINTY
    cue_start: int
    cue_end: int
    scope_start: int
    scope_end: int


@dataclass(slots=True)
class SentenceAttribution:
    default: tuple[SourceLink, ...]
    frames: list[Frame] = field(default_factory=list)

    def at(self, offset: int) -> tuple[tuple[SourceLink, ...], str]:
        """The chain and verb kind governing ``offset``: the innermost frame."""
        best: Frame | None = None
        for frame in self.frames:
            if frame.scope_start <= offset < frame.scope_end and (
                best is None or frame.scope_start >= best.scope_start
            ):
                best = frame
        if best is not None:
            return best.chain, best.kind
        return self.default, ("say" if len(self.default) > 1 else "asserted")


def _verb_forms(record: dict[str, Any]) -> Iterable[tuple[str, str]]:
    past, present = record.get("past"), record.get("present")
    if not isinstance(past, str) or not isinstance(present, str):
        raise DataFileError(f"facts/{_FILE}: verb {record!r} needs 'past' and 'present'")
    overrides = record.get("forms") or {}
    for form in overrides.get("m") or (past, present):
        yield form, "m"
    generated = {
        "f": [past + "ت", "ت" + present[1:]],
        "p": [past + "وا", present + "ون", past + "ا", present + "ان"],
    }
    for gender in ("f", "p"):
        for form in overrides.get(gender) or generated[gender]:
            yield form, gender


class Attributor:
    """Finds reporting frames sentence by sentence and keeps the discourse memory."""

    def __init__(self) -> None:
        data = load_data(_FILE)
        verbs: list[dict[str, Any]] = []
        for record in section(data, "verbs", _FILE):
            for form, gender in _verb_forms(record):
                verbs.append(
                    {
                        "word": form,
                        "lemma": record["lemma"],
                        "kind": record.get("kind", "say"),
                        "gender": gender,
                        "relay": bool(record.get("relay", False)),
                    }
                )
        self.verbs: Lexicon = build_lexicon("reporting:verbs", verbs, prefixes="verb")
        comp = section(data, "complementizers", _FILE)
        self.complementizers = frozenset(fold_key(w) for w in comp["words"])
        self.relay_markers = frozenset(fold_key(w) for w in section(data, "relay_markers", _FILE))
        prep = section(data, "prepositions", _FILE)
        self.prepositions: Lexicon = build_lexicon(
            "reporting:prepositions", prep["words"], prefixes=str(prep.get("clitics", "particle"))
        )
        imp = section(data, "impersonal", _FILE)
        self.impersonal: Lexicon = build_lexicon(
            "reporting:impersonal", imp["words"], prefixes=str(imp.get("clitics", "particle"))
        )
        self.relatives = frozenset(fold_key(w) for w in section(data, "relatives", _FILE))
        self.gate = Gate([self.verbs, self.prepositions, self.impersonal])
        self.content = re.compile(
            r'[":]|(?<![\w])(?:[وب])?(?:' + trie_pattern(self.complementizers) + r")(?![\w])"
        )
        self.source_nouns: dict[str, dict[str, str]] = {}
        for record in section(data, "source_nouns", _FILE):
            self.source_nouns[strip_clitics(fold_key(record["word"]))] = {
                "gender": str(record.get("gender", "m")),
                "kind": str(record.get("kind", "person")),
            }

    # -- publisher -------------------------------------------------------------

    def publisher(self, document: Document) -> SourceLink:
        """The publisher link: a dateline in the first lines, else document metadata."""
        text = document.text
        position = 0
        for line_no, line in enumerate(text[:800].split("\n")):
            if line_no > 8:
                break
            if len(line.strip()) <= 60:
                for pattern in _DATELINES:
                    match = pattern.match(line)
                    if match:
                        start = position + match.start("name")
                        end = position + match.end("name")
                        return SourceLink(
                            text[start:end], "publisher", local_key(text[start:end]), start, end
                        )
            position += len(line) + 1
        name = document.publisher or document.meta.get("source") or "unknown publisher"
        return SourceLink(str(name), "publisher", local_key(str(name)))

    # -- sentences -------------------------------------------------------------

    def analyse(
        self,
        text: str,
        sentences: Sequence[tuple[int, int]],
        publisher: SourceLink,
        mentions: Sequence[Mention] = (),
        folded_sentences: Sequence[Folded] | None = None,
    ) -> list[SentenceAttribution]:
        """One :class:`SentenceAttribution` per ``(start, end)`` sentence, in order.

        ``folded_sentences`` may carry the sentences already folded (with their
        document offsets as ``base``) to save folding them twice.
        """
        memory: list[Source] = []
        relay: Source | None = None
        results: list[SentenceAttribution] = []
        for n, (start, end) in enumerate(sentences):
            base = (publisher,) if relay is None else (publisher, relay.link())
            attribution = SentenceAttribution(default=base)
            if folded_sentences is not None:
                folded = folded_sentences[n]
            else:
                folded = fold(text[start:end], base=start)
            if self.gate.search(folded):
                found_relay = self._frames(
                    text, folded, start, end, publisher, relay, memory, mentions, attribution
                )
                if found_relay is not None:
                    relay = found_relay
            results.append(attribution)
        return results

    def _frames(
        self,
        text: str,
        folded: Folded,
        start: int,
        end: int,
        publisher: SourceLink,
        relay: Source | None,
        memory: list[Source],
        mentions: Sequence[Mention],
        out: SentenceAttribution,
    ) -> Source | None:
        new_relay: Source | None = None
        impersonal_spans: list[tuple[int, int]] = []
        # Every verb frame needs reported content (أن/إن, a quote, a colon):
        # most sentences with "قال" in them are skipped on this one search.
        has_content = self.content.search(folded.text) is not None
        # The words are split when a verb or a preposition frame first needs
        # them: many sentences have reported content but no verb of saying.
        words: list[Word] | None = None
        for hit in self.impersonal.finditer(folded, text):
            out.frames.append(Frame((publisher,), "asserted", hit.start, hit.end, hit.end, end))
            impersonal_spans.append((hit.start, hit.end))
        for hit in self.verbs.finditer(folded, text) if has_content else ():
            if any(s <= hit.start < e for s, e in impersonal_spans):
                continue
            fstart = folded.from_original(hit.start)
            fend = folded.from_original(hit.end)
            if words is None:
                words = split_words(folded)
            vi = next((i for i, w in enumerate(words) if w.start >= fstart), None)
            if vi is None:
                continue
            sources, scope_f = self._verb_sources(
                words, vi, fend, hit.info, folded, text, memory, mentions
            )
            if not sources or scope_f is None:
                continue
            scope_start = folded.to_original(scope_f, scope_f)[0]
            outer = self._outer_chain(out, hit.start, publisher, relay, sources[0])
            chain = outer + tuple(source.link() for source in sources)
            out.frames.append(
                Frame(chain, str(hit.info["kind"]), hit.start, hit.end, scope_start, end)
            )
            if sources[0].kind == "media":
                new_relay = sources[0]
        for hit in self.prepositions.finditer(folded, text):
            fend = folded.from_original(hit.end)
            if words is None:
                words = split_words(folded)
            after = [w for w in words if w.start >= fend]
            phrase = self._phrase_after(after)
            if not phrase:
                continue
            source = self._resolve(phrase, None, folded, text, memory, mentions)
            at_start = hit.start - start <= 6
            scope = (
                (folded.to_original(phrase[-1].end, phrase[-1].end)[0], end)
                if at_start
                else (start, end)
            )
            outer = self._outer_chain(out, hit.start, publisher, relay, source)
            out.frames.append(
                Frame((*outer, source.link()), "say", hit.start, hit.end, scope[0], scope[1])
            )
            if source.kind == "media":
                new_relay = source
        return new_relay

    def _outer_chain(
        self,
        out: SentenceAttribution,
        offset: int,
        publisher: SourceLink,
        relay: Source | None,
        first: Source,
    ) -> tuple[SourceLink, ...]:
        chain, _ = out.at(offset)
        if chain is not out.default:
            return chain
        if first.kind == "media" or relay is None:
            return (publisher,)
        return (publisher, relay.link())

    # -- the source of one verb -----------------------------------------------

    def _verb_sources(
        self,
        words: list[Word],
        vi: int,
        verb_end: int,
        info: Any,
        folded: Folded,
        text: str,
        memory: list[Source],
        mentions: Sequence[Mention],
    ) -> tuple[list[Source], int | None]:
        gender = str(info["gender"])
        verb_word = words[vi]
        prefixed = verb_word.text[:1] in {"و", "ف"} and not fold_key(str(info["word"])).startswith(
            verb_word.text[:1]
        )
        clause_start = vi
        while clause_start > 0 and vi - clause_start < _MAX_PREVERBAL_WORDS:
            previous = words[clause_start - 1]
            if (
                previous.text in CLAUSE_PUNCT
                or self._is_complementizer(previous)
                or previous.text in _CLAUSE_OPENERS
            ):
                break
            clause_start -= 1
        preverbal = self._trim_subject(words[clause_start:vi])
        after = [w for w in words[vi + 1 :] if w.start >= verb_end]

        if info.get("relay"):
            first_np = self._phrase_after(after, stop_at_relay=True)
            rest = after[len(first_np) :]
            if not rest or rest[0].text not in self.relay_markers:
                return [], None
            quoted_np = self._phrase_after(rest[1:])
            comp = self._complement(rest[1 + len(quoted_np) :], limit=4)
            if not quoted_np or comp is None:
                return [], None
            if first_np:
                first = self._resolve(first_np, gender, folded, text, memory, mentions)
            else:
                found = self._by_gender(memory, gender)
                if found is None:
                    return [], None
                first = found
            second = self._resolve(quoted_np, None, folded, text, memory, mentions)
            return [first, second], comp

        if preverbal and not prefixed:
            comp = self._complement(after, limit=5)
            if comp is None:
                return [], None
            return [self._resolve(preverbal, gender, folded, text, memory, mentions)], comp

        phrase = self._phrase_after(after)
        if phrase:
            rest = after[len(phrase) :]
            limit = 30 if rest and rest[0].text in self.relatives else 4
            comp = self._complement(rest, limit=limit)
            if comp is None:
                return [], None
            return [self._resolve(phrase, gender, folded, text, memory, mentions)], comp

        # No subject: only at the start of a sentence ("وأوضحت أن", "وتابع ”").
        leading = [w for w in words[:vi] if w.text not in _LEADING_PARTICLES and not w.is_punct]
        comp = self._complement(after, limit=1)
        if leading or comp is None:
            return [], None
        found = self._by_gender(memory, gender)
        if found is None:
            return [], None
        memory.remove(found)
        memory.append(found)
        return [found], comp

    def _is_complementizer(self, word: Word) -> bool:
        return word.text in self.complementizers

    def _complement(self, words: list[Word], limit: int) -> int | None:
        """Folded offset where the reported content starts, if it follows soon."""
        for word in words[: limit + 1]:
            if self._is_complementizer(word) or word.text in {'"', ":"}:
                return word.start
            if word.text in {".", "؟", "?", "!"}:
                return None
        return None

    def _phrase_after(self, words: list[Word], stop_at_relay: bool = False) -> list[Word]:
        phrase: list[Word] = []
        for word in words:
            if (
                word.is_punct
                or self._is_complementizer(word)
                or word.text in self.relatives
                or word.text in _PREPOSITIONS
                or word.text in _PRONOUN_CLAUSES
                or (stop_at_relay and word.text in self.relay_markers)
            ):
                break
            phrase.append(word)
            if len(phrase) >= _MAX_SUBJECT_WORDS:
                break
        if phrase and (phrase[0].text in _PRONOUNS or phrase[0].text in _LEADING_PARTICLES):
            return []
        return phrase

    def _trim_subject(self, words: list[Word]) -> list[Word]:
        while words and (words[0].text in _LEADING_PARTICLES or words[0].is_punct):
            words = words[1:]
        for i, word in enumerate(words):
            if word.text in self.relatives:
                words = words[:i]
                break
        while words and words[-1].text in _LEADING_PARTICLES:
            words = words[:-1]  # "مصادر سياسية ... قد كشفت"
        if not words or len(words) > _MAX_SUBJECT_WORDS or words[0].text in _PRONOUNS:
            return []
        if words[0].text in _PREPOSITIONS:
            return []
        return words

    def _by_gender(self, memory: list[Source], gender: str) -> Source | None:
        for source in reversed(memory):
            if source.gender == gender:
                return source
        return memory[-1] if memory else None

    def _resolve(
        self,
        phrase: list[Word],
        verb_gender: str | None,
        folded: Folded,
        text: str,
        memory: list[Source],
        mentions: Sequence[Mention],
    ) -> Source:
        start, _ = folded.to_original(phrase[0].start, phrase[0].start)
        _, end = folded.to_original(phrase[-1].end, phrase[-1].end)
        name = text[start:end].strip()
        if name[:1] in {"و", "ف"} and phrase[0].text[1:3] == "ال":
            name, start = name[1:], start + 1
        head = phrase[0].bare
        definite = phrase[0].text.lstrip("وف").startswith(("ال", "لل"))
        found: Source | None = None
        if definite:
            for source in reversed(memory):
                if source.head == head and (head in self.source_nouns or len(phrase) == 1):
                    found = source
                    break
                surname = source.name.split()[-1] if source.name.split() else ""
                if len(phrase) == 1 and fold_key(surname) == phrase[0].text.lstrip("وف"):
                    found = source
                    break
        if found is not None:
            memory.remove(found)
            memory.append(found)
            return found
        noun = self.source_nouns.get(head, {})
        kind = noun.get("kind")
        entity_id: str | None = None
        for mention in mentions:
            if (
                start <= mention.start
                and mention.end <= end
                and mention.type in {"PERSON", "ORG", "NORP"}
            ):
                entity_id = mention.entity_id or local_key(mention.text)
                if mention.type == "PERSON":
                    kind = kind or "person"
                else:
                    kind = kind or ("media" if mention.subtype == "media" else "official")
                break
        gender = noun.get("gender") or (verb_gender if verb_gender in {"m", "f", "p"} else "m")
        source = Source(
            name, gender, head, kind or "person", start, end, entity_id or local_key(name)
        )
        memory.append(source)
        return source
