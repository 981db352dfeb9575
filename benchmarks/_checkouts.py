"""What the benchmarks share: the news corpus, and running a script under two checkouts.

The same-output checks (``ner_same_output.py``, ``analysis_same_output.py``)
run themselves once under this checkout's ``src`` and once under another's,
each in its own process, and compare what the two wrote.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

#: The ANT news corpus beside the project (``../shared``).
NEWS = Path(__file__).resolve().parents[2] / "shared/data/news/ant-v2.1-non-middle-east.jsonl.gz"
SRC = Path(__file__).resolve().parents[1] / "src"


def checkout_arguments(articles: int) -> argparse.ArgumentParser:
    """The command line of a same-output check (``--dump`` is its own inner call)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("other_src", type=Path, help="the src/ folder of the other checkout")
    parser.add_argument("corpus", nargs="?", type=Path, default=NEWS)
    parser.add_argument("--articles", type=int, default=articles)
    parser.add_argument("--skip", type=int, default=0, help="start after this many articles")
    parser.add_argument("--dump", type=Path, default=None, help=argparse.SUPPRESS)
    return parser


def dumps_of_both(script: str, args: argparse.Namespace) -> tuple[str, str]:
    """The text ``script --dump FILE`` writes under this checkout, then under the other."""
    texts = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, src in (("ours", SRC), ("theirs", args.other_src.resolve())):
            out = Path(tmp) / f"{name}.out"
            command = [sys.executable, script, str(args.other_src), str(args.corpus)]
            command += ["--articles", str(args.articles), "--skip", str(args.skip)]
            command += ["--dump", str(out)]
            subprocess.run(command, check=True, env={**os.environ, "PYTHONPATH": str(src)})
            texts.append(out.read_text(encoding="utf-8"))
    return texts[0], texts[1]
