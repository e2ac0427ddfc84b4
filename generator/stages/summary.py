"""What the other pages show of an article: its summary and, kept apart, its notes and passages.

The listing pages (the home page, the articles index, the browse pages, the entity pages and
their index, the corrections, the feeds) are made from these values only, never from an
:class:`~generator.model.Article`. What a listing shows of an article is therefore exactly what
these values hold, and a listing whose members' values did not change is the same page: that is
what lets a run recompute only the pages whose inputs changed (:mod:`generator.render.plan`).

- :class:`Summary`: the metadata, the first paragraph (for the feeds), a head line of each note
  and a count of each entity mentioned; small, and held for every article during a run;
- the notes (:class:`~generator.stages.anchor.AnchoredNote`) with their bodies and sources, and
- the :class:`Passage` of each mention of each entity, which are read only for the pages that
  show them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.inputs.notes_file import NoteKind
from generator.model import Meta, Span
from generator.stages.staged import Staged


@dataclass(frozen=True)
class NoteHead:
    """What listings show of a note without reading its body: the home page's newest notes."""

    id: str
    kind: NoteKind
    date: dt.date
    number: int
    """Its number on the article page."""
    exact: str
    """The article's words it is anchored to."""
    link: str = ""
    """Where a link to the words goes on the article page: the mark's id and a Text Fragment
    directive (:func:`generator.render.fragments.note_links`); empty until the pipeline sets it."""


@dataclass(frozen=True)
class Mentioned:
    """One registry entity as one article mentions it."""

    entity: str
    """The entity's id."""
    count: int
    """How many times the article names it."""
    forms: tuple[tuple[str, int], ...]
    """Each wording used, with how many times, sorted by wording."""


@dataclass(frozen=True)
class Correction:
    """A correction whose words lie (in part) in a passage's sentence: the entity page says so."""

    id: str
    exact: str
    """The words it is anchored to."""
    body_text: str
    body_spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Passage:
    """One mention of an entity in the sentence around it (what the entity page quotes)."""

    text: str
    """The sentence (the whole paragraph when the mention runs past its sentence)."""
    start: int
    """Offset of the mention in :attr:`text`."""
    end: int
    anchor: str
    """The id of the mention's element on the article page."""
    corrections: tuple[Correction, ...] = ()
    """The article's corrections whose words lie in the sentence, in reading order."""


@dataclass(frozen=True)
class Listed:
    """What a list of articles shows of each: the lists of the articles index, the browse pages,
    the entity pages and the corrections."""

    slug: str
    title: str
    date: dt.date | None
    publisher: str | None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    """An article as the pages other than its own see it."""

    listed: Listed
    meta: Meta
    """Everything its front matter (or its header) says: the feeds show more than lists do."""
    lead: str
    """The text of the first paragraph (the feeds' summary)."""
    notes: tuple[NoteHead, ...] = ()
    """Its notes, in reading order."""
    entities: tuple[Mentioned, ...] = ()
    """The registry entities it mentions, by id."""
    fingerprint: str | None = field(default=None, compare=False, repr=False)
    """A digest of the values above, when known (:mod:`generator.util.fingerprint` uses it
    instead of encoding them again)."""

    @property
    def slug(self) -> str:
        return self.listed.slug

    @property
    def latest_note(self) -> dt.date | None:
        """The date of its newest note (None without notes)."""
        return max((note.date for note in self.notes), default=None)

    def mentions(self, entity: str) -> Mentioned | None:
        return next((m for m in self.entities if m.entity == entity), None)


def summarize(staged: Staged) -> tuple[Summary, dict[str, tuple[Passage, ...]]]:
    """The summary of *staged* and, per entity it mentions, its passages in reading order."""
    article = staged.article
    heads = tuple(
        NoteHead(item.note.id, item.note.kind, item.note.date, item.number, item.anchor.exact) for item in staged.notes
    )
    forms: dict[str, Counter[str]] = {}
    passages: dict[str, list[Passage]] = {}
    corrections = {
        item.note.id: Correction(item.note.id, item.anchor.exact, item.note.body_text, tuple(item.note.body_spans))
        for item in staged.notes
        if item.note.kind == "correction"
    }
    for occurrence in staged.occurrences:
        forms.setdefault(occurrence.entity, Counter())[occurrence.text] += 1
        block = article.blocks[occurrence.block]
        text = block.text
        s, e = occurrence.sentence
        if not (s <= occurrence.start and occurrence.end <= e):
            s, e = 0, len(text)
        ids = [span.target for span in block.spans if span.kind == "note" and span.start < e and span.end > s]
        corrected = tuple(corrections[i] for i in dict.fromkeys(ids) if i in corrections) if corrections else ()
        passages.setdefault(occurrence.entity, []).append(
            Passage(text[s:e], occurrence.start - s, occurrence.end - s, occurrence.anchor, corrected)
        )
    entities = tuple(
        Mentioned(entity, sum(counter.values()), tuple(sorted(counter.items())))
        for entity, counter in sorted(forms.items())
    )
    lead = article.blocks[0].text if article.blocks else ""
    meta = article.meta
    listed = Listed(article.slug, meta.title, meta.date, meta.publisher, meta.tags)
    summary = Summary(listed, meta, lead, heads, entities)
    return summary, {entity: tuple(found) for entity, found in passages.items()}


def mentioned_entities(summaries: Mapping[str, Summary] | list[Summary]) -> set[str]:
    """Every entity id that at least one of *summaries* mentions."""
    values = summaries.values() if isinstance(summaries, Mapping) else summaries
    return {m.entity for summary in values for m in summary.entities}
