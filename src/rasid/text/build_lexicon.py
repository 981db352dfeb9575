"""Rebuild the Arabic word-frequency lexicon from a news corpus.

    python -m rasid.text.build_lexicon [CORPUS.jsonl.gz ...] [--out PATH] [--min-count N]

The corpus is gzip JSONL with a ``text`` field (and optionally ``title``); the
default is the ANT news corpus in ``../shared/data/news``. The output is a
gzip TSV of normalised Arabic word forms and their counts, most frequent
first, used by :mod:`rasid.text.clitics`. Only counts are shipped, never text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from rasid.errors import InputError, MalformedRecordError
from rasid.text.clitics import LEXICON_PATH, analyse_form, encode_analysis
from rasid.text.normalize import FOLD_TABLE
from rasid.text.tokenize import ARABIC_WORD_PATTERN

# ../shared beside the repository, or wherever RASID_SHARED points (as in the tests).
DEFAULT_CORPUS = (
    Path(os.environ.get("RASID_SHARED", Path(__file__).resolve().parents[3].parent / "shared"))
    / "data"
    / "news"
    / "ant-v2.1-non-middle-east.jsonl.gz"
)

_WORD_RE = re.compile(ARABIC_WORD_PATTERN)


def iter_texts(path: Path) -> Iterable[str]:
    """The ``title`` and ``text`` of every record of a gzip JSONL corpus."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line_number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    raise MalformedRecordError(f"{path}:{line_number}: not JSON ({err})") from None
                for field in ("title", "text"):
                    value = record.get(field)
                    if isinstance(value, str):
                        yield value
    except OSError as err:
        raise InputError(f"cannot read corpus {path}: {err}") from None


def count_words(texts: Iterable[str]) -> Counter[str]:
    """Counts of normalised Arabic word forms."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(form for form in _WORD_RE.findall(text.translate(FOLD_TABLE)) if form)
    return counts


def write_lexicon(counts: Counter[str], out: Path, min_count: int, sources: Sequence[Path]) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    kept = {w: c for w, c in counts.items() if c >= min_count}
    rows = sorted(kept.items(), key=lambda row: (-row[1], row[0]))
    # The clitic analysis of each form is precomputed from the very counts
    # shipped, so the tokenizer only computes it for forms not listed here.
    codes = {w: encode_analysis(analyse_form(w, kept)) for w in kept}
    names = ", ".join(path.name for path in sources)
    # mtime=0 keeps the file byte-identical across rebuilds of the same corpus.
    with (
        open(out, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz,
    ):
        gz.write(
            f"# normalised Arabic word counts from {names}; min_count={min_count}; "
            "columns: form, count, clitic analysis (piece ends: p proclitic, a article)\n".encode()
        )
        gz.write("".join(f"{w}\t{c}\t{codes[w]}\n" for w, c in rows).encode("utf-8"))
    return len(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("corpus", nargs="*", type=Path, default=[DEFAULT_CORPUS])
    parser.add_argument("--out", type=Path, default=LEXICON_PATH)
    parser.add_argument("--min-count", type=int, default=2)
    args = parser.parse_args(argv)
    corpora: list[Path] = [path.resolve() for path in args.corpus]
    counts: Counter[str] = Counter()
    for path in corpora:
        counts.update(count_words(iter_texts(path)))
    rows = write_lexicon(counts, args.out, args.min_count, corpora)
    print(f"{rows} forms (of {len(counts)}) written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
