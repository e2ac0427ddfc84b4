"""One article through the stages: read, cleaned, its notes anchored, its entities found.

The pipeline runs the stages article by article (:func:`prepare`, then the entity stage over a
batch of prepared articles, :func:`generator.stages.entities.find_entities`), so that an archive
of any size is read in pieces of bounded size, and an article whose files did not change need
not be read at all (:mod:`generator.output.record`). Everything here is a pure function of the
article's own files, the cleaning rules and (for the entities) the registry's names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ArchiveError, Problem
from generator.inputs import textcheck
from generator.inputs.articles import read_source
from generator.inputs.rules import Rules
from generator.model import AnchorRecord, Article
from generator.stages.anchor import AnchoredNote, load_article_notes, notes_path
from generator.stages.clean import clean_source
from generator.stages.entities import Mention, Occurrence


@dataclass(frozen=True)
class Prepared:
    """An article read, cleaned and with its notes anchored; its entities not yet found."""

    article: Article
    """The cleaned article, with a ``note`` span per anchored note."""
    notes: tuple[AnchoredNote, ...]
    warnings: tuple[Problem, ...]
    """Anchoring warnings, then invisible characters in the article's files."""
    records: dict[str, AnchorRecord]
    """Where each anchored note is now: the anchors lock file a successful run writes."""


@dataclass(frozen=True)
class Staged:
    """An article ready to render: cleaned, notes anchored, entities found."""

    article: Article
    """With note and entity spans."""
    notes: tuple[AnchoredNote, ...]
    """Its anchored notes, in reading order."""
    occurrences: tuple[Occurrence, ...]
    """Its mentions of registry entities, in reading order."""
    warnings: tuple[Problem, ...]
    records: dict[str, AnchorRecord] = field(default_factory=dict, compare=False)
    """Where each anchored note is now (see :attr:`Prepared.records`)."""
    mentions: tuple[tuple[Mention, ...], ...] = field(default=(), compare=False)
    """Every name the model found, per block (registry entities or not): ``archive entities``
    and the studio list the names the registry does not know."""


def prepare(path: Path, rules: Rules) -> tuple[Prepared | None, list[ArchiveError]]:
    """Read, clean and anchor the article at *path*: the result (None if it cannot be read) and
    every error found (a broken note does not hide the others)."""
    try:
        cleaned = clean_source(read_source(path), rules)
    except ArchiveError as exc:
        return None, [exc]
    article = cleaned.article
    found = load_article_notes(article)
    article, notes = found.article, notes_path(found.article)
    checked = [article.path, *([notes] if notes.is_file() else [])]
    warnings = (*cleaned.problems, *found.warnings, *textcheck.check_files(checked))
    return Prepared(article, tuple(found.anchored), warnings, found.records), list(found.errors)
