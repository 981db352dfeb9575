"""Clitic segmentation of Arabic words: و ف (conjunctions), ب ل ك (prepositions),
س (future) and the article ال, including the fused forms لل بال وال ولل وبال...

Whether a leading letter is a clitic or part of the word (وقال vs وزير, بغداد,
لبنان, كركوك) is decided with word frequencies from a news corpus (see
:mod:`rasid.text.build_lexicon`): ``w + X`` is split when X is a word seen in
the corpus and the whole form is not much more frequent than the clitic would
make it by attaching to X. A short exception list covers frequent words that
the counts alone get wrong (كان and لكن look like ك + أن and ل + كن).

A tatweel after a clitic ("لـ ٤٠٠٠", "لـداعش", "الـ") is an explicit split.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from itertools import pairwise
from pathlib import Path

from rasid.errors import DataFileError
from rasid.text.normalize import FOLD_TABLE, LENGTH_CHANGING_RE, TATWEEL

__all__ = [
    "LEXICON_PATH",
    "NO_SPLIT",
    "SegmentTuple",
    "analyse_form",
    "encode_analysis",
    "load_analyses",
    "load_lexicon",
    "segment_word",
    "split_points",
]

LEXICON_PATH = Path(__file__).resolve().parents[1] / "data" / "lexicon" / "ar_word_counts.tsv.gz"

# (text, relative start, relative end, norm, role)
SegmentTuple = tuple[str, int, int, str, str]

# Upper bound on count(p + X) / count(X) for p + X to be read as the clitic p
# on X: a loose guard against a rare X that happens to be a word (فيصل is not
# ف + يصل). The main evidence is embedding, below.
_MAX_RATIO = 20.0
_MAX_RATIO_ARTICLE_REST = 200.0
# Clitics that attach rarely get a tighter bound (كاملا is not ك + أملا).
_MAX_RATIO_BY_CLITIC = {"ك": 0.5, "ف": 3.0, "س": 5.0}
# A form W = p + X is itself a stem when it takes, in the corpus, a prefix that
# could not stand before the clitic p (الوزير, بلبنان, لفرنسا): then W is not
# p + X. "Takes" means: such forms make up at least this share of count(W).
# When W is much rarer than X (the usual case for a clitic on a word, e.g.
# وروسيا and روسيا) stray coincidences are tolerated more (بوروسيا is
# Borussia, not ب + وروسيا).
_EMBED_SHARE = 0.02
_EMBED_SHARE_RARE_WHOLE = 0.25
_RARE_WHOLE_RATIO = 0.3
_EMBED_MIN = 2
_LAM_PREFIXES = frozenset(("ل", "ول", "فل"))

# Prefixes that cannot precede a conjunction (every prefix), a preposition
# (another preposition or the article) or the future س.
_BEFORE_PREPOSITION = ("ب", "ل", "ك", "ال", "لل", "بال", "كال")
_EMBEDDERS: dict[str, tuple[str, ...]] = {
    "و": (*_BEFORE_PREPOSITION, "و", "ف"),
    "ف": (*_BEFORE_PREPOSITION, "و", "ف"),
    "ب": _BEFORE_PREPOSITION,
    "ل": _BEFORE_PREPOSITION,
    "ك": _BEFORE_PREPOSITION,
    "س": ("ب", "ك", "ال", "لل", "بال", "كال"),
    # ل + ال is written لل; "لال..." is ل before a word that begins with ال itself.
    "ال": ("ل",),
}
for _clitic, _prefixes in list(_EMBEDDERS.items()):
    _EMBEDDERS[_clitic] = (*_prefixes, *("و" + q for q in _prefixes), *("ف" + q for q in _prefixes))

_CONJUNCTIONS = frozenset("وف")
_PREPOSITIONS = frozenset("بلك")
# سـ before the imperfect prefixes ي ت ن; not before أ (first person), which
# news rarely uses and which would make names of سا... (سانا, سارا) clitics.
_FUTURE_STEM_INITIALS = frozenset("يتن")

# Normalised forms that are never split although the counts would allow it.
NO_SPLIT: frozenset[str] = frozenset(
    """
    كان كانت كانوا كانا كنا كنت لكن لكنه لكنها لكنهم ليس ليست ليسوا لدي لديه لديها لديهم
    لدينا لديك لديكم لعل لعله لعلها
    الله لله والله بالله الذي التي الذين اللذين اللذان اللتان اللتين اللاتي اللواتي اللائي
    الي اليه اليها اليهم اليهما اليك الا الان الاف الف الفا الية اليات الاه الات الم
    واحد واحدا واحده وحده وحدها وحدهم ولايه ولايات وكاله وزير وزيره وزراء وزاره ولد والد والده والدي
    فقط فوق فيه فيها فيهم فيما
    بين بينما بعد بعض بيان بلد بلاد بريطانيا بل بدا بدل بدلا بداو بداوا بوست بالي
    كما كل كلا كلها كلمه كيف
    سنه سنوات سيد سيده بوروسيا
    """.split()
)

_FORCED_PREFIXES: dict[str, tuple[str, ...]] = {}


def _forced_pieces() -> None:
    # Every combination of conjunction, preposition and article that can stand
    # before a tatweel: its pieces, e.g. "وبال" → ("و", "ب", "ال").
    for conj in ("", "و", "ف"):
        for prep in ("", "ب", "ل", "ك"):
            for art in ("", "ال"):
                pieces = [p for p in (conj, prep, art) if p]
                if not pieces:
                    continue
                if prep == "ل" and art:
                    pieces[-1] = "ل"  # ل + ال is written لل
                _FORCED_PREFIXES["".join(pieces)] = tuple(pieces)


_forced_pieces()

_TATWEEL_SPLIT_RE = re.compile(f"^([^{TATWEEL}]+?){TATWEEL}+")


_CODE_RE = re.compile(r"(\d+)([pa])")
_CODE_ROLES = {"p": "proclitic", "a": "article"}


def encode_analysis(points: list[tuple[int, str]]) -> str:
    """The lexicon's third column: clitic piece ends and roles, e.g. "1p3a"."""
    return "".join(f"{end}{role[0]}" for end, role in points[:-1])


