"""CoNLL ``token TAG`` files, span extraction and span-level scoring.

Span extraction follows seqeval's default (non-strict) convention, which is how
ANERcorp results are reported: an ``I-X`` after ``O`` or after another type
opens a span, and a span ends at any tag change. Nested files (Wojood: several
IOB2 tags on one token) are read into one tag list per token.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rasid.errors import EmptyInputError, InputError, MalformedRecordError


@dataclass(frozen=True, slots=True)
class TaggedSentence:
    tokens: tuple[str, ...]
    # One tuple of tags per token; flat files have exactly one tag a token.
    tags: tuple[tuple[str, ...], ...]

    def flat_tags(self) -> list[str]:
        return [t[0] if t else "O" for t in self.tags]


def read_conll(path: Path, nested: bool = False) -> list[TaggedSentence]:
    """Read a ``token TAG [TAG ...]`` file; blank lines separate sentences.

    Wojood ends some sentences with a ``$#$`` token: it is dropped.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8: {exc}") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    sentences = parse_conll(text.splitlines(), nested=nested, source=str(path))
    if not sentences:
        raise EmptyInputError(f"{path} holds no sentences (expected 'token TAG' lines)")
    return sentences


def parse_conll(
    lines: Iterable[str], nested: bool = False, source: str = "<lines>"
) -> list[TaggedSentence]:
    sentences: list[TaggedSentence] = []
    tokens: list[str] = []
    tags: list[tuple[str, ...]] = []

    def flush() -> None:
        if tokens:
            sentences.append(TaggedSentence(tuple(tokens), tuple(tags)))
        tokens.clear()
        tags.clear()

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        parts = line.split()
        if len(parts) < 2:
            raise MalformedRecordError(
                f"{source}:{number}: expected 'token TAG', got {line[:60]!r}"
            )
        token, labels = parts[0], parts[1:]
        if token == "$#$":
            continue
        for label in labels:
            if label != "O" and (len(label) < 3 or label[:2] not in ("B-", "I-")):
                raise MalformedRecordError(
                    f"{source}:{number}: tag {label!r} is not IOB2 (O, B-TYPE, I-TYPE)"
                )
        if not nested:
            labels = labels[:1]
        labels = [label for label in labels if label != "O"] or ["O"]
        tokens.append(token)
        tags.append(tuple(labels))
    flush()
    return sentences


Span = tuple[str, int, int]  # (type, start token, end token exclusive)


def _split(tag: str) -> tuple[str, str]:
    if tag == "O":
        return "O", ""
    return tag[0], tag[2:]


def spans_from_tags(tags: Sequence[str]) -> list[Span]:
    """seqeval's default ``get_entities`` for IOB2 (plus tolerant E/S)."""
    spans: list[Span] = []
    prev_prefix, prev_type = "O", ""
    begin = 0
    for i, tag in enumerate([*tags, "O"]):
        prefix, typ = _split(tag)
        ends = (
            prev_prefix in ("E", "S")
            or (prev_prefix in ("B", "I") and prefix in ("B", "S", "O"))
            or (prev_prefix != "O" and prev_type != typ)
        )
        if ends and prev_prefix != "O":
            spans.append((prev_type, begin, i))
        starts = (
            prefix in ("B", "S")
            or (prev_prefix in ("E", "S", "O") and prefix in ("E", "I"))
            or (prefix != "O" and prev_type != typ)
        )
        if starts:
            begin = i
        prev_prefix, prev_type = prefix, typ
    return spans


def nested_spans(tags: Sequence[tuple[str, ...]]) -> list[Span]:
    """All spans of a nested file: IOB2 read separately for each type."""
    types = sorted({t[2:] for token_tags in tags for t in token_tags if t != "O"})
    spans: list[Span] = []
    for typ in types:
        column: list[str] = []
        for token_tags in tags:
            mine = [t for t in token_tags if t != "O" and t[2:] == typ]
            # A token both opening and continuing the same type: the opening wins.
            column.append(("B-" + typ) if f"B-{typ}" in mine else (mine[0] if mine else "O"))
        spans.extend(spans_from_tags(column))
    return sorted(spans, key=lambda s: (s[1], -(s[2] - s[1]), s[0]))


def tags_from_spans(length: int, spans: Iterable[Span]) -> list[str]:
    """IOB2 tags for non-overlapping spans (earlier, longer spans win overlaps)."""
    tags = ["O"] * length
    for typ, start, end in sorted(spans, key=lambda s: (s[1], -(s[2] - s[1]))):
        if any(tags[i] != "O" for i in range(start, end)):
            continue
        tags[start] = "B-" + typ
        for i in range(start + 1, end):
            tags[i] = "I-" + typ
    return tags


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float
    per_type: dict[str, dict[str, float]]
    support: int

    def to_dict(self) -> dict[str, object]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
            "per_type": {
                k: {m: (round(v, 4) if m != "support" else int(v)) for m, v in d.items()}
                for k, d in sorted(self.per_type.items())
            },
        }


def _prf(tp: int, n_pred: int, n_true: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_true if n_true else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> Scores:
    """Micro precision/recall/F1 over exact spans, with a per-type breakdown."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted hold different numbers of sentences")
    true_set: set[tuple[int, str, int, int]] = set()
    pred_set: set[tuple[int, str, int, int]] = set()
    for n, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        if len(g) != len(p):
            raise ValueError(f"sentence {n}: {len(g)} gold tags but {len(p)} predicted")
        true_set.update((n, *s) for s in spans_from_tags(g))
        pred_set.update((n, *s) for s in spans_from_tags(p))
    types = sorted({s[1] for s in true_set | pred_set})
    per_type: dict[str, dict[str, float]] = {}
    for typ in types:
        t = {s for s in true_set if s[1] == typ}
        pr = {s for s in pred_set if s[1] == typ}
        tp, tr, tf = _prf(len(t & pr), len(pr), len(t))
        per_type[typ] = {"precision": tp, "recall": tr, "f1": tf, "support": float(len(t))}
    mp, mr, mf = _prf(len(true_set & pred_set), len(pred_set), len(true_set))
    return Scores(mp, mr, mf, per_type, len(true_set))
