"""Anchoring editorial notes: finding the words each note quotes in its article's text.

A quote is looked for in :attr:`Article.text` (blocks joined by blank lines). Both sides are
normalised first (curly quotes become straight ones, every run of white space, non-breaking
spaces and line breaks included, becomes one space), and offsets found in the normalised text
are mapped back to the article's own code points.

1. Exactly one match: anchored.
2. Several matches: the note's ``prefix``/``suffix`` must pick one, else it is an error listing
   every occurrence with its source line.
3. No match (the text was re-cleaned, or a typo fixed): the quote (with its context) is looked
   for approximately. The best passage is accepted only if it is similar enough
   (:data:`FUZZY_MIN_SCORE`) *and* clearly better than any other passage
   (:data:`FUZZY_MIN_MARGIN`); that is a warning naming the old and new wording. Otherwise the
   note is an orphan and the build stops, naming the closest text found. Quotes shorter than
   :data:`FUZZY_MIN_LENGTH` are never anchored approximately.

A note therefore never lands silently on words it did not quote.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from generator.errors import ArchiveError, NoteAnchorError, Problem
from generator.inputs.notes_file import Note, read_notes
from generator.model import Article, Span
from generator.util.text import shorten

FUZZY_MIN_SCORE = 85.0
"""Lowest similarity (0–100, rapidfuzz's normalised Indel ratio) of an approximate anchor."""
FUZZY_MIN_MARGIN = 8.0
"""How much better the best approximate passage must score than the next one elsewhere."""
FUZZY_MIN_LENGTH = 12
"""Quotes shorter than this (in characters) must match exactly: short quotes match anything."""
REGION_MIN_SCORE = 60.0
"""Chunks of the text less like the quote than this are not searched word by word."""
CONTEXT_MIN_SCORE = 75.0
"""Lowest similarity of an edited prefix/suffix that may still pick one of several occurrences."""
CONTEXT = 32
"""Characters of prefix/suffix published in the W3C TextQuoteSelector."""

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
})  # fmt: skip


@dataclass(frozen=True)
class Normal:
    """A text normalised for matching, with the way back to the original offsets."""

    text: str
    """Straight quotes, single spaces."""
    starts: Sequence[int]
    """For each character of :attr:`text`, the offset of the original character it came from."""
    ends: Sequence[int]
    """For each character of :attr:`text`, the offset after the original character(s) it stands for."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised stretch ``text[start:end]`` (end > start)."""
        return self.starts[start], self.ends[end - 1]


def normalise(text: str) -> Normal:
    """Fold quotes and white space so that typography does not stop a match."""
    return _normalise(text)


_SPACE = "\\s\u200b\ufeff"
_FOLDED_RUN = re.compile(rf"[{_SPACE}]*(?:[^\S ]|[\u200b\ufeff]| (?=[{_SPACE}]))[{_SPACE}]*")
"""A run of white space (``str.isspace``, as ``\\s`` matches) or zero-width characters that is
not a single plain space: the runs that normalising shortens or changes."""


class _Offsets:
    """``starts`` or ``ends`` of a :class:`Normal`, computed on demand from the folded runs (an
    article has a few dozen; a list per character would cost more than the search itself)."""

    __slots__ = ("_at", "_orig_start", "_orig_end", "_shift", "_end")

    def __init__(self, at: list[int], orig_start: list[int], orig_end: list[int], shift: list[int], end: bool):
        self._at, self._orig_start, self._orig_end, self._shift, self._end = at, orig_start, orig_end, shift, end

    def __getitem__(self, index: int) -> int:
        k = bisect_right(self._at, index) - 1
        if k >= 0 and self._at[k] == index:
            return self._orig_end[k] if self._end else self._orig_start[k]
        return index + (self._shift[k] if k >= 0 else 0) + (1 if self._end else 0)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Offsets) and (self._at, self._orig_start, self._orig_end, self._end) == (
            other._at, other._orig_start, other._orig_end, other._end
        )  # fmt: skip

    def __hash__(self) -> int:
        return hash((tuple(self._at), self._end))