@cache
def _load(path: Path) -> tuple[dict[str, int], dict[str, str]]:
    counts: dict[str, int] = {}
    analyses: dict[str, str] = {}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line_number, line in enumerate(handle, 1):
                if line.startswith("#"):
                    continue
                fields = line.rstrip("\n").split("\t")
                try:
                    counts[fields[0]] = int(fields[1])
                except (ValueError, IndexError):
                    raise DataFileError(
                        f"{path}:{line_number}: expected 'word<TAB>count[<TAB>analysis]', "
                        f"got {line!r}"
                    ) from None
                if len(fields) > 2 and fields[2]:
                    analyses[fields[0]] = fields[2]
    except FileNotFoundError:
        raise DataFileError(
            f"the word-frequency lexicon {path} is missing; rebuild it with "
            "`python -m rasid.text.build_lexicon`"
        ) from None
    except (OSError, EOFError) as err:
        raise DataFileError(f"the word-frequency lexicon {path} is unreadable: {err}") from None
    return counts, analyses


def load_lexicon(path: Path = LEXICON_PATH) -> dict[str, int]:
    """Word-form counts (normalised forms) from the lexicon file."""
    return _load(path)[0]


def load_analyses(path: Path = LEXICON_PATH) -> dict[str, str]:
    """Precomputed clitic analyses of the lexicon's forms that split (see
    :func:`encode_analysis`); a form in the lexicon but not here does not split."""
    return _load(path)[1]


