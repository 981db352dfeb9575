"""Trigger lexicons: YAML word lists compiled into one regular expression each.

Facts run on every sentence of large corpora, so the first step for any layer is
one ``search`` of one compiled pattern over a folded copy of the sentence; only
sentences with a hit get the detailed analysis. Lexicons are data files under
``rasid/data/facts/`` so that analysts can extend them without touching code.

Matching happens on a *folded* text (alef/ya/ta-marbuta variants unified,
diacritics and tatweel removed, Eastern digits made Western). The fold is local
and cheap on purpose: it must cost one ``str.translate`` on the common path
where the sentence carries no diacritics, and every match maps back to exact
offsets in the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from rasid.errors import DataFileError

# A chain of str.replace beats str.translate by an order of magnitude on Arabic
# text (translate is only fast for ASCII), and most pairs are absent anyway.
# Each pair is one character for one (fold_spans relies on it).
_FOLD_PAIRS: tuple[tuple[str, str], ...] = (
    ("أ", "ا"),
    ("إ", "ا"),
    ("آ", "ا"),
    ("ٱ", "ا"),
    ("ة", "ه"),
    ("ى", "ي"),
    ("ؤ", "و"),
    ("ئ", "ي"),
    ("ک", "ك"),
    ("ی", "ي"),
    ("“", '"'),
    ("”", '"'),
    ("«", '"'),
    ("»", '"'),
    ("٪", "%"),
    ("،", ","),
    *((chr(0x0660 + d), str(d)) for d in range(10)),
    *((chr(0x06F0 + d), str(d)) for d in range(10)),
)
if any(len(old) != 1 or len(new) != 1 for old, new in _FOLD_PAIRS):
    raise ImportError("rasid.facts.lexicon: a fold pair must replace one character by one")
# Marks that are dropped by the fold: harakat, Quranic marks, superscript alef, tatweel.
_DROP = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+")


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded copy of a text with a map back to original offsets."""

    text: str
    # ``offsets[i]`` is the original index of folded char ``i``; one extra entry
    # at the end. ``None`` when the fold kept every character (identity map).
    offsets: tuple[int, ...] | None
    base: int = 0  # original offset of the folded text's first character

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self.offsets is None:
            return start + self.base, end + self.base
        return self.offsets[start] + self.base, self.offsets[end] + self.base

    def from_original(self, offset: int) -> int:
        """Folded index of an original offset (first folded char at or after it)."""
        local = offset - self.base
        if self.offsets is None:
            return max(0, min(local, len(self.text)))
        lo, hi = 0, len(self.offsets) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self.offsets[mid] < local:
                lo = mid + 1
            else:
                hi = mid
        return lo


def fold(text: str, base: int = 0) -> Folded:
    """Fold ``text`` for matching; ``base`` is added to every mapped offset."""
    return _drop_marks(_replace_pairs(text), base)


def fold_spans(text: str, spans: Iterable[tuple[int, int]]) -> list[Folded]:
    """``fold(text[start:end], base=start)`` for each span, the text's letters
    replaced once for all of them.

    Every pair replaces one character by one character, so the replaced
    sentence is the slice of the replaced text: a document pays one pass of
    the replacement chain instead of one per sentence.
    """
    translated = _replace_pairs(text)
    if _DROP.search(translated) is None:
        return [Folded(translated[start:end], None, start) for start, end in spans]
    return [_drop_marks(translated[start:end], start) for start, end in spans]


def _replace_pairs(text: str) -> str:
    for old, new in _FOLD_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def _drop_marks(translated: str, base: int) -> Folded:
    if _DROP.search(translated) is None:
        return Folded(translated, None, base)
    kept: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _DROP.finditer(translated):
        kept.append(translated[position : match.start()])
        offsets.extend(range(position, match.start()))
        position = match.end()
    kept.append(translated[position:])
    offsets.extend(range(position, len(translated)))
    offsets.append(len(translated))
    return Folded("".join(kept), tuple(offsets), base)


def fold_key(text: str) -> str:
    """The folded form of a lexicon entry, with whitespace collapsed."""
    return " ".join(fold(text).text.split())