@lru_cache(maxsize=8)
def _normalise(text: str) -> Normal:
    # Every note of an article searches the same text: normalise it once (the cache), and only
    # where it changes (runs of white space other than one plain space).
    parts: list[str] = []
    at: list[int] = []
    orig_start: list[int] = []
    orig_end: list[int] = []
    shift: list[int] = []
    position = removed = 0
    for match in _FOLDED_RUN.finditer(text):
        start, end = match.span()
        parts.append(text[position:start])
        parts.append(" ")
        at.append(start - removed)
        orig_start.append(start)
        orig_end.append(end)
        removed += end - start - 1
        shift.append(removed)
        position = end
    parts.append(text[position:])
    return Normal(
        "".join(parts).translate(_QUOTES),
        _Offsets(at, orig_start, orig_end, shift, end=False),
        _Offsets(at, orig_start, orig_end, shift, end=True),
    )


def _fold(text: str) -> str:
    return normalise(text).text


@dataclass(frozen=True)
class Anchor:
    """Where a note's quote is in its article."""

    start: int
    """Offset in :attr:`Article.text` of the first quoted character (code points)."""
    end: int
    """Offset after the last quoted character."""
    exact: str
    """The article's words at the anchor (what the page marks)."""
    score: float = 100.0
    """Similarity of the quote to :attr:`exact`: 100 for an exact match."""

    @property
    def fuzzy(self) -> bool:
        """True when the quote was not found as written and the anchor is approximate."""
        return self.score < 100.0


@dataclass(frozen=True)
class AnchoredNote:
    """A note with its place in the article."""

    note: Note
    anchor: Anchor
    number: int
    """Its number on the article page, in reading order (1-based)."""


def block_offsets(article: Article) -> list[int]:
    """Offset in :attr:`Article.text` where each block starts."""
    offsets, at = [], 0
    for block in article.blocks:
        offsets.append(at)
        at += len(block.text) + 2
    return offsets


def line_at(article: Article, offset: int) -> int:
    """Source line of the block holding *offset* of :attr:`Article.text`."""
    line = article.body_line
    for start, block in zip(block_offsets(article), article.blocks, strict=True):
        if start > offset:
            break
        line = block.line
    return line


def _short(text: str, limit: int = 80) -> str:
    return shorten(text, limit, one_line=True)


def _snippet(article: Article, start: int, end: int, width: int = 30) -> str:
    """The words at ``text[start:end]`` with up to *width* characters around them, within their block."""
    text = article.text
    low = max((o for o in block_offsets(article) if o <= start), default=0)
    high = text.find("\n\n", end)
    high = len(text) if high == -1 else high
    left, right = max(low, start - width), min(high, end + width)
    return ("…" if left > low else "") + _short(text[left:right], 200) + ("…" if right < high else "")


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, at = [], haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def _word_starts(text: str) -> list[int]:
    return [i for i, c in enumerate(text) if c != " " and (i == 0 or text[i - 1] == " ")]


def _word_ends(text: str) -> list[int]:
    return [i + 1 for i, c in enumerate(text) if c != " " and (i + 1 == len(text) or text[i + 1] == " ")]


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    score: float
    quote_score: float


def _fuzzy_candidates(norm: str, quote: str, prefix: str, suffix: str) -> list[_Candidate]:
    """Passages of *norm* about as many words long as *quote*, best first.

    Each is scored on the quote alone and on the quote with its context (when the note gives
    prefix or suffix), so a passage whose surroundings also match wins over a lookalike.
    """
    starts, ends = _word_starts(norm), _word_ends(norm)
    words = max(1, len(quote.split()))
    regions = _regions(norm, quote)
    candidates: list[_Candidate] = []
    for i, start in enumerate(starts):
        if not any(low <= start < high for low, high in regions):
            continue
        for count in range(max(1, words - 2), words + 3):
            if i + count - 1 >= len(ends):
                break
            end = ends[i + count - 1]
            quote_score = fuzz.ratio(quote, norm[start:end])
            if prefix or suffix:
                before = norm[max(0, start - len(prefix) - 1) : start].strip()
                after = norm[end : end + len(suffix) + 1].strip()
                context = fuzz.ratio(f"{prefix} {quote} {suffix}", f"{before} {norm[start:end]} {after}")
                score = (quote_score + context) / 2
            else:
                score = quote_score
            candidates.append(_Candidate(start, end, score, quote_score))
    candidates.sort(key=lambda c: (-c.score, c.start, c.end))
    return candidates


