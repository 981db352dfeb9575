"""Matching keys of place names, Arabic and Latin.

The Arabic key is the name fold (:func:`rasid.names.folding.fold`) with the
article taken off every word, so الرقة = رقة = الرقه and عين العرب = عين عرب.
The Latin key drops accents, apostrophes, the article and the spelling noise
of romanised Arabic ("Ar Raqqah" = "Raqqa", "Al Mawsil" = "Mawsil").
Changing either changes :data:`FOLD_VERSION`, and the derived GeoNames index
must then be rebuilt (a test checks that its stored keys are still current).
"""

from __future__ import annotations

import re

from rasid.names.folding import fold, fold_latin, strip_article, strip_latin_article

__all__ = ["FOLD_VERSION", "arabic_place_key", "latin_place_key", "place_key"]

FOLD_VERSION = "1"


def arabic_place_key(name: str) -> str:
    return " ".join(strip_article(w) for w in fold(name).split())


def latin_place_key(name: str) -> str:
    words = [strip_latin_article(w) for w in fold_latin(name).replace("-", " - ").split()]
    text = " ".join(
        w for w in words if w not in {"-", "al", "el", "ar", "as", "ad", "an", "at", "az"}
    )
    text = strip_latin_article(text)
    text = re.sub(r"[\s-]+", "", text)
    text = re.sub(r"(?<=[aeiou])h\b", "", text)  # Raqqah → Raqqa
    return re.sub(r"(.)\1+", r"\1", text)  # Raqqa → Raqa, Jirah/Jirrah


def place_key(name: str) -> str:
    """The key of ``name`` in whichever script it is written."""
    from rasid.names.folding import has_arabic

    return arabic_place_key(name) if has_arabic(name) else latin_place_key(name)
