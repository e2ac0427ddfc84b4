"""Where a quote could be: every candidate passage of a folded text, scored on the quote *and* on
the context the note was recorded with, and grouped into places.

Everything here works on folded text (:mod:`generator.stages.typography`): offsets are the
folded text's. :mod:`generator.stages.anchor` decides, from the places, where a note goes.

- The candidates are the exact occurrences of each *target* (the note's quote and, when the note
  was anchored approximately last time, the recorded words) that do not begin or end inside a
  longer word, and the word-aligned passages of n−2 … n+2 words at least
  :data:`CANDIDATE_MIN_SCORE` similar to a target.
- Each is scored as the Hypothesis client scores its candidates (quote 50, prefix 20, suffix 20,
  closeness to the recorded position 2), with rapidfuzz's normalised Indel similarity (0–100).
- A *place* is a best-scoring candidate and every candidate overlapping it (never a chain of
  overlaps: wide windows would chain short paragraphs, and a decoy, into one place).
- Within a place an exact candidate becomes the anchor, else the acceptable one (:func:`kind_of`)
  with the best combined score: the context draws the ends.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel, LCSseq, Levenshtein

START, END = "\x02", "\x03"
"""The start and the end of the text, as context: a recorded prefix that begins with START was
cut short by the start of the text (the quote stood within 32 characters of it), and only a
place as near the start matches it; likewise END for a suffix."""
WEIGHTS = {"quote": 50.0, "prefix": 20.0, "suffix": 20.0, "position": 2.0}
"""Weights of the combined score: the Hypothesis client's (``match-quote.ts``)."""

FUZZY_MIN_SCORE = 85.0
"""Lowest similarity of a *close* anchor (a typo or two)."""
FUZZY_MIN_MARGIN = 8.0
"""How much better (combined score) the anchor's place must score than a rival place."""
FUZZY_MIN_LENGTH = 12
"""Quotes shorter than this (in characters) must match exactly: short quotes match anything."""

CONTEXT_INTACT = 95.0
"""A context side at least this similar is intact (an edit inside the quote leaves it at 100)."""
CONTEXT_OK = 60.0
"""A context side at least this similar still matches: one edited word next to the quote leaves
70–90; unrelated 32-character stretches of English score 25–50."""
TYPO_MAX_EDITS = 2
"""Character insertions and deletions that keep a word a typo of the quote's: a changed or
swapped letter is 2, a dropped or doubled one 1; "Tuesday"/"Thursday" is 3, "rose"/"fell" 6."""
REWORDED_MIN_SCORE = 60.0
"""Lowest similarity of a *reworded* anchor (a word or two replaced). What is left after a
sentence is deleted scores 45–78 too; it never has the recorded context intact on both sides."""
REWORDED_MIN_WORDS = 0.5
"""Most words agree: *more than* this share of the quote's words are in the passage, in order,
and at least this share of the passage's words are the quote's."""
REWORDED_MIN_CONTEXT = CONTEXT_INTACT
"""Each known side of a reworded anchor's context is intact. (At 90, formulaic copy let a
neighbouring near-duplicate sentence pass for the note's place once its own was deleted.)"""
PLACE_MIN_CONTEXT = 85.0
"""Mean context similarity at "the place the note was" (the recorded context is there)."""
PLACE_MIN_SCORE = 50.0
"""Similarity (with most words agreeing) of the text at the note's place for it to be a near copy
of the quote; less, and the sentence was rewritten or deleted: there is nothing to move from."""
CANDIDATE_MIN_SCORE = 50.0
"""Passages less like the quote than this are not candidates at all."""
REGION_MIN_SCORE = 50.0
"""Chunks of text whose best partial match with the quote is below this are not searched word by
word (a cheap filter; it must not be stricter than :data:`CANDIDATE_MIN_SCORE`)."""

_TOKEN = re.compile(r"\w+(?:'\w+)*")
_KIND_ORDER = {"exact": 2, "close": 1, "reworded": 1}


def words(text: str) -> list[str]:
    """The words of *text*, case folded."""
    return [w.casefold() for w in _TOKEN.findall(text)]