def _regions(norm: str, quote: str) -> list[tuple[int, int]]:
    """Stretches of *norm* worth a close look: overlapping chunks where the quote nearly occurs.

    One fast ``partial_ratio`` per chunk spares the word-by-word scoring of a long article. A
    passage that could compete for the anchor scores at least as well as its chunk threshold, so
    no rival is missed; if no chunk qualifies, the best few are kept to name the closest text.
    """
    size = max(4 * len(quote), 400)
    step = size // 2
    chunks = [(s, min(len(norm), s + size)) for s in range(0, max(1, len(norm) - step), step)]
    scored = [(fuzz.partial_ratio(quote, norm[s:e]), s, e) for s, e in chunks]
    keep = [c for c in scored if c[0] >= REGION_MIN_SCORE] or sorted(scored, key=lambda c: (-c[0], c[1]))[:3]
    return [(s, e) for _, s, e in keep]


def _trim(norm: str, quote: str, candidate: _Candidate) -> _Candidate:
    """*candidate* without punctuation at either end that the quote does not have ("part." → "part")."""
    start, end = candidate.start, candidate.end
    while end - start > 1 and not norm[end - 1].isalnum() and not quote.endswith(norm[end - 1]):
        end -= 1
    while end - start > 1 and not norm[start].isalnum() and not quote.startswith(norm[start]):
        start += 1
    if (start, end) == (candidate.start, candidate.end):
        return candidate
    gain = fuzz.ratio(quote, norm[start:end]) - candidate.quote_score
    return _Candidate(start, end, candidate.score + gain, candidate.quote_score + gain)