# Clitic prefixes and inflectional suffixes an entry may carry in running text.
_PREFIXES = {
    "none": "",
    "verb": "(?:[وف])?(?:س)?",
    "noun": "(?:[وف])?(?:[بك]?ال|لل|[بلك])?",
    "particle": "(?:[وف])?",
    # Names keep their own article ("القاعدة" is not "قاعدة"): conjunction and
    # one preposition only.
    "name": "(?:[وف])?(?:[بلك])?",
}
_SUFFIXES = {
    "none": "",
    "noun": "(?:ا|ان|ين|ه|ها|هم|هما|ي)?",
    "verb": "(?:وا|ا|ت|تا|ن|ون|ان|ه|ها|هم|نا)?",
    # Event triggers mix nouns and verbs: accept the endings of both.
    "trigger": "(?:ا|ان|ين|ه|ها|هم|هما|ي|وا|ت|تا|ون|نا)?",
}
_WORD_START = r"(?<![\w])"
_WORD_END = r"(?![\w])"


@dataclass(frozen=True, slots=True)
class LexMatch:
    """A lexicon hit, with offsets in the original text."""

    key: str  # folded entry that matched
    start: int
    end: int
    text: str
    info: Mapping[str, Any]


@dataclass(slots=True)
class Lexicon:
    """Entries of one kind compiled into a single alternation.

    ``entries`` maps a folded entry to its attributes (``type``, ``gender``...).
    """

    name: str
    entries: dict[str, dict[str, Any]]
    prefixes: str = "noun"
    suffixes: str = "none"
    pattern: re.Pattern[str] = field(init=False)
    # The entries alone, without clitics or word boundaries: a text holding
    # none of them cannot match ``pattern``. It is searched about twice as
    # fast (no assertion to try at every position), and most texts fail it.
    gate: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        if self.prefixes not in _PREFIXES or self.suffixes not in _SUFFIXES:
            raise DataFileError(
                f"lexicon {self.name!r}: clitics must be one of {sorted(_PREFIXES)} "
                f"and suffixes one of {sorted(_SUFFIXES)}"
            )
        if not self.entries:
            raise DataFileError(f"lexicon {self.name!r} has no entries")
        if self.prefixes == "noun":
            # The clitic group already takes the article, and a regex that has
            # eaten "ال" never retries without it: key "القائد العام" as
            # "قائد العام" so that both spellings reach it.
            # Both keys stay: "الكترونية" is not an article plus "كترونية".
            for key, info in list(self.entries.items()):
                self.entries.setdefault(_strip_article(key), info)
        body = trie_pattern(self.entries)
        self.pattern = re.compile(
            f"{_WORD_START}{_PREFIXES[self.prefixes]}(?P<core>{body}){_SUFFIXES[self.suffixes]}{_WORD_END}"
        )
        self.gate = re.compile(body)

    def search(self, folded: Folded) -> bool:
        text = folded.text
        return self.gate.search(text) is not None and self.pattern.search(text) is not None

    def finditer(self, folded: Folded, original: str) -> Iterator[LexMatch]:
        """Hits in ``folded``; ``original`` is the full document text."""
        if self.gate.search(folded.text) is None:
            return
        for match in self.pattern.finditer(folded.text):
            key = " ".join(match.group("core").split())
            start, end = folded.to_original(match.start(), match.end())
            yield LexMatch(key, start, end, original[start:end], self.entries[key])

    def __contains__(self, word: str) -> bool:
        return fold_key(word) in self.entries


def trie_pattern(keys: Iterable[str]) -> str:
    """One regular expression for many phrases, shaped as a character trie.

    Python's ``re`` tries the branches of a flat alternation one by one at
    every position; a trie lets it fail on the first character instead, which
    is what keeps the per-sentence gate cheap. Longer continuations are tried
    before a key ends, so the longest entry wins. Spaces match any whitespace.
    """
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = []
    for char in sorted(k for k in node if k):
        atom = r"\s+" if char == " " else re.escape(char)
        branches.append(atom + _trie_regex(node[char]))
    if not branches:
        return ""
    inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return "(?:" + inner + ")?"
    return inner


