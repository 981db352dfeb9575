"""Numbers in Arabic news text: digits in any script, number words, hedges, units.

``find_numbers`` folds the text once without changing its length (see
:mod:`rasid.text.scan`), so every offset found in the folded copy is an offset in
the original. A trie-shaped regex finds the words that can start a number (digits,
number words, vague plurals, fractions, ordinals, dual nouns); only windows around
them are tokenised and read, left to right, by :class:`_Scanner`.

Conventions (documented in docs/numbers-dates.md): ``value`` is the best
single value; ``low``/``high`` bound it. Hedges set the bounds by class from
``numbers.yaml`` (``نحو 100`` → 90–110, ``أكثر من 100`` → 100–150). Vague
plurals carry their range (``عشرات`` → 20–99, best 30). Fractions alone are
shares (``ثلث`` → 0.3333, kind ``"share"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rasid.errors import InputError
from rasid.model import Analysis, Mention
from rasid.pipeline import Component, registry
from rasid.text.number_lexicon import counted_noun_class, number_lexicon, strip_lookup
from rasid.text.scan import PROCLITICS, fold_arabic, fold_key, windows

__all__ = [
    "NumberMatch",
    "counted_noun_class",
    "find_numbers",
    "fold_arabic",
    "fold_key",
    "number_mention",
    "parse_number",
]

KINDS = ("count", "percent", "share", "year", "ordinal", "other")

_TOKEN_RE = re.compile(
    r"(?P<n>\d+(?:[.,٫٬]\d+)*)"
    r"|(?P<w>[\u0621-\u064A\u0671-\u06D3]+(?:\u0640+[\u0621-\u064A\u0671-\u06D3]*)*|\u0640+)"
    r"|(?P<p>%)"
    r"|(?P<o>[^\s\w]|[^\W\d]+)"
)


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """A number expression. ``start``/``end`` cover hedge + number + unit.

    ``number_start``/``number_end`` cover the number alone; ``unit`` is the
    counted noun as written and ``unit_key`` its folded lemma-like key.
    """

    start: int
    end: int
    text: str
    value: float
    low: float
    high: float
    approximate: bool
    hedge: str | None
    unit: str | None
    unit_key: str | None
    unit_class: str | None
    is_percent: bool
    kind: str
    number_start: int
    number_end: int

    @property
    def is_share(self) -> bool:
        return self.kind == "share"

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "approximate": self.approximate,
            "hedge": self.hedge,
            "unit": self.unit,
            "unit_key": self.unit_key,
            "unit_class": self.unit_class,
            "is_percent": self.is_percent,
            "is_share": self.is_share,
            "kind": self.kind,
            "number_start": self.number_start,
            "number_end": self.number_end,
        }


def _digits_value(raw: str, before_scale: bool) -> tuple[float, bool] | None:
    """Value of a digit run and whether it is a plain integer without separators.

    ``٬`` is always a thousands separator and ``٫`` always decimal. With ``.``
    or ``,``: several separators with 3-digit groups are thousands; one
    separator before exactly three digits is thousands ("1,500", "1.500")
    unless a scale word follows ("1.500 مليون" = 1.5 million); otherwise decimal.
    """
    s = raw.replace("٬", "")
    if "٫" in s:
        s = s.replace("٫", ".")
        return (float(s), False) if s.count(".") == 1 and "," not in s else None
    seps = [c for c in s if c in ".,"]
    if not seps:
        return float(s), True
    groups = re.split(r"[.,]", s)
    if len(set(seps)) == 2:
        dec = seps[-1]
        head, _, tail = s.rpartition(dec)
        return float(head.replace("." if dec == "," else ",", "") + "." + tail), False
    if len(seps) > 1:
        if all(len(g) == 3 for g in groups[1:]):
            return float("".join(groups)), False
        return None
    if len(groups[1]) == 3 and 1 <= len(groups[0]) <= 3 and not before_scale:
        return float("".join(groups)), False
    return float(groups[0] + "." + groups[1]), False


@dataclass
class _Core:
    end: int  # token index after the core
    value: float
    low: float
    high: float
    approximate: bool
    kind: str  # count | share | ordinal
    plain_int: bool = False
    digits: int = 0
    unit_tok: int = -1  # a dual noun is its own unit
    vague: bool = False  # "عشرات", "الآلاف": may take a definite noun
    scale: float = 0.0  # the scale word that ends it ("5 آلاف" -> 1000)
    skip: int = 0  # characters of a proclitic before the number ("وعشرات")


class _Scanner:
    def __init__(self, text: str, folded: str, lo: int, hi: int, triggers: frozenset[int]) -> None:
        self.text = text
        self.folded = folded
        self.lex = number_lexicon()
        self.triggers = triggers  # start offsets of trigger words
        found = list(_TOKEN_RE.finditer(folded, lo, hi))
        if "\u0640" in folded[lo:hi]:  # folded diacritics: drop them from keys
            found = [m for m in found if m.lastgroup != "w" or m.group().strip("\u0640")]
            self.keys = [m.group().replace("\u0640", "") for m in found]
        else:
            self.keys = [m.group() for m in found]
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]
        self.kinds: list[str] = [m.lastgroup or "o" for m in found]
        self.n = len(self.keys)

    # -- helpers -------------------------------------------------------------
    def key(self, i: int) -> str:
        return self.keys[i] if 0 <= i < self.n else ""

    def _proclitic_len(self, offset: int) -> int:
        """Length of a one-letter proclitic at ``offset`` with its diacritics."""
        size = 1
        while self.folded[offset + size : offset + size + 1] == "\u0640":
            size += 1
        return size

    def _is_label(self, i: int) -> bool:
        """Token ``i`` names what the number after it labels ("الفرقة 17", "رقم 3")."""
        bare = self._bare(i)
        if bare in ("رقم", "عدد"):
            return True
        return bare.startswith("ال") and len(bare) > 3 and bare not in self.lex.not_units

    def _bare(self, i: int) -> str:
        """Token ``i`` without a leading و/ف conjunction."""
        key = self.key(i)
        return key[1:] if len(key) > 2 and key[0] in "وف" else key

    def run(self) -> list[NumberMatch]:
        kinds, starts, triggers = self.kinds, self.starts, self.triggers
        out: list[NumberMatch] = []
        i = 0
        while i < self.n:
            kind = kinds[i]
            if kind == "n" or (kind == "w" and starts[i] in triggers):
                match, nxt = self._parse_at(i)
                if match is not None:
                    out.append(match)
                i = max(nxt, i + 1)
            else:
                i += 1
        return out

    # -- number cores --------------------------------------------------------
    def _core(self, i: int) -> _Core | int | None:
        """The number starting at token ``i``; an int means 'skip to here'."""
        if i >= self.n:
            return None
        if self.kinds[i] == "n":
            return self._digits_core(i)
        if self.kinds[i] == "w":
            return self._word_core(i)
        return None

    def _digits_core(self, i: int) -> _Core | int | None:
        keys, kinds = self.keys, self.kinds
        raw = keys[i]
        # Dates, times, phone numbers and codes are not quantities: skip them whole.
        if kinds[i - 1 : i] == ["o"] and keys[i - 1] in "/:" and kinds[i - 2 : i - 1] == ["n"]:
            return i + 1
        j = i
        while j + 2 < self.n and keys[j + 1] in ("/", ":") and kinds[j + 2] == "n":
            j += 2
        if j > i:
            return j + 1
        if (
            j + 4 < self.n
            and keys[j + 1] == "-"
            and kinds[j + 2] == "n"
            and keys[j + 3] == "-"
            and kinds[j + 4] == "n"
        ):
            return j + 5
        if (len(raw) >= 7 and raw.isdigit()) or (len(raw) > 1 and raw[0] == "0" and raw.isdigit()):
            return i + 1
        if i > 0 and keys[i - 1] == "+":
            return i + 1
        # A score or a ratio ("تأخره 2-0", "3-1") is not a count or a range.
        if (
            i + 2 < self.n
            and keys[i + 1] == "-"
            and kinds[i + 2] == "n"
            and raw.isdigit()
            and keys[i + 2].isdigit()
            and int(keys[i + 2]) <= int(raw)
            and len(raw) <= 2
        ):
            return i + 3
        nxt = self.key(i + 1)
        scale = self.lex.words.get(nxt)
        before_scale = scale is not None and scale[0] in ("scale", "scale_plural")
        parsed = _digits_value(raw, before_scale)
        if parsed is None:
            return i + 1
        value, plain = parsed
        end = i + 1
        if before_scale and scale is not None:
            value *= scale[1]
            plain = False
            end = i + 2
            # "14 الف و372", "مليون و698 الف": a smaller part joined by و.
            while end + 1 < self.n and keys[end] == "و" and kinds[end + 1] == "n":
                part = self._digits_core(end + 1)
                if not isinstance(part, _Core) or part.value >= scale[1]:
                    break
                value += part.value
                end = part.end
        core = _Core(end, value, value, value, False, "count", plain, len(raw))
        if before_scale and scale is not None:
            core.scale = scale[1]
        return core

    def _word_core(self, i: int) -> _Core | int | None:
        core = self._word_core_inner(i)
        if (
            isinstance(core, _Core)
            and strip_lookup(self.keys[i], self.lex.triggers) != self.keys[i]
        ):
            core.skip = self._proclitic_len(self.starts[i])
        return core

    def _word_core_inner(self, i: int) -> _Core | int | None:
        lex, keys = self.lex, self.keys
        first = keys[i]
        # Vague plurals: "عشرات", "الآلاف من", "عشرات الآلاف".
        vk = strip_lookup(first, lex.vague)
        if vk is not None:
            low, high, best = lex.vague[vk]
            end = i + 1
            mult = lex.vague_mult.get(self.key(i + 1))
            if mult is not None and vk not in ("الاف", "الالاف", "الوف", "الالوف"):
                low, high, best = low * mult, high * mult, best * mult
                end = i + 2
            return _Core(end, best, low, high, True, "count", vague=True)
        ok = strip_lookup(first, lex.ordinals)
        if ok is not None:
            if self._bare(i - 1) in lex.ordinal_blockers:
                return i + 1
            v = float(lex.ordinals[ok])
            return _Core(i + 1, v, v, v, False, "ordinal")
        dk = strip_lookup(first, lex.dual_nouns)
        if dk is not None and strip_lookup(first, lex.words) is None:
            return _Core(i + 1, 2.0, 2.0, 2.0, False, "count", unit_tok=i)
        fk = strip_lookup(first, lex.fractions)
        if fk is not None and strip_lookup(first, lex.words) is None:
            frac = lex.fractions[fk]
            scale = lex.words.get(self.key(i + 1))
            if scale is not None and scale[0] == "scale":
                v = frac * scale[1]
                return _Core(i + 2, v, v, v, False, "count")
            if fk in lex.frac_scale_only:
                return None
            return _Core(i + 1, frac, frac, frac, False, "share")
        return self._compose(i)

    def _compose(self, i: int) -> _Core | int | None:
        """Compose number words: "ثلاثة آلاف وخمسمئة وخمسة وعشرون"."""
        lex, keys, kinds = self.lex, self.keys, self.kinds
        total = 0.0
        cur = 0.0
        last = ""
        last_scale = 0.0
        j = i
        while j < self.n and kinds[j] == "w":
            key = keys[j]
            conj = False
            nxt = j
            if j > i:
                if key == "و" and last == "scale" and j + 1 < self.n and kinds[j + 1] == "n":
                    part = self._digits_core(j + 1)  # "مليون و698 الف"
                    if isinstance(part, _Core) and part.value < last_scale:
                        total += part.value
                        j = part.end
                    break
                if key == "و" and j + 1 < self.n and kinds[j + 1] == "w":
                    nxt, key, conj = j + 1, keys[j + 1], True
                elif (key[:1] == "و" and key[1:] in lex.words) or key in lex.half_after:
                    key, conj = key[1:], True
            else:
                stripped = strip_lookup(key, lex.words)
                if stripped is None:
                    return None
                key = stripped
            if conj and last == "scale" and key in ("نصف", "نص"):
                total += last_scale / 2
                j = nxt + 1
                break
            atom = lex.words.get(key)
            if atom is None:
                break
            typ, v = atom
            if typ == "unit" and key in ("عشر", "عشره") and last == "unit" and not conj:
                if 0 < cur % 100 < 10 and cur % 10 == cur % 100:
                    cur += 10
                    last = "teen"
                else:
                    break
            elif typ == "unit":
                if j == i:
                    if v == 1 and self._bare(i - 1) in lex.not_count_before_one:
                        return i + 1
                    cur, last = v, "unit"
                elif conj and last in ("hundred", "scale"):
                    cur += v
                    last = "unit"
                else:
                    break
            elif typ == "teen_head":
                tail = self.key(nxt + 1)
                if tail not in ("عشر", "عشره"):
                    break
                if j == i or (conj and last in ("hundred", "scale")):
                    cur += v + 10
                    last = "teen"
                    nxt += 1
                else:
                    break
            elif typ == "tens":
                if j == i:
                    cur, last = v, "tens"
                elif conj and (last == "unit" or last in ("hundred", "scale")):
                    cur += v
                    last = "tens"
                else:
                    break
            elif typ == "hundred":
                if j == i:
                    cur, last = v, "hundred"
                elif not conj and last == "unit" and v == 100 and cur < 10:
                    cur, last = cur * 100, "hundred"
                elif conj and last == "scale" and cur == 0:
                    cur, last = v, "hundred"
                else:
                    break
            elif typ == "scale":
                if j == i:
                    total, last = v, "scale"
                elif not conj and cur > 0 and last != "scale":
                    total, cur, last = total + cur * v, 0.0, "scale"
                else:
                    break
                last_scale = v
            elif typ == "scale_plural":
                if not conj and 0 < cur and last != "scale":
                    total, cur, last = total + cur * v, 0.0, "scale"
                    last_scale = v
                else:
                    break
            elif typ == "scale_dual":
                if j == i:
                    total, last, last_scale = 2 * v, "scale", v
                else:
                    break
            j = nxt + 1
        if j == i:
            return None
        value = total + cur
        return _Core(j, value, value, value, False, "count", scale=last_scale if cur == 0 else 0.0)

    # -- one expression ------------------------------------------------------
    def _parse_at(self, i: int) -> tuple[NumberMatch | None, int]:
        lex, keys, kinds = self.lex, self.keys, self.kinds
        core = self._core(i)
        if core is None:
            return None, i + 1
        if isinstance(core, int):
            return None, core
        j = core.end
        hedge_start: int | None = None
        years = False
        hedge_cls: str | None = None
        first_tok = i
        kind = core.kind
        value, low, high, approx = core.value, core.low, core.high, core.approximate

        # Hedges before the number.
        h = self._hedge_before(i)
        if h is not None:
            first_tok, hedge_start, hedge_cls = h
        # Ranges: "بين 300 و 500", "من 300 إلى 500", "300-500", "ثلاثة أو أربعة".
        if kind == "count" and core.unit_tok < 0 and j < self.n:
            joiner = keys[j]
            # "بين ثلاثة وخمسة": the و may be attached to the second number.
            glued = hedge_cls == "range" and joiner[:1] == "و" and len(joiner) > 2
            if glued or joiner in lex.range_joiners or (joiner == "و" and hedge_cls == "range"):
                at = j if glued else j + 1
                second = self._core(at)
                if (
                    isinstance(second, _Core)
                    and second.kind == "count"
                    and second.unit_tok < 0
                    and second.value > value
                    and (kinds[i] == "n") == (kinds[at] == "n")
                ):
                    if joiner not in ("-", "–", "—") or kinds[i] == "n":
                        if second.scale and value < second.scale <= second.value / value:
                            # "بين 3 و5 آلاف": the scale word serves both ends.
                            value = low = value * second.scale
                        high = second.high
                        years = (
                            core.plain_int
                            and second.plain_int
                            and core.digits == second.digits == 4
                            and 1800 <= value < second.value <= 2100
                            and strip_lookup(self.key(second.end), lex.nouns) is None
                        )
                        value = (value + second.value) / 2
                        approx = True
                        j = second.end
                        if h is None and keys[i - 1 : i] == ["من"] and joiner != "او":
                            first_tok, hedge_start = i - 1, None
        if hedge_cls == "range" and not approx:
            hedge_start, hedge_cls, first_tok = None, None, i

        # Percent markers.
        is_percent = False
        if years:
            # "من 2014 إلى 2016", "2014-2016": a span of years, not a count.
            return self._year_span(i, first_tok, hedge_start, j, low, high), j
        if kind in ("count", "share") and j < self.n and self._joined(j):
            if keys[j] == "%" or keys[j] in lex.percent_words:
                is_percent, j = True, j + 1
            elif tuple(keys[j : j + 2]) in lex.percent_phrases:
                is_percent, j = True, j + 2
            if is_percent:
                kind = "percent"
                if core.kind == "share":
                    value, low, high = value * 100, low * 100, high * 100

        # Years: "عام 2016", "2016م", bare 19xx/20xx without a counted noun.
        unit_i = core.unit_tok
        unit_start = unit_end = -1
        if unit_i < 0 and kind in ("count", "share") and j < self.n and kinds[j] == "w":
            if keys[j] in lex.date_words and core.digits and core.value <= 31:
                kind = "other"  # the day of a date: "5 مارس", "15 رمضان"
            else:
                unit_i, j = self._unit(j, core)
        if (
            kind == "count"
            and core.plain_int
            and core.digits == 4
            and 1000 <= value <= 2100
            and (unit_i < 0 or lex.nouns.get(keys[unit_i], ("", "time"))[1] == "time")
            and hedge_cls is None
            and not approx
        ):
            prev = strip_lookup(self.key(first_tok - 1), lex.year_cues)
            if prev is not None or self.key(core.end) in ("م", "ه") or 1900 <= value <= 2100:
                kind = "year"
                unit_i = -1
                j = core.end
        if kind == "ordinal":
            unit_i = -1
        if (
            kind == "count"
            and unit_i < 0
            and kinds[i] == "n"
            and hedge_cls is None
            and not approx
            and first_tok == i
            and self._is_label(i - 1)
        ):
            kind = "other"  # a label, not a count: "الدقيقة 36", "المادة 5", "رقم 3"
        unit = unit_key = unit_class = None
        if unit_i >= 0:
            unit_start, unit_end = self.starts[unit_i], self.ends[unit_i]
            unit = self.text[unit_start:unit_end]
            k = keys[unit_i]
            noun = strip_lookup(k, lex.nouns) or strip_lookup(k, lex.dual_nouns)
            if noun is None and k.startswith("ال") and k[2:] in lex.nouns:
                noun = k[2:]
            if noun is not None:
                unit_key, unit_class = lex.nouns.get(noun) or lex.dual_nouns[noun]
            else:
                unit_key = k[2:] if k.startswith("ال") and len(k) > 4 else k
                if 11 <= value <= 99 and unit_key.endswith("ا") and len(unit_key) > 3:
                    unit_key = unit_key[:-1]  # accusative after 11-99: "84 نائبا"

        # Hedges after: "٤٠٠٠ عنصر تقريباً", "100 على الأقل".
        if hedge_cls is None and kind in ("count", "percent", "share") and self._joined(j):
            for length in (2, 1):
                tup = tuple(keys[j : j + length])
                cls = lex.hedges_after.get(tup) if len(tup) == length else None
                if cls is not None:
                    hedge_cls = cls
                    hedge_start = self.starts[j]
                    j += length
                    break
        hedge: str | None = None
        if hedge_cls is not None and hedge_start is not None:
            if hedge_start < self.starts[i]:
                hedge = self.text[hedge_start : self.ends[i - 1]]
            else:
                hedge = self.text[hedge_start : self.ends[j - 1]]
            if hedge_cls != "range":
                f_low, f_high = lex.hedge_factors[hedge_cls]
                if not approx:
                    low, high = value * f_low, value * f_high
                else:
                    low, high = low * min(f_low, 1.0), high * max(f_high, 1.0)
                approx = True
        if hedge is None and core.vague:
            # A vague plural is its own hedge: "عشرات", "الآلاف", "عشرات الآلاف".
            hedge = self.text[self.starts[i] + core.skip : self.ends[core.end - 1]]
        start = hedge_start if hedge_start is not None and hedge_start < self.starts[i] else None
        if start is None:
            start = self.starts[first_tok] + (core.skip if first_tok == i else 0)
        end = self.ends[j - 1]
        match = NumberMatch(
            start=start,
            end=end,
            text=self.text[start:end],
            value=round(value, 6),
            low=round(low, 6),
            high=round(high, 6),
            approximate=approx,
            hedge=hedge,
            unit=unit,
            unit_key=unit_key,
            unit_class=unit_class,
            is_percent=is_percent,
            kind=kind,
            number_start=self.starts[i] + core.skip,
            number_end=self.ends[core.end - 1] if core.unit_tok < 0 else self.ends[i],
        )
        return match, j

    def _year_span(
        self, i: int, first_tok: int, hedge_start: int | None, j: int, low: float, high: float
    ) -> NumberMatch:
        start = self.starts[first_tok] if hedge_start is None else hedge_start
        end = self.ends[j - 1]
        return NumberMatch(
            start=start,
            end=end,
            text=self.text[start:end],
            value=low,
            low=low,
            high=high,
            approximate=False,
            hedge=None,
            unit=None,
            unit_key=None,
            unit_class=None,
            is_percent=False,
            kind="year",
            number_start=self.starts[i],
            number_end=end,
        )

    def _hedge_before(self, i: int) -> tuple[int, int, str] | None:
        """(first token, hedge start offset, class) of a hedge ending at ``i``."""
        lex, keys = self.lex, self.keys
        for length in (4, 3, 2, 1):
            a = i - length
            if a < 0:
                continue
            toks = keys[a:i]
            cands: list[tuple[tuple[str, ...], int]] = [(tuple(toks), 0)]
            last = toks[-1]
            if len(last) > 2 and last[0] in PROCLITICS:
                cands.append(((*toks[:-1], last[1:]), 1 if length == 1 else 0))
            head = toks[0]
            if length > 1 and len(head) > 2 and head[0] in "وف":
                cands.append(((head[1:], *toks[1:]), 1))
            for tup, skip in cands:
                cls = lex.hedges_before.get(tup)
                if cls is None:
                    continue
                start = self.starts[a]
                if skip:
                    start += self._proclitic_len(start)
                first = a
                verb = self.key(a - 1)
                if verb in lex.estimate_verbs or (
                    verb[:1] == "و" and verb[1:] in lex.estimate_verbs
                ):
                    first = a - 1
                    start = self.starts[a - 1]
                    if verb not in lex.estimate_verbs:
                        start += self._proclitic_len(start)
                return first, start, cls
        # "يقدر بـ 1500": an estimating verb and a bare preposition.
        if i >= 2 and keys[i - 1] in ("ب", "ل"):
            verb = keys[i - 2]
            if verb in lex.estimate_verbs or (verb[:1] == "و" and verb[1:] in lex.estimate_verbs):
                start = self.starts[i - 2]
                if verb not in lex.estimate_verbs:
                    start += self._proclitic_len(start)
                return i - 2, start, "approx"
        return None

    def _joined(self, j: int) -> bool:
        """Token ``j`` is on the same line as the token before it."""
        return 0 < j < self.n and "\n" not in self.text[self.ends[j - 1] : self.starts[j]]

    def _unit(self, j: int, core: _Core) -> tuple[int, int]:
        """Token index of the counted noun at ``j`` (or -1) and the index after it."""
        lex, keys, kinds = self.lex, self.keys, self.kinds
        if not self._joined(j):
            return -1, j
        key = keys[j]
        if key in lex.nouns or key in lex.dual_nouns:
            return j, j + 1
        if key == "من" and j + 1 < self.n and kinds[j + 1] == "w":
            nk = keys[j + 1]
            if nk in lex.nouns or (nk.startswith("ال") and len(nk) > 4 and nk not in lex.not_units):
                if strip_lookup(nk, lex.triggers) is None:
                    return j + 1, j + 2
            return -1, j
        # A bare year, or "واحد/اثنان" that follow their noun ("أمر واحد"), take
        # only known counted nouns.
        restricted = (core.plain_int and core.digits == 4) or (
            core.digits == 0 and core.kind == "count" and core.value <= 2
        )
        if (
            not restricted
            and len(key) >= 3
            # After a cardinal the counted noun is indefinite; "عشرات المدنيين" is not.
            and (core.vague or core.kind == "share" or not key.startswith("ال"))
            and key not in lex.not_units
            and key[0] != "و"
            and strip_lookup(key, lex.triggers) is None
            and key not in lex.estimate_verbs
            and (key,) not in lex.hedges_after
            and (key,) not in lex.hedges_before
        ):
            return j, j + 1
        return -1, j


def find_numbers(text: str) -> list[NumberMatch]:
    """Every number expression in ``text``, in order, with original offsets."""
    if not isinstance(text, str):
        raise InputError(f"find_numbers expects str, got {type(text).__name__}")
    if not text:
        return []
    folded = fold_arabic(text)
    cands = number_lexicon().finder.offsets(folded)
    if not cands:
        return []
    out: list[NumberMatch] = []
    trigger_set = frozenset(cands)
    for lo, hi in windows(folded, cands, _BEFORE, _AFTER):
        out.extend(_Scanner(text, folded, lo, hi, trigger_set).run())
    return out


# Context kept around each trigger: enough for the longest hedge and an
# estimating verb before, and a range, counted noun and hedge after.
_BEFORE = 60
_AFTER = 90


def parse_number(text: str) -> NumberMatch | None:
    """Parse one number expression that makes up the whole of ``text``.

    Surrounding spaces and punctuation are allowed; anything else (a second
    number, other words) gives ``None``.
    """
    matches = find_numbers(text)
    if len(matches) != 1:
        return None
    m = matches[0]
    rest = (text[: m.start] + text[m.end :]).strip(" \t\n.,،؛:!?()[]\"'«»”“")
    return m if not rest else None


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def number_mention(match: NumberMatch) -> Mention | None:
    """The QUANTITY or PERCENT mention for a match, or None when it is neither
    (years, ordinals, counts without a counted noun)."""
    if match.kind in ("percent", "share"):
        percent = match.value if match.kind == "percent" else match.value * 100
        return Mention(
            start=match.start,
            end=match.end,
            text=match.text,
            type="PERCENT",
            norm=f"{_fmt(round(percent, 2))}%",
            subtype=match.kind,
            component="text.numbers.v1",
            value=match.to_dict(),
        )
    if match.kind == "count" and match.unit:
        return Mention(
            start=match.start,
            end=match.end,
            text=match.text,
            type="QUANTITY",
            norm=f"{_fmt(match.value)} {match.unit_key}",
            subtype=match.unit_class,
            # A counted noun from the lexicon is surer than any following word.
            confidence=0.9 if match.unit_class else 0.6,
            component="text.numbers.v1",
            value=match.to_dict(),
        )
    return None


@registry.register("text.numbers")
def numbers_component() -> Component:
    """Pipeline component: QUANTITY (counts with a noun) and PERCENT mentions.

    Numbers inside a DATE mention found earlier ("قبل ثلاثة أيام") are left to it.
    """
    number_lexicon()

    def run(analysis: Analysis) -> None:
        dates = [(m.start, m.end) for m in analysis.mentions if m.type == "DATE"]
        for match in find_numbers(analysis.document.text):
            if any(s <= match.number_start and match.number_end <= e for s, e in dates):
                continue
            mention = number_mention(match)
            if mention is not None:
                analysis.mentions.append(mention)

    return Component(
        "text.numbers",
        "v1",
        run,
        requires=("document",),
        assigns=("mentions:QUANTITY", "mentions:PERCENT"),
    )
