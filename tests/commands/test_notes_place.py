"""Notes placed by offsets in the cleaned text (how the studio adds them): the quote and its
context come from the article itself, and a note is written only where the editor selected."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.commands import notes_edit
from generator.commands.notes_edit import Source
from generator.commands.notes_place import place, suggest_id
from generator.errors import NoteAnchorError, NoteError
from generator.inputs.notes_file import read_notes
from generator.settings import Settings

SLUG = "us-military-considers-re-establishing-presence-in-libya"
SOURCES = [Source("https://www.reuters.com/y", "Reuters report")]


def offsets(settings: Settings, slug: str, words: str, occurrence: int = 0) -> tuple[int, int]:
    text = notes_edit.locate(settings, slug).article.text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def test_a_note_added_at_offsets_quotes_the_words_there_with_their_context(project: Path) -> None:
    settings = Settings.load(project)
    path = project / "articles" / f"{SLUG}.notes.yml"
    before = path.read_text()
    # "U.S officials" is written twice in the article: the offsets say which one
    start, end = offsets(settings, SLUG, "U.S officials", occurrence=1)
    change = notes_edit.add(
        settings, SLUG, quote="", kind="context", body="Two officials.", sources=SOURCES,
        note_id="second-officials", at=(start - 1, end),  # the space before is left out
    )  # fmt: skip
    assert (change.anchor.start, change.anchor.end) == (start, end)
    text = notes_edit.locate(settings, SLUG).article.text
    note = next(n for n in read_notes(path)[0] if n.id == "second-officials")
    assert note.quote == "U.S officials"
    assert note.prefix == text[start - 32 : start] and note.suffix == text[end : end + 32]
    assert path.read_text().startswith(before.rstrip("\n"))


def test_an_edit_at_offsets_moves_the_quote(project: Path) -> None:
    settings = Settings.load(project)
    start, end = offsets(settings, SLUG, "the plans will be completed")
    change = notes_edit.edit(settings, "policy-not-finalised", {}, at=(start, end))
    assert change.exact == "the plans will be completed" and (change.anchor.start, change.anchor.end) == (start, end)
    note = next(n for n in read_notes(project / "articles" / f"{SLUG}.notes.yml")[0] if n.id == "policy-not-finalised")
    assert note.quote == "the plans will be completed" and note.suffix.startswith(" in a few week")


def test_offsets_outside_the_text_or_without_words_are_refused(project: Path) -> None:
    article = notes_edit.locate(Settings.load(project), SLUG).article
    with pytest.raises(NoteError, match="not inside the article's text"):
        place(article, 10, len(article.text) + 5)
    gap = article.text.index("\n\n")
    with pytest.raises(NoteError, match="holds no words"):
        place(article, gap, gap + 2)


def test_a_note_is_never_written_where_the_editor_did_not_select(project: Path) -> None:
    # An article in which a whole paragraph is written three times: no context tells the last two
    # apart (the first one, at the very start, has no line break before it).
    paragraph = "The council met on Tuesday and agreed to repair the harbour wall before the winter storms."
    (project / "articles" / "twice.md").write_text(
        f"---\ntitle: Twice\n---\n{paragraph}\n\n{paragraph}\n\n{paragraph}\n", encoding="utf-8"
    )
    settings = Settings.load(project)
    start, end = offsets(settings, "twice", "agreed to repair", occurrence=1)
    with pytest.raises(NoteAnchorError) as caught:
        notes_edit.add(settings, "twice", quote="", kind="context", body="x", sources=SOURCES, at=(start, end))
    assert "occurs 3 times" in caught.value.format_message()
    assert not (project / "articles" / "twice.notes.yml").exists()


def test_ids_are_made_from_the_kind_and_the_words() -> None:
    assert suggest_id("correction", "who controls the western part", set()) == "correction-who-controls-the-western"
    assert suggest_id("spelling", "Kalifa", {"spelling-kalifa"}) == "spelling-kalifa-2"