def _context_ok(norm: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    # Space between the context and the quote is optional in the notes file.
    return norm[:start].rstrip().endswith(prefix) and norm[end:].lstrip().startswith(suffix)


def anchor_quote(article: Article, note: Note) -> tuple[Anchor, Problem | None]:
    """Find *note*'s quote in *article*; return the anchor and a warning (or None).

    Raises :class:`NoteAnchorError` (naming the notes file, line and the closest text) when the
    quote is missing, ambiguous, or only approximately present without a clear best passage.
    """
    text = article.text
    norm = normalise(text)
    quote = _fold(note.quote).strip()
    prefix, suffix = _fold(note.prefix).strip(), _fold(note.suffix).strip()
    label = f"note {note.id!r}"

    def fail(message: str) -> NoteAnchorError:
        return NoteAnchorError(f"{label}: {message}", note.path, note.quote_line, note.quote_column)

    hits = _occurrences(norm.text, quote)
    if len(hits) > 1 and (prefix or suffix):
        chosen = [h for h in hits if _context_ok(norm.text, h, h + len(quote), prefix, suffix)]
        if not chosen:
            # The context was edited: keep the occurrence whose surroundings are clearly the most
            # alike, if they are alike enough; otherwise do not guess.
            sides = [side for side in (prefix, suffix) if side]
            scored = sorted(
                (
                    (
                        (fuzz.ratio(prefix, norm.text[max(0, h - len(prefix) - 1) : h].strip()) if prefix else 0)
                        + (
                            fuzz.ratio(suffix, norm.text[h + len(quote) : h + len(quote) + len(suffix) + 1].strip())
                            if suffix
                            else 0
                        )
                    )
                    / len(sides),
                    h,
                )
                for h in hits
            )
            if scored[-1][0] >= CONTEXT_MIN_SCORE and scored[-1][0] - scored[-2][0] >= FUZZY_MIN_MARGIN:
                chosen = [scored[-1][1]]
        hits = chosen or hits
    if len(hits) == 1:
        start, end = norm.span(hits[0], hits[0] + len(quote))
        return Anchor(start, end, text[start:end]), None
    if len(hits) > 1:
        places = "; ".join(
            f'line {line_at(article, norm.starts[h])}: "{_snippet(article, *norm.span(h, h + len(quote)))}"'
            for h in hits
        )
        return_hint = "add a prefix or suffix (the words just before or after) to say which"
        raise fail(f"quote {_short(note.quote)!r} occurs {len(hits)} times ({places}); {return_hint}")

    candidates = _fuzzy_candidates(norm.text, quote, prefix, suffix)
    if not candidates:
        raise fail(f"quote {_short(note.quote)!r} not found; the article has no text to anchor to")
    best = _trim(norm.text, quote, candidates[0])
    best_start, best_end = norm.span(best.start, best.end)
    closest = _short(text[best_start:best_end], 120)
    where_best = f"line {line_at(article, best_start)}"
    if len(quote) < FUZZY_MIN_LENGTH or best.quote_score < FUZZY_MIN_SCORE:
        why = " (a quote this short must match exactly)" if len(quote) < FUZZY_MIN_LENGTH else ""
        raise fail(
            f'quote not found{why}; closest: "{closest}" ({where_best}, {best.quote_score:.0f}% similar); '
            "quote the article's words exactly, or delete the note"
        )
    rival = next((c for c in candidates[1:] if c.end <= best.start or c.start >= best.end), None)
    if rival is not None and best.score - rival.score < FUZZY_MIN_MARGIN:
        rival_start, rival_end = norm.span(rival.start, rival.end)
        raise fail(
            f'quote not found; two passages are about as close: "{closest}" ({where_best}) and '
            f'"{_short(text[rival_start:rival_end], 120)}" (line {line_at(article, rival_start)}); '
            "quote the article's words exactly"
        )
    anchor = Anchor(best_start, best_end, text[best_start:best_end], round(best.quote_score, 1))
    warning = Problem(
        f'{label}: quote not found as written; anchored to "{_short(anchor.exact, 120)}" ({where_best}, '
        f'{best.quote_score:.0f}% similar) instead of "{_short(note.quote, 120)}"; update the quote in the notes file',
        note.path,
        note.quote_line,
        note.quote_column,
    )
    return anchor, warning


def anchor_notes(article: Article, notes: list[Note]) -> tuple[list[AnchoredNote], list[Problem], list[ArchiveError]]:
    """Anchor every note of *article*: the anchored notes (numbered in reading order), warnings, errors."""
    found: list[tuple[Note, Anchor]] = []
    warnings: list[Problem] = []
    errors: list[ArchiveError] = []
    for note in notes:
        try:
            anchor, warning = anchor_quote(article, note)
        except NoteAnchorError as exc:
            errors.append(exc)
            continue
        found.append((note, anchor))
        if warning:
            warnings.append(warning)
    found.sort(key=lambda pair: (pair[1].start, pair[1].end, pair[0].line))
    return [AnchoredNote(note, anchor, number) for number, (note, anchor) in enumerate(found, 1)], warnings, errors


def with_note_spans(article: Article, anchored: list[AnchoredNote]) -> Article:
    """*article* with a ``note`` span per anchored note, split at block boundaries."""
    offsets = block_offsets(article)
    blocks = list(article.blocks)
    for item in anchored:
        for index, (start, block) in enumerate(zip(offsets, article.blocks, strict=True)):
            s = max(item.anchor.start, start) - start
            e = min(item.anchor.end, start + len(block.text)) - start
            if e > s:
                blocks[index] = blocks[index].with_spans([Span(s, e, "note", item.note.id)])
    return replace(article, blocks=tuple(blocks))


def notes_path(article: Article) -> Path:
    """Where *article*'s notes file is (it may not exist)."""
    from generator.inputs.articles import NOTES_SUFFIX

    return article.path.with_name(article.slug + NOTES_SUFFIX)


def load_article_notes(article: Article) -> tuple[Article, list[AnchoredNote], list[Problem], list[ArchiveError]]:
    """Read and anchor *article*'s notes file if it has one; the article gains note spans."""
    path = notes_path(article)
    if not path.is_file():
        return article, [], [], []
    notes, errors = read_notes(path)
    anchored, warnings, anchor_errors = anchor_notes(article, notes)
    return with_note_spans(article, anchored), anchored, warnings, errors + anchor_errors


def selectors(article: Article, anchor: Anchor) -> tuple[str, str]:
    """The W3C prefix and suffix of *anchor*: up to :data:`CONTEXT` code points either side."""
    text = article.text
    return text[max(0, anchor.start - CONTEXT) : anchor.start], text[anchor.end : anchor.end + CONTEXT]
