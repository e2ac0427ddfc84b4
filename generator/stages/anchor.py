"""Anchoring editorial notes: finding the words each note quotes, and never other words.

A quote is looked for in :attr:`Article.text` (blocks joined by blank lines), typography folded
(:mod:`generator.stages.typography`); offsets map back to the article's own code points. Each
note may have an entry in the article's anchors lock file (:class:`AnchorRecord`, written after
every successful build): the words it marked, 32 characters either side, block, line, offset
and the text's hash. With it the build knows where the note *was*:

0. **Unchanged**: the text has the recorded hash and the note the recorded quote. The entry is
   checked against the text (an entry that does not fit was edited: an error) and stands.
1. **Exact, with its context**: one exact occurrence of the quote with the recorded context
   intact on both sides is the anchor; nothing else is searched.
2. **Scored**: every candidate, exact and approximate, is scored on the quote *and* the recorded
   context (:mod:`generator.stages.candidates`). An approximate anchor must be a typo or two
   away with its context in place (*close*), or have most of its words and the whole context
   (*reworded*). The note then stops, naming both places, rather than move silently: when the
   best candidate is not where the note was and the recorded context still stands around a near
   copy elsewhere (*moved*), when two places are about as good (*ambiguous*), and when nothing
   qualifies (*orphan*: a deleted sentence stays an orphan).
3. A note anchored to other words than recorded is a warning naming the old and new words and
   their lines; so is a note whose quote is not the words it marks. (Across cells: an error.)

Without an entry (a new note, or one whose quote, prefix or suffix the editor changed) the
note's own ``prefix``/``suffix``, if any, are the context; without any context a unique exact
hit is anchored, several need a prefix or suffix, and an approximate passage must be
:data:`FUZZY_MIN_SCORE` similar and clearly better than any other (:data:`FUZZY_MIN_MARGIN`).
Quotes shorter than :data:`FUZZY_MIN_LENGTH` are never anchored approximately.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path

from generator.errors import ArchiveError, LockError, NoteAnchorError, Problem
from generator.inputs.anchors_file import CONTEXT, read_anchors
from generator.inputs.notes_file import Note, read_notes
from generator.model import AnchorRecord, Article, Span
from generator.stages import candidates as cand
from generator.stages.candidates import FUZZY_MIN_LENGTH, FUZZY_MIN_MARGIN, FUZZY_MIN_SCORE, Candidate, Place
from generator.stages.table_quotes import cells_apart, check_within_cell
from generator.stages.typography import Normal, fold, normalise
from generator.util.text import shorten

__all__ = [
    "CONTEXT", "FUZZY_MIN_LENGTH", "FUZZY_MIN_MARGIN", "FUZZY_MIN_SCORE", "Anchor", "AnchoredNote", "ArticleNotes",
    "Normal", "Note", "anchor_notes", "anchor_quote", "block_offsets", "line_at", "load_article_notes", "lock_path",
    "normalise", "notes_path", "record", "selectors", "with_note_spans"]  # fmt: skip

KIND_WORDS = {"exact": "its exact words", "close": "a typo or two away", "reworded": "a word or two changed"}
"""How each kind of anchor is described in a warning."""


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
    method: str = field(default="exact", compare=False)
    """How it was found: ``recorded`` (the lock entry stood), ``exact`` (one exact hit) or ``scored``."""

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
    index = bisect_right(block_offsets(article), offset) - 1
    return article.blocks[index].line if index >= 0 and article.blocks else article.body_line


@lru_cache(maxsize=8)
def text_sha256(text: str) -> str:
    """The hash a lock entry records of the article text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record(article: Article, note: Note, anchor: Anchor) -> AnchorRecord:
    """The lock entry of *note* anchored at *anchor* (what a successful build writes)."""
    text, start, end = article.text, anchor.start, anchor.end
    return AnchorRecord(
        quote=note.quote,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        block=max(0, bisect_right(block_offsets(article), start) - 1),
        line=line_at(article, start),
        position=start,
        text_sha256=text_sha256(text),
        copies=max(1, len(cand.exact_hits(normalise(text).text, fold(text[start:end]).strip()))),
        given_prefix=note.prefix,
        given_suffix=note.suffix,
    )


def _same(a: str, b: str) -> bool:
    return fold(a).strip() == fold(b).strip()