@dataclass
class Candidate:
    """A passage that could be the note's words."""

    start: int
    """Folded offsets of the passage."""
    end: int
    quote: float
    """Similarity to the quote (or to the recorded words): 100 for an exact occurrence."""
    exact: bool
    passage: str = ""
    prefix: float | None = None
    """Similarity of the text before the passage to the known prefix (None: no prefix known)."""
    suffix: float | None = None
    combined: float = 0.0
    """The weighted score of quote, prefix, suffix and position (:data:`WEIGHTS`)."""
    targets: tuple[tuple[str, ...], ...] = ()
    """The words of each target (computed once per search)."""
    _agreement: tuple[float, float] | None = field(default=None, repr=False)

    @property
    def agreement(self) -> tuple[float, float]:
        """(share of a target's words found in the passage in order, share of the passage's words
        that are the target's), for the target that agrees best."""
        if self._agreement is None:
            passage = words(self.passage)
            best = (0.0, 0.0)
            for target in self.targets:
                shared = LCSseq.similarity(target, passage)
                best = max(best, (shared / max(1, len(target)), shared / max(1, len(passage))))
            self._agreement = best
        return self._agreement

    @property
    def most_words(self) -> bool:
        """More than half of the quote's words are here, and at least half of these are the quote's."""
        recall, precision = self.agreement
        return recall > REWORDED_MIN_WORDS and precision >= REWORDED_MIN_WORDS

    @property
    def typo_level(self) -> bool:
        """Word for word the quote's words, each differing word within :data:`TYPO_MAX_EDITS`
        character edits of the quote's ("Kalifa"/"Khalifa", "Somali"/"Somalia", "the"/"teh")."""
        passage = words(self.passage)
        return any(_typos_only(target, passage) for target in self.targets)

    @property
    def context(self) -> float | None:
        """The mean of the known context sides' similarities (None: no context known)."""
        sides = self.sides
        return sum(sides) / len(sides) if sides else None

    @property
    def sides(self) -> list[float]:
        return [s for s in (self.prefix, self.suffix) if s is not None]

    def overlaps(self, other: Candidate | Place) -> bool:
        return self.start < other.end and other.start < self.end

    @property
    def near_copy(self) -> bool:
        """A typo or two away from the quote, whatever its context."""
        return not self.exact and self.quote >= FUZZY_MIN_SCORE and self.typo_level


def _typos_only(target: tuple[str, ...], passage: list[str]) -> bool:
    for op in Levenshtein.opcodes(list(target), passage):
        if op.tag == "equal":
            continue
        if op.tag != "replace" or op.src_end - op.src_start != op.dest_end - op.dest_start:
            return False
        pairs = zip(target[op.src_start : op.src_end], passage[op.dest_start : op.dest_end], strict=True)
        if any(Indel.distance(a, b) > TYPO_MAX_EDITS for a, b in pairs):
            return False
    return True


@dataclass
class Place:
    """Overlapping candidates: one stretch of the text, however its ends are drawn."""

    members: list[Candidate]
    """Best (combined score) first."""
    start: int
    """The span of the best member (folded offsets): every member overlaps it."""
    end: int
    anchor: Candidate | None = None
    """The member that becomes the anchor if this place wins (None: none may)."""
    kind: str | None = None
    """How :attr:`anchor` matches: ``exact``, ``close`` or ``reworded``."""

    @property
    def score(self) -> float:
        return self.members[0].combined

    def context(self) -> float:
        """How well the known context matches here: the best of the members that are near copies
        of the quote (most words agree, :data:`PLACE_MIN_SCORE` similar)."""
        return max((m.context or 0.0 for m in self.members if m.quote >= PLACE_MIN_SCORE and m.most_words), default=0.0)


@dataclass
class Search:
    """Every candidate of a quote in a folded text, scored and grouped into places."""

    text: str
    """The folded text searched."""
    quote: str
    """The folded quote."""
    prefix: str
    """The context known before the quote ("" if none), folded, without the space next to the quote."""
    suffix: str
    ranked: list[Candidate]
    """Best combined score first."""
    places: list[Place]
    """In the order of their best candidates."""

    @property
    def has_context(self) -> bool:
        return bool(self.prefix or self.suffix)


