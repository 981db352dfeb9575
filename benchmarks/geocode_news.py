"""How much of the news is geocoded: place-like mentions in 200 articles about Syria or Iraq.

Takes the first 200 articles of the ANT corpus that mention سوريا or العراق
(seeded shuffle, so the same 200 every run), finds their place-like mentions,
geocodes each with the article's other mentions as context, and reports the
share resolved. A seeded sample of 50 (mention, sentence, chosen candidate) is
written to ``benchmarks/out/geocode_sample.txt`` for checking by hand (half
from each finder below, so that it is not all country names).

Mentions come from the NER component when a trained model is installed
(``--finder ner``), else from a finder that does not depend on the resolver
(``--finder rules``, the default):
  * trigger phrases: a place word (مدينة، بلدة، قرية، محافظة، ريف، حي، مخيم، مطار،
    معبر، سد، قاعدة، ولاية، إقليم) and the one or two words after it;
  * gazetteer names: a 1-3 word span (clitics allowed on its first word) that is
    the name of a country, a curated place or a GeoNames place of 100,000+
    people, unless it is a single word also common as an ordinary word in the
    news corpus counts (الباب "the door", التل "the hill").
The trigger mentions are the fair test of the resolver (it has not seen them);
the gazetteer mentions always resolve, so for them only the hand check says
anything (is عمان Amman or Oman?).

    python benchmarks/geocode_news.py [--news PATH] [--articles 200] [--finder rules|ner]
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from rasid.names.folding import fold
from rasid.places.gazetteer import load_gazetteer
from rasid.places.geocode import geocode
from rasid.places.keys import arabic_place_key
from rasid.text.clitics import load_lexicon

REPO = Path(__file__).resolve().parents[1]
DEFAULT_NEWS = REPO.parent / "shared" / "data" / "news" / "ant-v2.1-non-middle-east.jsonl.gz"
OUT = REPO / "benchmarks" / "out" / "geocode_sample.txt"

TRIGGERS = (
    "مدينة بلدة قرية محافظة ريف حي مخيم مطار معبر سد قاعدة ولاية إقليم اقليم منطقة ناحية"
).split()
# Words that end a place phrase after a trigger: function words and verbs of reporting.
STOP = set(
    "في من على عن إلى الى الي مع بعد قبل حيث التي الذي الذين وقد قد كما أن ان إن لا لم لن ما هو هي "
    "و أو او ثم حتى منذ خلال بين عند ضد نحو قال قالت وقال وقالت أمس اليوم شمال جنوب شرق غرب شمالي "
    "جنوبي شرقي غربي الواقعة الواقع التابعة التابع".split()
)
WORD = re.compile(r"[\u0621-\u064a\u0660-\u0669\u0671-\u06d3A-Za-z0-9]+")
SENTENCE = re.compile(r"[^.!؟?\n]+[.!؟?]?")
# A single word this frequent in the corpus counts is an ordinary word first
# (الباب, بشار, الثورة), unless it names a country or a city of a million.
COMMON_WORD = 100


@dataclass
class Found:
    start: int
    end: int
    text: str
    how: str  # "trigger" | "gazetteer" | "ner"


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in SENTENCE.finditer(text) if m.group().strip()]


def _first_word_forms(word: str) -> list[str]:
    forms = [word]
    if len(word) >= 4 and word[0] in "وف":
        forms.append(word[1:])
    for form in list(forms):
        if len(form) >= 4 and form.startswith("لل"):
            forms.append("ال" + form[2:])
        if len(form) >= 4 and form[0] in "بلك":
            forms.append(form[1:])
    return forms


class RuleFinder:
    def __init__(self) -> None:
        self.gazetteer = load_gazetteer()
        self.counts = load_lexicon()

    def _strong(self, phrase: str, surface: str, single: bool) -> bool:
        counts = max(self.counts.get(fold(phrase), 0), self.counts.get(fold(surface), 0))
        common = single and counts >= COMMON_WORD
        # السورية، الصوفية: an article word ending in ي/ية is an adjective first
        bare = fold(surface).lstrip("وفبلك")
        adjective = single and bare.startswith("ال") and bare.endswith(("يه", "ي"))
        for place in self.gazetteer.lookup_arabic(arabic_place_key(phrase)):
            strong = place.type in {"country", "admin1"} or place.curated
            if not (strong or place.population >= 100_000):
                continue
            if adjective and arabic_place_key(place.name_ar) != arabic_place_key(phrase):
                continue
            if common and place.type != "country" and place.population < 1_000_000:
                continue
            return True
        return False

    def find(self, text: str) -> list[Found]:
        words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
        found: list[Found] = []
        taken: set[int] = set()
        i = 0
        while i < len(words):
            start, _, word = words[i]
            bare = [
                f for f in _first_word_forms(fold(word)) if fold(f) in {fold(t) for t in TRIGGERS}
            ]
            if bare and i + 1 < len(words):
                # the place phrase: up to two words, stopping at a function word
                j = i + 1
                while j < len(words) and j <= i + 2 and fold(words[j][2]) not in STOP:
                    if text[words[j - 1][1] : words[j][0]].strip():
                        break  # punctuation between the words ends the phrase
                    j += 1
                if j > i + 1:
                    end = words[j - 1][1]
                    found.append(Found(start, end, text[start:end], "trigger"))
                    taken.update(range(i, j))
                    i = j
                    continue
            for n in (3, 2, 1):
                if i + n > len(words) or any(k in taken for k in range(i, i + n)):
                    continue
                span_start, span_end = words[i][0], words[i + n - 1][1]
                surface = text[span_start:span_end]
                if any(text[words[k][1] : words[k + 1][0]].strip() for k in range(i, i + n - 1)):
                    continue
                rest = " ".join(w[2] for w in words[i + 1 : i + n])
                if any(
                    self._strong(f"{form} {rest}".strip(), surface, n == 1)
                    for form in _first_word_forms(fold(word))
                ):
                    found.append(Found(span_start, span_end, surface, "gazetteer"))
                    taken.update(range(i, i + n))
                    i += n - 1
                    break
            i += 1
        return found


class NerFinder:
    def __init__(self) -> None:
        import importlib

        from rasid.pipeline import build_pipeline

        for module in ("rasid.text.components", "rasid.ner.component"):
            importlib.import_module(module)
        self.pipeline = build_pipeline(["text.sentences", "text.tokens", "ner.crf"])

    def find(self, text: str) -> list[Found]:
        from rasid.model import Document

        analysis = self.pipeline(Document(text=text, sha256="0" * 64, source_uri="bench"))
        return [
            Found(m.start, m.end, m.text, "ner")
            for m in analysis.mentions
            if m.type in {"GPE", "LOC", "FACILITY"}
        ]


def _articles(path: Path, count: int) -> list[dict[str, str]]:
    pool: list[dict[str, str]] = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if "سوريا" in doc["text"] or "العراق" in doc["text"]:
                pool.append(doc)
    random.Random(20261125).shuffle(pool)
    return pool[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--news", type=Path, default=DEFAULT_NEWS)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--finder", choices=("rules", "ner"), default="rules")
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not args.news.exists():
        sys.exit(f"news corpus not found at {args.news}")

    finder: RuleFinder | NerFinder = NerFinder() if args.finder == "ner" else RuleFinder()
    articles = _articles(args.news, args.articles)
    rows: list[dict[str, object]] = []
    started = time.perf_counter()
    for doc in articles:
        text = doc["text"]
        mentions = finder.find(text)
        names = list(dict.fromkeys(m.text for m in mentions))
        spans = _sentences(text)
        for mention in mentions:
            context = [n for n in names if n != mention.text]
            candidates = geocode(mention.text, context=context)
            sentence = next((text[s:e] for s, e in spans if s <= mention.start < e), "")
            rows.append(
                {
                    "doc": doc["id"],
                    "how": mention.how,
                    "mention": mention.text,
                    "sentence": " ".join(sentence.split()),
                    "best": candidates[0].to_dict() if candidates else None,
                    "n_candidates": len(candidates),
                }
            )
    elapsed = time.perf_counter() - started

    by_how: dict[str, list[dict[str, object]]] = collections.defaultdict(list)
    for row in rows:
        by_how[str(row["how"])].append(row)
    print(
        f"articles: {len(articles)} mentioning سوريا/العراق; mentions: {len(rows)}; "
        f"geocoding time {elapsed:.1f} s ({1000 * elapsed / max(1, len(rows)):.1f} ms/mention)"
    )
    for how, group in sorted(by_how.items()):
        resolved = [r for r in group if r["best"]]
        print(
            f"  {how:9s} mentions {len(group):5d}  resolved {len(resolved):5d}  "
            f"({100 * len(resolved) / max(1, len(group)):.1f}%)"
        )
    resolved_all = [r for r in rows if r["best"]]
    print(
        f"  all       mentions {len(rows):5d}  resolved {len(resolved_all):5d}  "
        f"({100 * len(resolved_all) / max(1, len(rows)):.1f}%)"
    )
    precision = collections.Counter(r["best"]["precision"] for r in resolved_all)  # type: ignore[index]
    countries = collections.Counter(r["best"]["country"] for r in resolved_all)  # type: ignore[index]
    print(f"  precision of resolved: {dict(sorted(precision.items()))}")
    print(f"  top countries: {countries.most_common(8)}")

    # Half the sample from each way of finding mentions: a plain random draw
    # would be mostly country names, which tell little about the resolver.
    rng = random.Random(50)
    sample: list[dict[str, object]] = []
    groups = sorted(by_how.items())
    for k, (_, group) in enumerate(groups):
        share = (args.sample - len(sample)) // (len(groups) - k)
        sample += rng.sample(group, min(share, len(group)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for n, row in enumerate(sample, start=1):
            best = row["best"]
            chosen = (
                f"{best['id']} | {best['name_ar']} / {best['name_en']} | {best['type']} | "  # type: ignore[index]
                f"{best['country']} {best['admin1']} | {best['lat']:.3f},{best['lon']:.3f} | "  # type: ignore[index]
                f"p{best['precision']} | score {best['score']:.2f} of {row['n_candidates']}"  # type: ignore[index]
                if best
                else "UNRESOLVED"
            )
            handle.write(
                f"[{n}] ({row['how']}) {row['mention']}\n    {row['sentence'][:300]}\n    → {chosen}\n\n"
            )
    print(f"sample of {len(sample)} written to {args.out}")


if __name__ == "__main__":
    main()