def _fits(article: Article, entry: AnchorRecord) -> bool:
    """Whether *entry* is what a build on this text records at its offsets (the line aside: front
    matter edits move it without changing the text)."""
    text, start = article.text, entry.position
    end = start + len(entry.exact)
    if end > len(text) or not entry.exact:
        return False
    block = max(0, bisect_right(block_offsets(article), start) - 1)
    made = (text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT], block)
    return made == (entry.exact, entry.prefix, entry.suffix, entry.block)


def _short(text: str, limit: int = 80) -> str:
    """*text* on one line, shortened, with invisible and control characters shown as escapes (a
    message must not carry a terminal's control codes, nor hide what the text holds)."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in shorten(text, limit, one_line=True))


def _snippet(article: Article, start: int, end: int, width: int = 30) -> str:
    """The words at ``text[start:end]`` with up to *width* characters around them, within their block."""
    text = article.text
    low = max((o for o in block_offsets(article) if o <= start), default=0)
    high = text.find("\n\n", end)
    high = len(text) if high == -1 else high
    left, right = max(low, start - width), min(high, end + width)
    return ("…" if left > low else "") + _short(text[left:right], 200) + ("…" if right < high else "")


class _Anchoring:
    """One note being anchored in one article: the folded text, the context, the messages."""

    def __init__(self, article: Article, note: Note, entry: AnchorRecord | None) -> None:
        self.article, self.note = article, note
        self.text = article.text
        self.norm = normalise(self.text)
        self.quote = fold(note.quote).strip()
        self.label = f"note {note.id!r}"
        prefix, suffix = note.prefix, note.suffix
        if entry is not None and not (_same(prefix, entry.given_prefix) and _same(suffix, entry.given_suffix)):
            entry = None  # the editor gave the note another prefix or suffix: they say where it is
        elif entry is not None and self.quote not in (fold(entry.quote).strip(), fold(entry.exact).strip()):
            # Re-quoted since the last build (not merely to the words it marked): the recorded words
            # and offset say nothing about the new quote, but the recorded context still tells
            # copies of it apart, as a prefix or suffix would.
            prefix, suffix = prefix or entry.prefix, suffix or entry.suffix
            entry = None
        self.entry = entry
        if entry is not None:
            prefix, suffix = entry.prefix, entry.suffix
        self.prefix, self.suffix = fold(prefix), fold(suffix)
        if entry is not None:  # a recorded context cut short by the start or end of the text says so
            if len(entry.prefix) < CONTEXT:
                self.prefix = cand.START + self.prefix
            if len(entry.suffix) < CONTEXT:
                self.suffix += cand.END
        self.targets = [self.quote]
        if entry is not None and fold(entry.exact).strip() != self.quote:
            self.targets.append(fold(entry.exact).strip())  # anchored approximately last time: its words
        self.position = self.norm.offset(entry.position) if entry is not None else None

    # Messages -------------------------------------------------------------------------------

    def fail(self, message: str, outcome: str = "orphan") -> NoteAnchorError:
        note = self.note
        error = NoteAnchorError(f"{self.label}: {message}", note.path, note.quote_line, note.quote_column)
        error.outcome = outcome
        return error

    def span(self, c: Candidate) -> tuple[int, int]:
        return self.norm.span(c.start, c.end)

    def line(self, offset: int) -> str:
        return f"line {line_at(self.article, offset)}"

    def at(self, c: Candidate) -> str:
        s, e = self.span(c)
        return f'{self.line(s)}: "{_short(self.text[s:e])}"'

    @property
    def accept(self) -> str:
        return (
            f"run 'archive note accept {self.note.id}' to take the new wording, or update the quote in the notes file"
        )

    def was(self) -> str:
        entry = self.entry
        return f'"{_short(entry.exact, 120)}" (line {entry.line} at the last build)' if entry else ""

    def context_was(self) -> str:
        entry = self.entry
        if entry is not None:
            return f'at line {entry.line} it read "{_short(entry.prefix + entry.exact + entry.suffix, 160)}"'
        return f'the note\'s prefix is "{_short(self.note.prefix, 40)}", its suffix "{_short(self.note.suffix, 40)}"'

    # Steps ----------------------------------------------------------------------------------

    def run(self) -> tuple[Anchor, Problem | None]:
        if self.entry is not None and self.entry.text_sha256 == text_sha256(self.text):
            return self.recorded(self.entry)
        search = partial(cand.search, self.norm.text, self.targets, self.prefix, self.suffix, self.position)
        found = search(exact_only=True, apart=(apart := cells_apart(self.article, self.norm)))
        if found.has_context:
            intact = [c for c in found.ranked if (c.context or 0.0) >= 100.0]
            if len(intact) == 1:
                return self.anchored(intact[0], "exact", "exact")
        elif len(found.ranked) == 1:
            return self.anchored(found.ranked[0], "exact", "exact")  # no context: a unique exact hit
        return self.scored(search(apart=apart))

    def recorded(self, entry: AnchorRecord) -> tuple[Anchor, Problem | None]:
        """Step 0: the text is the one the entry was recorded on; the entry must fit it."""
        if not _fits(self.article, entry):
            raise LockError(
                f"note {self.note.id!r}: the entry does not fit the article text it was recorded on (its words "
                "or context are not at its offset): was it edited by hand? Delete the entry (or the file) and "
                "run 'archive generate': the note is then anchored afresh from its quote",
                entry.path,
                entry.entry_line,
            )
        start, end = entry.position, entry.position + len(entry.exact)
        exact = self.text[start:end]
        score = 100.0 if _same(exact, self.quote) else self._similarity(exact)
        anchor = Anchor(start, end, exact, score, method="recorded")
        return anchor, self.still_differs(anchor)

    def _similarity(self, exact: str) -> float:
        from rapidfuzz import fuzz

        return round(fuzz.ratio(self.quote, fold(exact).strip()), 1)

    def still_differs(self, anchor: Anchor) -> Problem | None:
        """The warning for a note that marks, as at the last build, other words than its quote."""
        return self.warning(self.differs(anchor)) if anchor.fuzzy else None

    def differs(self, anchor: Anchor) -> str:
        return (
            f'quote not found as written; the note marks "{_short(anchor.exact, 120)}" '
            f"({self.line(anchor.start)}, {anchor.score:.0f}% similar) as at the last build, instead of "
            f'"{_short(self.note.quote, 120)}"; {self.accept}'
        )

    def warning(self, message: str) -> Problem:
        note = self.note
        return Problem(f"{self.label}: {message}", note.path, note.quote_line, note.quote_column)

    def anchored(self, c: Candidate, kind: str, method: str, also: str = "") -> tuple[Anchor, Problem | None]:
        s, e = self.span(c)
        exact = self.text[s:e]
        score = 100.0 if _same(exact, self.quote) else self._similarity(exact)
        anchor = Anchor(s, e, exact, score, method=method)
        message = ""
        if self.entry is not None and not _same(exact, self.entry.exact):
            message = (
                f'moved: the note now marks "{_short(exact, 120)}" ({self.line(s)}, {score:.0f}% similar, '
                f"{KIND_WORDS[kind]}) instead of {self.was()}; {self.accept}"
            )
        elif self.entry is None and anchor.fuzzy:
            message = (
                f'quote not found as written; anchored to "{_short(exact, 120)}" ({self.line(s)}, '
                f'{score:.0f}% similar) instead of "{_short(self.note.quote, 120)}"; {self.accept}'
            )
        elif anchor.fuzzy:
            message = self.differs(anchor)
        if also:
            message = f"{message}; {also}" if message else also
        return anchor, self.warning(message) if message else None

    def scored(self, found: cand.Search) -> tuple[Anchor, Problem | None]:
        """Step 2: every candidate scored; anchored only at a clear best place the note can be."""
        places, has_context, quote = found.places, found.has_context, self.quote
        if not places:
            raise self.fail(f"quote {_short(self.note.quote)!r} not found; the article has no text like it")
        best = next((p for p in places if p.anchor is not None), None)
        # The place the note was: a near copy of the quote with the recorded context around it.
        home = next((p for p in places if p.context() >= cand.PLACE_MIN_CONTEXT), None) if has_context else None
        if best is None:
            raise self.orphan(places, home)
        chosen = best.anchor
        assert chosen is not None
        unsupported = bool(chosen.sides) and max(chosen.sides) < cand.CONTEXT_OK  # none of the context is here

        if home is not None and home is not best and best.context() < cand.PLACE_MIN_CONTEXT:
            there = max((m for m in home.members if m.most_words), key=lambda m: (m.context or 0.0, m.quote))
            raise self.fail(
                f"the note would move: it was at {self.at(there)} ({there.quote:.0f}% like the quote, its "
                f"context {there.context or 0:.0f}% as recorded), but the quote now matches best at "
                f"{self.at(chosen)} (context {chosen.context or 0:.0f}%). A note does not move on its own: "
                f"if it concerns the words at {self.line(self.span(there)[0])}, quote them; if those at "
                f"{self.line(self.span(chosen)[0])}, add a prefix or suffix to the note to say so",
                "moved",
            )
        if self.entry is not None and home is None and unsupported:
            survived = cand.surviving_place(found.text, found.prefix, found.suffix, len(quote))
            if survived is not None and not (chosen.start < survived[1] and survived[0] < chosen.end):
                low, high = survived
                s = self.norm.span(low, low + 1)[0] if low < len(found.text) else len(self.text)
                now = f'"{_short(self.text[s : self.norm.span(low, high)[1]])}"' if high > low else "nothing"
                raise self.fail(
                    f"the note would move: its place, {self.line(s)}, now reads {now}, and the quote matches "
                    f"best at {self.at(chosen)} (context {chosen.context or 0:.0f}%). A note does not move on "
                    "its own: quote the words it concerns now; if those at "
                    f"{self.line(self.span(chosen)[0])}, add a prefix or suffix to the note to say so",
                    "moved",
                )

        if best.kind == "exact" and chosen.sides and max(chosen.sides) < cand.CONTEXT_INTACT:
            # The quoted words in new surroundings, and a typo-level copy elsewhere: which of the
            # two the note concerns only an editor can say.
            if (twin := cand.typo_copy(places, best, unsupported)) is not None:
                context = "none" if unsupported else f"only {chosen.context or 0:.0f}%"
                raise self.fail(
                    f"the quote occurs at {self.at(chosen)}, but {context} of its recorded context is there, "
                    f"and {self.at(twin)} is a typo away from it (context {twin.context or 0:.0f}%); correct the "
                    "quote to the words the note concerns, or add a prefix or suffix to say which",
                    "ambiguous",
                )
        if best.kind == "exact" and unsupported:
            copies = self.entry.copies if self.entry else 1
            if copies > 1 or (len(chosen.sides) == 2 and min(len(self.prefix), len(self.suffix)) >= CONTEXT // 2):
                # The same words, but none of their context: one of the other copies of them that
                # were there at the last build (the note's own deleted or rewritten), or their whole
                # sentence rewritten around them. Only an editor can tell.
                raise self.fail(
                    f"the quote's words are at {self.at(chosen)}, but none of the context "
                    f"{'recorded at the last build' if self.entry else 'the note gives'} is around them "
                    f"({self.context_was()}); if the note concerns these words, add a prefix or suffix to say "
                    "so, else quote the words it concerns, or delete the note",
                    "moved",
                )
        if best.kind == "exact":
            # Exact words compete with exact words only (one with the recorded context is a move, above).
            rivals = [p for p in places if p is not best and p.kind == "exact"]
        elif has_context:
            rivals = [p for p in places if p is not best and p.anchor is not None]
        else:
            rivals = [p for p in places if p is not best]  # no context at all: any passage about as close
        if rivals and best.score - rivals[0].score < FUZZY_MIN_MARGIN:
            raise self.ambiguous(best, rivals, places)

        also = ""
        if best.kind == "exact" and unsupported:
            if self.entry:
                also = f"the quote's surroundings changed since the last build (now {self.at(chosen)})"
            else:
                also = f"the note's prefix or suffix does not match the words around it ({self.at(chosen)})"
        copy = next((p.anchor for p in places if p is not best and p.kind == "exact"), None)
        if best.kind != "exact" and copy is not None:
            also = f"the quote's exact words are also at {self.at(copy)}, without the recorded context"
        return self.anchored(chosen, best.kind or "close", "scored", also)

    def orphan(self, places: list[Place], home: Place | None) -> NoteAnchorError:
        closest = home.members[0] if home else places[0].members[0]
        s, e = self.span(closest)
        at_home = ", at the note's place" if home else ""
        why = " (a quote this short must match exactly)" if len(self.quote) < FUZZY_MIN_LENGTH else ""
        entry = self.entry
        last = f'; at the last build it marked "{_short(entry.exact, 120)}" (line {entry.line})' if entry else ""
        return self.fail(
            f'quote not found{why}; closest{at_home}: "{_short(self.text[s:e], 120)}" ({self.line(s)}, '
            f"{closest.quote:.0f}% similar){last}; quote the article's words exactly, or delete the note"
        )

    def ambiguous(self, best: Place, rivals: list[Place], places: list[Place]) -> NoteAnchorError:
        hint = "add a prefix or suffix (the words just before or after) to say which"
        if best.kind == "exact":
            hits = sorted((p.anchor for p in places if p.kind == "exact" and p.anchor), key=lambda c: c.start)
            listed = "; ".join(f'{self.line(self.span(c)[0])}: "{_snippet(self.article, *self.span(c))}"' for c in hits)
            context = "; the context recorded at the last build tells none of them apart" if self.entry else ""
            message = f"quote {_short(self.note.quote)!r} occurs {len(hits)} times ({listed}){context}; {hint}"
            return self.fail(message, "ambiguous")
        chosen, rival = best.anchor, rivals[0].anchor or rivals[0].members[0]
        assert chosen is not None
        (s1, e1), (s2, e2) = self.span(chosen), self.span(rival)
        return self.fail(
            f'quote not found; two passages are about as close: "{_short(self.text[s1:e1], 120)}" ({self.line(s1)}) '
            f'and "{_short(self.text[s2:e2], 120)}" ({self.line(s2)}); quote the article\'s words exactly'
            + ("" if self.prefix or self.suffix else f", or {hint}"),
            "ambiguous",
        )


def anchor_quote(article: Article, note: Note, recorded: AnchorRecord | None = None) -> tuple[Anchor, Problem | None]:
    """Find *note*'s quote in *article*; return the anchor and a warning (or None). *recorded*: the
    note's lock entry from the last successful build, if any. Raises :class:`NoteAnchorError`
    (naming the notes file, line and places) when the quote is missing, ambiguous, would move or
    runs across a table's cells, and :class:`LockError` when *recorded* claims this text but does
    not fit it."""
    anchor, warning = _Anchoring(article, note, recorded).run()
    check_within_cell(article, note, anchor.start, anchor.end)
    return anchor, warning


def anchor_notes(
    article: Article, notes: list[Note], records: dict[str, AnchorRecord] | None = None
) -> tuple[list[AnchoredNote], list[Problem], list[ArchiveError]]:
    """Anchor every note of *article*: the anchored notes (numbered in reading order), warnings, errors."""
    found: list[tuple[Note, Anchor]] = []
    warnings: list[Problem] = []
    errors: list[ArchiveError] = []
    for note in notes:
        try:
            anchor, warning = anchor_quote(article, note, (records or {}).get(note.id))
        except (NoteAnchorError, LockError) as exc:
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


def lock_path(article: Article) -> Path:
    """Where *article*'s anchors lock file is (it may not exist)."""
    from generator.inputs.articles import ANCHORS_SUFFIX

    return article.path.with_name(article.slug + ANCHORS_SUFFIX)


