"""Untrusted text to HTML: every piece escaped, direction controls made visible.

Article text, titles and names come from the outside. Jinja2's autoescape
covers template variables; the HTML built here (text with highlighted
mentions, snippets with highlighted matches) is assembled from offsets, and
every slice of text goes through :func:`inert` before it is joined with our
own tags. Unicode direction controls (U+202A-U+202E, U+2066-U+2069, U+200E/F,
U+061C) would reorder what follows them on screen, so a reader could be shown
a different sentence than the one stored: they are rendered as visible
``⟦U+202E⟧`` marks and never applied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup, escape

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_BIDI_TUPLE = tuple(sorted(BIDI_CONTROLS))
_BIDI_RE = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
_MARK = '<span class="ctrl" title="U+{code:04X}">⟦U+{code:04X}⟧</span>'


def inert(text: str | None) -> Markup:
    """Escape ``text`` and show direction-control characters instead of applying them."""
    return Markup(_inert_text(text)) if text else Markup("")


def _inert_text(text: str) -> str:
    """:func:`inert` as a plain string, for HTML assembled piece by piece."""
    escaped = str(escape(text))
    # Twelve substring tests run in C faster than one character-class search.
    if any(control in escaped for control in _BIDI_TUPLE):
        escaped = _BIDI_RE.sub(lambda m: _MARK.format(code=ord(m.group())), escaped)
    return escaped


def visible_controls(text: str | None) -> str:
    """Plain-text form of :func:`inert` (for SVG labels and attributes): still needs escaping."""
    if not text:
        return ""
    return _BIDI_RE.sub(lambda m: f"⟦U+{ord(m.group()):04X}⟧", text)


def readable(value: object) -> str:
    """A structured value (attribute, qualifier) as one line of text; escape it after."""
    if isinstance(value, dict):
        return " · ".join(
            f"{key}: {readable(item)}"
            for key, item in value.items()
            if item not in (None, "", [], {})
        )
    if isinstance(value, list | tuple | set):
        return ", ".join(readable(item) for item in value)
    return "" if value is None else str(value)


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address worth linking to, else None (shown as text)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None


@dataclass(frozen=True, slots=True)
class Mark:
    """A span to highlight: ``[start, end)`` with its CSS class and optional link."""

    start: int
    end: int
    css: str
    title: str = ""
    href: str | None = None


def highlight(text: str, base: int, marks: Sequence[Mark]) -> Markup:
    """``text`` (which starts at document offset ``base``) with ``marks`` wrapped.

    Marks nest when one lies inside another; a mark that crosses the end of
    an enclosing one is cut there; marks outside the text are dropped.
    """
    end_of_text = base + len(text)
    ordered = sorted(
        (m for m in marks if m.end > base and m.start < end_of_text and m.end > m.start),
        key=lambda m: (m.start, -m.end),
    )
    # Plain strings, each escaped text or a tag of ours, joined into one Markup
    # at the end (a Markup per piece cost as much as the rest of a search page).
    out: list[str] = []
    position = base
    open_marks: list[tuple[int, str]] = []  # (end offset, closing tag), innermost last

    def emit(until: int) -> None:
        nonlocal position
        if until > position:
            out.append(_inert_text(text[position - base : until - base]))
            position = until

    def close_through(offset: int) -> None:
        while open_marks and open_marks[-1][0] <= offset:
            end, tag = open_marks.pop()
            emit(end)
            out.append(tag)

    for mark in ordered:
        start = max(mark.start, base)
        close_through(start)
        end = min(mark.end, end_of_text, *(e for e, _ in open_marks[-1:]))
        if end <= start:
            continue
        emit(start)
        title = f' title="{escape(mark.title)}"' if mark.title else ""
        if mark.href and all(tag != "</a>" for _, tag in open_marks):
            out.append(f'<a class="{escape(mark.css)}" href="{escape(mark.href)}"{title}>')
            open_marks.append((end, "</a>"))
        else:
            out.append(f'<mark class="{escape(mark.css)}"{title}>')
            open_marks.append((end, "</mark>"))
    close_through(end_of_text)
    emit(end_of_text)
    return Markup("".join(out))


def snippet_html(snippet: str, snippet_start: int, highlights: Iterable[Sequence[int]]) -> Markup:
    """A search snippet with its matched words in ``<mark class="hit">``."""
    marks = [Mark(int(s), int(e), "hit") for s, e in highlights]
    return highlight(snippet, snippet_start, marks)
