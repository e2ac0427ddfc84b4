"""The notes file: schema errors with file and line, every problem of a run reported at once,
fuzzy anchors as warnings (errors with --strict)."""

from __future__ import annotations

from pathlib import Path

from generator.inputs.notes_file import read_notes
from generator.pipeline import load
from generator.settings import Settings

from ..conftest import run_archive

SLUG_000 = "us-military-considers-re-establishing-presence-in-libya"
SLUG_003 = "2017-07-12-us-looks-to-escalate-involvement-in-libya"
REPO = Path(__file__).resolve().parents[2]

GOOD = """\
- id: {id}
  kind: {kind}
  quote: "{quote}"
  body: "{body}"
  sources:
    - title: "Reuters"
      url: "https://www.reuters.com/x"
      accessed: 2026-11-22
  author: Archive editors
  date: 2026-11-22
"""


def note_yaml(id: str = "n", kind: str = "context", quote: str = "Kalifa Haftar", body: str = "A note.") -> str:  # noqa: A002
    return GOOD.format(id=id, kind=kind, quote=quote, body=body)


def test_seed_notes_all_anchor_exactly() -> None:
    loaded = load(Settings.load(REPO))
    assert loaded.errors == [] and loaded.warnings == []
    assert len(loaded.notes[SLUG_000]) == 18 and len(loaded.notes[SLUG_003]) == 12
    kinds = {n.note.id: n.note.kind for n in loaded.notes[SLUG_000]}
    # The article swaps the leaders' regions: both wrong phrases carry a correction.
    assert kinds["sarraj-held-the-west"] == kinds["haftar-held-the-east"] == "correction"
    for items in loaded.notes.values():
        for item in items:
            assert item.note.sources, item.note.id
            assert not item.anchor.fuzzy


def test_schema_errors_name_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "a.notes.yml"
    path.write_text(
        note_yaml("ok")
        + note_yaml("bad-kind", kind="opinion")
        + note_yaml("ok")
        + note_yaml("js", body="See [this](javascript:alert(1)).")
        + "- id: no-sources\n  kind: context\n  quote: x\n  body: y\n  sources: []\n  author: A\n  date: 2026-11-22\n"
    )
    notes, errors = read_notes(path)
    assert [n.id for n in notes] == ["ok"]
    messages = [e.format_message() for e in errors]
    assert messages[0].startswith(
        f"{path}:12: note 'bad-kind': kind: 'opinion' is not allowed here; use one of 'correction', 'spelling'"
    )
    assert messages[1] == f"{path}:21: note 'ok': the id is already used on line 1; give each note its own id"
    assert (
        messages[2]
        == f"{path}:34: note 'js': body links only to http(s) or mailto addresses, not 'javascript:alert(1)'"
    )
    assert messages[3].startswith(f"{path}:45: note 'no-sources': sources: List should have at least 1 item")


def test_duplicate_keys_and_non_lists_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.notes.yml"
    path.write_text(note_yaml().replace("  author: Archive editors\n", "  author: A\n  author: B\n"))
    _, errors = read_notes(path)
    assert errors[0].format_message() == (
        f"{path}:10: 'author' is written twice in one entry; keep one, or start a new entry with '- '"
    )
    path.write_text("id: n\n")
    _, errors = read_notes(path)
    assert errors[0].format_message() == f"{path}:1: a notes file is a list of notes, each starting with '- id: …'"


def test_check_reports_every_problem_in_one_run(project: Path) -> None:
    notes = project / "articles" / f"{SLUG_000}.notes.yml"
    notes.write_text(
        note_yaml("missing", quote="Haftar who rules the southern desert and its oil fields")
        + note_yaml("twice", quote="U.S officials")
        + note_yaml("fine", quote="Kalifa Haftar")
    )
    (project / "articles" / f"{SLUG_003}.notes.yml").write_text("- id: [broken\n")
    result = run_archive("check", "--quiet", cwd=project)
    assert result.returncode == 1
    err = result.stderr
    assert f"articles/{SLUG_000}.notes.yml:3:10: note 'missing': quote not found; closest: \"" in err
    assert f"articles/{SLUG_000}.notes.yml:13:10: note 'twice': quote 'U.S officials' occurs 2 times (line 13:" in err
    assert f"articles/{SLUG_003}.notes.yml:1: the value of 'id' starts with [, which YAML reads as a list" in err
    assert "3 problems found." in err
    assert "Traceback" not in err


def test_fuzzy_anchor_is_a_warning_and_an_error_with_strict(project: Path) -> None:
    notes = project / "articles" / f"{SLUG_000}.notes.yml"
    notes.write_text(note_yaml("typo", quote="Kalifa Haftar who controls the westren part"))
    result = run_archive("check", "--quiet", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (
        f"warning: articles/{SLUG_000}.notes.yml:3:10: note 'typo': quote not found as written; anchored to "
        '"Kalifa Haftar who controls the western part" (line 19, 98% similar) instead of '
        '"Kalifa Haftar who controls the westren part"; '
        "run 'archive note accept typo' to take the new wording, or update the quote in the notes file"
    ) in result.stderr
    strict = run_archive("check", "--quiet", "--strict", cwd=project)
    assert strict.returncode == 1 and "made an error by --strict" in strict.stderr