def search(
    text: str,
    targets: list[str],
    prefix: str,
    suffix: str,
    position: int | None,
    exact_only: bool = False,
    apart: Callable[[int, int], bool] | None = None,
) -> Search:
    """Score every candidate of *targets* (the quote first) in the folded *text*.

    *prefix*/*suffix*: the known context (folded); *position*: the recorded folded offset, or None.
    With *exact_only*, only exact occurrences are candidates (no approximate search). *apart*:
    whether a passage runs across a table's cells; such passages are left out when the quote
    stands exactly elsewhere (in a paragraph or one cell: the place); else every passage stays,
    and one across cells is named as such."""
    prefix, suffix = prefix.rstrip(), suffix.lstrip()  # the space next to the quote is optional
    found = _candidates(text, targets, approximate=not exact_only)
    if apart is not None:
        within = {span: c for span, c in found.items() if not apart(c.start, c.end)}
        if any(c.exact for c in within.values()):  # the words stand together there
            found = within
    ranked = list(found.values())
    target_words = tuple(tuple(words(t)) for t in targets)
    for c in ranked:
        _score(c, text, target_words, prefix, suffix, position)
    ranked.sort(key=lambda c: (-c.combined, -c.quote, c.start))
    has_context = bool(prefix or suffix)
    return Search(text, targets[0], prefix, suffix, ranked, _places(ranked, len(targets[0]), has_context))


def kind_of(c: Candidate, quote_length: int, has_context: bool) -> str | None:
    """``exact``, ``close`` or ``reworded`` if *c* may become the anchor; None if it may not.

    - *close*: at least :data:`FUZZY_MIN_SCORE` similar and, when a context is known, only typos
      away from the quote, with one side of the context intact and the other still matching;
    - *reworded*: at least :data:`REWORDED_MIN_SCORE` similar, most words agree, and every known
      side of the context intact: a synonym or two at the very place the note was.
    """
    if c.exact:
        return "exact"
    if quote_length < FUZZY_MIN_LENGTH:
        return None
    sides = c.sides
    if c.quote >= FUZZY_MIN_SCORE:
        if not has_context:
            return "close"  # no context known: the score and the margin decide
        if c.typo_level and max(sides) >= CONTEXT_INTACT and min(sides) >= CONTEXT_OK:
            return "close"
    if c.quote >= REWORDED_MIN_SCORE and sides and min(sides) >= REWORDED_MIN_CONTEXT and c.most_words:
        return "reworded"
    return None


def typo_copy(places: list[Place], best: Place, unsupported: bool) -> Candidate | None:
    """A typo-level copy of the quote outside *best* that *best*'s exact words, with little of the
    recorded context, compete with: any, if none of the context is at *best* (*unsupported*);
    else one with a side of the context intact."""

    def competes(m: Candidate) -> bool:
        return m.near_copy and (unsupported or (bool(m.sides) and max(m.sides) >= CONTEXT_INTACT))

    copies = [m for p in places if p is not best for m in p.members if competes(m)]
    return max(copies, key=lambda m: m.combined) if copies else None


def surviving_place(text: str, prefix: str, suffix: str, quote_length: int) -> tuple[int, int] | None:
    """Where the known prefix and suffix still stand together (each at least
    :data:`PLACE_MIN_CONTEXT` similar, the suffix within three quotes' length after the prefix),
    whatever stands between them now: the folded (start, end) of that, or None."""
    prefix, suffix = prefix.lstrip(START).rstrip(), suffix.rstrip(END).lstrip()
    if not prefix or not suffix:
        return None
    before = fuzz.partial_ratio_alignment(prefix, text, score_cutoff=PLACE_MIN_CONTEXT)
    if before is None:
        return None
    window = text[before.dest_end : before.dest_end + 3 * quote_length + len(suffix) + 2]
    after = fuzz.partial_ratio_alignment(suffix, window, score_cutoff=PLACE_MIN_CONTEXT)
    if after is None:
        return None
    return before.dest_end, before.dest_end + after.dest_start


def _places(ranked: list[Candidate], quote_length: int, has_context: bool) -> list[Place]:
    places: list[Place] = []
    for c in ranked:
        for p in places:
            if c.overlaps(p):
                p.members.append(c)
                break
        else:
            places.append(Place([c], c.start, c.end))
    for p in places:
        ok = [(m, k) for m in p.members if (k := kind_of(m, quote_length, has_context))]
        if ok:
            p.anchor, p.kind = max(ok, key=lambda mk: (_KIND_ORDER[mk[1]], mk[0].combined, mk[0].quote))
    return places


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, at = [], haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def _regions(text: str, target: str) -> list[tuple[int, int]]:
    """Overlapping chunks of *text* where *target* nearly occurs (one ``partial_ratio`` each)."""
    size = max(4 * len(target), 400)
    step = size // 2
    chunks = [(s, min(len(text), s + size)) for s in range(0, max(1, len(text) - step), step)]
    return [(s, e) for s, e in chunks if fuzz.partial_ratio(target, text[s:e]) >= REGION_MIN_SCORE]


_WORD_START = re.compile(r"(?<!\S)\S")
_WORD_END = re.compile(r"\S(?!\S)")


