"""``archive note`` and the anchors file: the editing commands anchor a note as the build does
(with where it was at the last build), and record its new place, so that the file and the notes
never disagree."""

from __future__ import annotations

from pathlib import Path

from generator.inputs.anchors_file import read_anchors
from generator.inputs.notes_file import read_notes

from ..conftest import run_archive

NS = "us-military-considers-re-establishing-presence-in-libya"


def entries(project: Path) -> dict:
    found, errors = read_anchors(project / "articles" / f"{NS}.anchors.yml")
    assert not errors
    return found


def test_accept_takes_the_words_the_build_marks_not_a_copy_of_the_old_ones(project: Path) -> None:
    article = project / "articles" / f"{NS}.md"
    text = article.read_text(encoding="utf-8").replace("Kalifa Haftar", "Khalifa Haftar")
    # A copy of the old words elsewhere: anchored on its quote alone, the note would land there.
    text = text.replace("Sarraj and Haftar are leaders", "Sarraj and Haftar (Kalifa Haftar, some wrote) are leaders")
    article.write_text(text, encoding="utf-8")
    listed = run_archive("note", "list", NS, cwd=project)
    assert "haftar-spelling" in listed.stdout and "moved: the note now marks" in listed.stdout

    accepted = run_archive("note", "accept", "haftar-spelling", cwd=project)
    assert accepted.returncode == 0, accepted.stderr
    assert f"Recorded where the notes are in articles/{NS}.anchors.yml" in accepted.stdout
    note = next(n for n in read_notes(project / "articles" / f"{NS}.notes.yml")[0] if n.id == "haftar-spelling")
    assert note.quote == "Khalifa Haftar" and note.prefix.endswith("the country and ")
    entry = entries(project)["haftar-spelling"]
    assert (entry.quote, entry.exact, entry.given_prefix, entry.given_suffix) == (
        "Khalifa Haftar", "Khalifa Haftar", note.prefix, note.suffix,
    )  # fmt: skip
    assert run_archive("check", "--quiet", "--strict", cwd=project).returncode == 0


def test_add_records_the_new_note_and_remove_drops_it(project: Path) -> None:
    before = entries(project)
    added = run_archive(
        "note", "add", NS, "--quote", "it migration crisis", "--kind", "context", "--body", "Since 2014.",
        "--source", "https://example.org/migration", "--id", "migration", cwd=project,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    after = entries(project)
    assert list(after) == [*before, "migration"] and after["migration"].exact == "it migration crisis"
    assert "Recorded" not in run_archive("generate", cwd=project, check=True).stdout  # the build agrees

    removed = run_archive("note", "remove", "migration", cwd=project)
    assert removed.returncode == 0, removed.stderr
    assert entries(project) == before


def test_a_damaged_anchors_file_stops_an_edit_before_anything_changes(project: Path) -> None:
    lock = project / "articles" / f"{NS}.anchors.yml"
    lock.write_text(lock.read_text(encoding="utf-8").replace("version: 1", "version: 9"), encoding="utf-8")
    notes = project / "articles" / f"{NS}.notes.yml"
    before = notes.read_bytes()
    result = run_archive("note", "edit", "haftar-spelling", "--body", "Khalifa.", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"articles/{NS}.anchors.yml:7: version 9: this archive reads anchors files of version 1" in result.stderr
    assert "fix the anchors file as said above first; nothing was changed" in result.stderr
    assert notes.read_bytes() == before