def _splits(whole: str, rest: str, clitic: str, counts: dict[str, int]) -> bool:
    """Is ``whole`` the clitic ``clitic`` attached to the word ``rest``?"""
    if len(rest) < 2 or whole in NO_SPLIT:
        return False
    whole_count = counts.get(whole, 0)
    share = _EMBED_SHARE
    if clitic != "ال":
        rest_count = counts.get(rest, 0)
        if rest_count == 0 and clitic in _CONJUNCTIONS and rest[0] in _PREPOSITIONS:
            # و + ب + منبج: the remainder is itself a clitic on a known word.
            inner = counts.get(rest[1:], 0)
            if (
                inner
                and len(rest) > 3
                and whole_count < 3  # ولايتها is a word, not و + ل + أيتها
                and _splits(rest, rest[1:], rest[0], counts)
            ):
                rest_count = inner
        if rest_count == 0:
            # An unseen remainder: split only when it is itself an article word
            # (وبالمنبجيين), never a bare unknown (بغديدا is not ب + غديدا).
            if not (rest.startswith("ال") and len(rest) > 3 and whole_count < 3):
                return False
        else:
            # A preposition on an article word is often idiomatic and far more
            # frequent than the bare word (بالإضافة beside الإضافة).
            if rest.startswith("ال"):
                ratio = _MAX_RATIO_ARTICLE_REST
            else:
                ratio = _MAX_RATIO_BY_CLITIC.get(clitic, _MAX_RATIO)
            if whole_count > ratio * rest_count:
                return False
            if whole_count <= _RARE_WHOLE_RATIO * rest_count:
                share = _EMBED_SHARE_RARE_WHOLE
    # The article is productive: an unseen ال-word is still ال + word, unless
    # the whole form is embedded like a stem.
    if whole_count < _EMBED_MIN:
        return True
    embedded = 0
    # ل + a word in ل is written like ل + the article (للجنة), so it is no evidence.
    skip_lam = whole[0] == "ل"
    for prefix in _EMBEDDERS[clitic]:
        if skip_lam and prefix in _LAM_PREFIXES:
            continue
        embedded += counts.get(prefix + whole, 0)
    return embedded < max(_EMBED_MIN, share * whole_count)


def split_points(norm: str, counts: dict[str, int] | None = None) -> list[tuple[int, str]]:
    """The clitic analysis of a normalised word: ``(end in norm, role)`` pieces,
    the last one always the stem ending at ``len(norm)``.

    With the shipped lexicon, known forms take their precomputed analysis.
    """
    if counts is None:
        counts, analyses = _load(LEXICON_PATH)
        code = analyses.get(norm)
        if code is not None:
            points = [(int(end), _CODE_ROLES[role]) for end, role in _CODE_RE.findall(code)]
            points.append((len(norm), "stem"))
            return points
        if norm in counts:
            return [(len(norm), "stem")]
    return analyse_form(norm, counts)


def analyse_form(norm: str, counts: dict[str, int]) -> list[tuple[int, str]]:
    """:func:`split_points` computed from ``counts``, without precomputed analyses."""
    pieces: list[tuple[int, str]] = []
    position = 0
    form = norm
    if form and form[0] in _CONJUNCTIONS and _splits(form, form[1:], form[0], counts):
        position += 1
        pieces.append((position, "proclitic"))
        form = form[1:]
    if form and form[0] in _PREPOSITIONS:
        if form.startswith("لل") and len(form) > 3:
            # لل is ل + ال (للجيش), or ل on a word that begins with ل, with or
            # without an article elided (للبنان, للجنة): the likelier free word wins.
            free = "ا" + form[1:]
            lam_word = form[1:]
            if max(counts.get("ال" + lam_word, 0), counts.get(lam_word, 0)) > counts.get(free, 0):
                if _splits(form, lam_word, "ل", counts):
                    position += 1
                    pieces.append((position, "proclitic"))
                pieces.append((len(norm), "stem"))
                return pieces
            if _splits(form, free, "ل", counts):
                position += 1
                pieces.append((position, "proclitic"))
                form = form[1:]
                if _splits(free, free[2:], "ال", counts):
                    position += 1
                    pieces.append((position, "article"))
                    form = form[1:]
                pieces.append((len(norm), "stem"))
                return pieces
        elif _splits(form, form[1:], form[0], counts):
            position += 1
            pieces.append((position, "proclitic"))
            form = form[1:]
    elif (
        form
        and form[0] == "س"
        and len(form) > 3
        and form[1] in _FUTURE_STEM_INITIALS
        and _splits(form, form[1:], "س", counts)
    ):
        position += 1
        pieces.append((position, "proclitic"))
        form = form[1:]
    if form.startswith("ال") and _splits(form, form[2:], "ال", counts):
        position += 2
        pieces.append((position, "article"))
    pieces.append((len(norm), "stem"))
    return pieces