def exact_hits(text: str, target: str) -> list[int]:
    """Where *target* occurs in *text*, not inside a longer word: "Somali" is not quoted by
    "Somalia" (the whole word is an approximate candidate like any other, and a close one)."""
    hits = []
    for at in _occurrences(text, target):
        end = at + len(target)
        if (at > 0 and text[at - 1].isalnum() and target[0].isalnum()) or (
            end < len(text) and text[end].isalnum() and target[-1].isalnum()
        ):
            continue
        hits.append(at)
    return hits


def _candidates(text: str, targets: list[str], approximate: bool) -> dict[tuple[int, int], Candidate]:
    found: dict[tuple[int, int], Candidate] = {}
    for target in targets:
        for at in exact_hits(text, target):
            found[(at, at + len(target))] = Candidate(at, at + len(target), 100.0, True)
    if not approximate:
        return found
    starts = [m.start() for m in _WORD_START.finditer(text)]
    ends = [m.end() for m in _WORD_END.finditer(text)]
    # A passage's ends drop punctuation the quote does not have there ("part." → "part").
    starts = [_trim_start(text, targets, s, e) for s, e in zip(starts, ends, strict=True)]
    ends = [_trim_end(text, targets, s, e) for s, e in zip(starts, ends, strict=True)]
    spans: dict[tuple[int, int], None] = {}  # an insertion-ordered set: the result is deterministic
    for target in targets:
        n = max(1, len(target.split()))
        for low, high in _regions(text, target):
            first, last = bisect_left(starts, low), bisect_left(starts, high)
            spans.update(
                ((starts[i], ends[j]), None)
                for i in range(first, last)
                for j in range(i + max(0, n - 3), min(len(ends), i + n + 2))
            )
    ordered = [span for span in spans if span not in found]
    windows = [text[s:e] for s, e in ordered]
    best: dict[int, float] = {}
    for target in targets:  # one call per target scores every window
        for _, score, index in process.extract(
            target, windows, scorer=fuzz.ratio, score_cutoff=CANDIDATE_MIN_SCORE, limit=None
        ):
            best[index] = max(best.get(index, 0.0), score)
    for index in sorted(best):
        s, e = ordered[index]
        found[(s, e)] = Candidate(s, e, best[index], False)
    return found


def _trim_end(text: str, targets: list[str], start: int, end: int) -> int:
    while end - start > 1 and not text[end - 1].isalnum() and not any(t.endswith(text[end - 1]) for t in targets):
        end -= 1
    return end


def _trim_start(text: str, targets: list[str], start: int, end: int) -> int:
    while end - start > 1 and not text[start].isalnum() and not any(t.startswith(text[start]) for t in targets):
        start += 1
    return start


def _score(
    c: Candidate, text: str, targets: tuple[tuple[str, ...], ...], prefix: str, suffix: str, position: int | None
) -> None:
    total = WEIGHTS["quote"] * c.quote
    weight = WEIGHTS["quote"]
    # The start or end of the text counts only for a place that reaches it too: elsewhere the
    # words of the recorded context are compared, and an empty one says nothing.
    if prefix.startswith(START) and c.start - len(prefix) >= 0:
        prefix = prefix[1:]
    if suffix.endswith(END) and c.end + len(suffix) <= len(text):
        suffix = suffix[:-1]
    if prefix:  # the text before the candidate, as long as the prefix (the space next to it optional)
        lo = c.start - len(prefix) - 1
        before = text[max(0, lo) : c.start].rstrip()
        if prefix.startswith(START):
            before = START + before  # the window reaches the start of the text, as the recorded one did
        before = before[-len(prefix) :]
        c.prefix = fuzz.ratio(prefix, before)
        total += WEIGHTS["prefix"] * c.prefix
        weight += WEIGHTS["prefix"]
    if suffix:
        after = text[c.end : c.end + len(suffix) + 1].lstrip()
        if suffix.endswith(END):
            after += END  # the window reaches the end of the text, as the recorded one did
        after = after[: len(suffix)]
        c.suffix = fuzz.ratio(suffix, after)
        total += WEIGHTS["suffix"] * c.suffix
        weight += WEIGHTS["suffix"]
    if position is not None:
        total += WEIGHTS["position"] * 100.0 * (1.0 - min(1.0, abs(c.start - position) / max(1, len(text))))
        weight += WEIGHTS["position"]
    c.combined = total / weight
    c.passage = text[c.start : c.end]
    c.targets = targets