def any_entry(lexicons: Iterable[Lexicon]) -> re.Pattern[str]:
    """A pattern found in every text that one of ``lexicons`` matches.

    It is the union of their gates (the entries, with no clitics or word
    boundaries), so a text it does not match holds no hit of any of them: a
    rule that searches several lexicons in turn pays one search for a
    sentence with none of their words instead of one per lexicon.
    """
    keys: set[str] = set()
    for lexicon in lexicons:
        keys.update(lexicon.entries)
    return re.compile(trie_pattern(keys))


def _strip_article(key: str) -> str:
    return key[2:] if key.startswith("ال") and len(key) > 4 else key


class Gate:
    """One permissive pattern over the entries of several lexicons.

    A sentence that does not match it cannot match any of them, so the
    per-sentence cost of deciding "nothing to do here" is a single search.
    It accepts every clitic and suffix any of the lexicons accepts.
    """

    def __init__(self, lexicons: Iterable[Lexicon]) -> None:
        keys: set[str] = set()
        for lexicon in lexicons:
            keys.update(lexicon.entries)
        body = trie_pattern(keys)
        self.pattern = re.compile(
            f"{_WORD_START}(?:[وف])?(?:س)?(?:[بك]?ال|لل|[بلك])?(?:{body}){_SUFFIXES['trigger']}{_WORD_END}"
        )
        self.gate = re.compile(body)  # as Lexicon.gate

    def search(self, folded: Folded) -> bool:
        text = folded.text
        return self.gate.search(text) is not None and self.pattern.search(text) is not None


def build_lexicon(
    name: str,
    items: Sequence[str | Mapping[str, Any]],
    prefixes: str = "noun",
    suffixes: str = "none",
    defaults: Mapping[str, Any] | None = None,
) -> Lexicon:
    """Compile a list of words or ``{word: ..., ...attributes}`` records."""
    entries: dict[str, dict[str, Any]] = {}
    for item in items:
        if isinstance(item, str):
            record: dict[str, Any] = {"word": item}
        elif isinstance(item, Mapping) and isinstance(item.get("word"), str):
            record = dict(item)
        else:
            raise DataFileError(f"lexicon {name!r}: entry {item!r} needs a 'word'")
        attributes = {**(defaults or {}), **record}
        key = fold_key(attributes["word"])
        if not key:
            raise DataFileError(f"lexicon {name!r}: empty entry {item!r}")
        entries.setdefault(key, attributes)
    return Lexicon(name, entries, prefixes, suffixes)


@cache
def load_data(filename: str) -> dict[str, Any]:
    """Load one YAML file from ``rasid/data/facts``."""
    resource = resources.files("rasid").joinpath("data", "facts", filename)
    try:
        raw = resource.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"lexicon file facts/{filename} is missing from rasid/data") from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as err:
        raise DataFileError(f"facts/{filename} is not valid YAML: {err}") from None
    if not isinstance(data, dict):
        raise DataFileError(f"facts/{filename} must hold a mapping at the top level")
    return data


def section(data: Mapping[str, Any], key: str, filename: str) -> Any:
    try:
        return data[key]
    except KeyError:
        raise DataFileError(f"facts/{filename} lacks the section {key!r}") from None


def lexicon_from(filename: str, key: str, **options: Any) -> Lexicon:
    """Build a lexicon from a section of a data file.

    A section is either a list of entries, or a mapping with ``words`` and
    optional ``clitics``/``suffixes``/other default attributes.
    """
    raw = section(load_data(filename), key, filename)
    if isinstance(raw, Mapping):
        words = raw.get("words")
        if not isinstance(words, list):
            raise DataFileError(f"facts/{filename}: section {key!r} needs a 'words' list")
        defaults = {
            k: v for k, v in raw.items() if k not in {"words", "clitics", "suffixes", "examples"}
        }
        return build_lexicon(
            f"{filename}:{key}",
            words,
            prefixes=str(raw.get("clitics", options.get("prefixes", "noun"))),
            suffixes=str(raw.get("suffixes", options.get("suffixes", "none"))),
            defaults=defaults,
        )
    if isinstance(raw, list):
        return build_lexicon(f"{filename}:{key}", raw, **options)
    raise DataFileError(f"facts/{filename}: section {key!r} must be a list or a mapping")