def _widths(surface: str) -> list[int]:
    # cumulative[i] = length of the fold of surface[:i]
    cumulative = [0]
    total = 0
    table = FOLD_TABLE
    for char in surface:
        replacement = table.get(ord(char))
        total += 1 if replacement is None else len(replacement)
        cumulative.append(total)
    return cumulative


def _surface_cuts(surface: str, norm_cuts: list[int]) -> list[int] | None:
    """Surface index for each cut in the fold; a cut goes after any deleted
    characters (diacritics, tatweel) that follow the letter before it."""
    if LENGTH_CHANGING_RE.search(surface) is None:
        return norm_cuts
    cumulative = _widths(surface)
    cuts: list[int] = []
    for cut in norm_cuts:
        index = -1
        for i in range(len(cumulative) - 1, -1, -1):
            if cumulative[i] == cut:
                index = i
                break
            if cumulative[i] < cut:
                break
        if index <= (cuts[-1] if cuts else 0):
            return None  # a ligature spans the cut, or an empty piece
        cuts.append(index)
    return cuts


def _pieces_from_cuts(
    surface: str, cuts: list[int], roles: list[str], norm: str | None = None
) -> tuple[SegmentTuple, ...] | None:
    """``norm``: the surface's fold, when it folds character for character
    (then a piece's norm is the same slice of it)."""
    bounds = [0, *cuts, len(surface)]
    out: list[SegmentTuple] = []
    for (begin, end), role in zip(pairwise(bounds), roles, strict=True):
        if end <= begin:
            return None
        piece = surface[begin:end]
        piece_norm = norm[begin:end] if norm is not None else piece.translate(FOLD_TABLE)
        out.append((piece, begin, end, piece_norm, role))
    return tuple(out)


def _forced(surface: str) -> tuple[SegmentTuple, ...] | None:
    match = _TATWEEL_SPLIT_RE.match(surface)
    if match is None:
        return None
    head = match.group(1).translate(FOLD_TABLE)
    pieces = _FORCED_PREFIXES.get(head)
    if pieces is None:
        return None
    roles = ["proclitic"] * len(pieces)
    if len(pieces) > 1 or pieces[0] == "ال":
        if pieces[-1] == "ال" or (pieces[-1] == "ل" and head.endswith("لل")):
            roles[-1] = "article"
    norm_cuts: list[int] = []
    total = 0
    for piece in pieces[:-1]:
        total += len(piece)
        norm_cuts.append(total)
    head_cuts = _surface_cuts(match.group(1), norm_cuts)
    if head_cuts is None:
        return None
    tail_start = match.end()
    cuts = [*head_cuts]
    if tail_start < len(surface):
        cuts.append(tail_start)
        roles.append("stem")
    else:
        # The clitic stands alone ("لـ ٤٠٠٠"): its last piece runs to the end.
        pass
    return _pieces_from_cuts(surface, cuts, roles)


_CACHE: dict[str, tuple[SegmentTuple, ...]] = {}
_CACHE_LIMIT = 200_000


def segment_word(surface: str, norm: str | None = None) -> tuple[SegmentTuple, ...]:
    """Clitic segments of one Arabic word as ``(text, start, end, norm, role)``
    relative to the word; they tile the word exactly. ``norm``: the word's
    fold (``FOLD_TABLE``), if the caller has it."""
    cached = _CACHE.get(surface)
    if cached is not None:
        return cached
    result: tuple[SegmentTuple, ...] | None = None
    if TATWEEL in surface:
        result = _forced(surface)
    if result is None:
        if norm is None:
            norm = surface.translate(FOLD_TABLE)
        points = split_points(norm)
        if len(points) > 1:
            norm_cuts = [end for end, _role in points[:-1]]
            cuts = _surface_cuts(surface, norm_cuts)
            if cuts is not None:
                result = _pieces_from_cuts(
                    surface,
                    cuts,
                    [role for _end, role in points],
                    norm if cuts is norm_cuts else None,
                )
        if result is None:
            result = ((surface, 0, len(surface), norm, "stem"),)
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[surface] = result
    return result