@dataclass(frozen=True)
class ArticleNotes:
    """What :func:`load_article_notes` found for one article."""

    article: Article
    """The article with a ``note`` span per anchored note."""
    anchored: list[AnchoredNote]
    warnings: list[Problem]
    errors: list[ArchiveError]
    records: dict[str, AnchorRecord]
    """The lock entry of every anchored note, in the notes file's order: what a successful build writes."""


def load_article_notes(article: Article) -> ArticleNotes:
    """Read and anchor *article*'s notes file, if it has one, with its anchors lock file."""
    path = notes_path(article)
    if not path.is_file():
        return ArticleNotes(article, [], [], [], {})
    notes, errors = read_notes(path)
    entries, lock_errors = read_anchors(lock_path(article))
    anchored, warnings, anchor_errors = anchor_notes(article, notes, entries)
    by_id = {item.note.id: item for item in anchored}
    records = {n.id: record(article, n, by_id[n.id].anchor) for n in notes if n.id in by_id}
    errors = errors + lock_errors + anchor_errors
    return ArticleNotes(with_note_spans(article, anchored), anchored, warnings, errors, records)


def selectors(article: Article, anchor: Anchor) -> tuple[str, str]:
    """The W3C prefix and suffix of *anchor*: up to :data:`CONTEXT` code points either side."""
    text = article.text
    return text[max(0, anchor.start - CONTEXT) : anchor.start], text[anchor.end : anchor.end + CONTEXT]
