"""The anchors lock files end to end: written by a successful generate (only then, and only when
they change), committed with the archive, read by the next run; a note that would move stops the
run naming both places, and a note re-anchored is a warning every command counts the same way."""

from __future__ import annotations

from pathlib import Path

from ..conftest import run_archive

NS = "us-military-considers-re-establishing-presence-in-libya"
GR = "2017-07-12-us-looks-to-escalate-involvement-in-libya"
VERDICT = "1 warning: a push would be refused (publishing runs with --strict); fix it first."


def locks(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "articles").glob("*.anchors.yml"))}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_committed_lock_files_are_what_generate_writes(project: Path) -> None:
    committed = locks(project)
    assert set(committed) == {f"{GR}.anchors.yml", f"{NS}.anchors.yml"}
    first = run_archive("generate", cwd=project, check=True)
    assert "Recorded" not in first.stdout and locks(project) == committed
    for path in (project / "articles").glob("*.anchors.yml"):
        path.unlink()  # as before the archive had them: the next generate writes them
    again = run_archive("generate", cwd=project, check=True)
    for slug in (GR, NS):
        line = f"Recorded where the notes are in articles/{slug}.anchors.yml; commit it with the notes file."
        assert line in again.stdout
    assert locks(project) == committed  # the same bytes: deterministic
    assert "Nothing changed since the last run" in run_archive("generate", cwd=project, check=True).stdout


def test_check_reads_the_lock_files_and_writes_none(project: Path) -> None:
    (project / "articles" / f"{NS}.anchors.yml").unlink()
    result = run_archive("check", "--quiet", cwd=project, check=True)
    assert result.stdout.strip() == "OK: 2 articles checked, no problems found."
    assert set(locks(project)) == {f"{GR}.anchors.yml"}


def test_a_typo_fixed_in_the_article_moves_the_note_with_a_warning_counted_everywhere(project: Path) -> None:
    committed = locks(project)
    edit(project / "articles" / f"{NS}.md", "Kalifa Haftar", "Khalifa Haftar")
    where = f"articles/{NS}.notes.yml:230:10: note 'haftar-spelling'"
    moved = (
        f'{where}: moved: the note now marks "Khalifa Haftar" (line 19, 96% similar, a typo or two away) instead of '
        '"Kalifa Haftar" (line 19 at the last build); '
        "run 'archive note accept haftar-spelling' to take the new wording, or update the quote in the notes file"
    )
    strict = run_archive("generate", "--strict", cwd=project)
    assert strict.returncode == 1 and f"{moved} (a warning, made an error by --strict)" in strict.stderr
    assert locks(project) == committed  # a failed run records nothing

    check = run_archive("check", "--quiet", cwd=project)
    assert check.returncode == 0 and f"warning: {moved}" in check.stderr
    assert check.stdout.strip() == f"2 articles checked, no errors; {VERDICT}"

    generated = run_archive("generate", cwd=project)
    assert generated.returncode == 0 and f"warning: {moved}" in generated.stderr
    assert generated.stderr.strip().endswith(VERDICT)
    assert f"Recorded where the notes are in articles/{NS}.anchors.yml" in generated.stdout
    lock = (project / "articles" / f"{NS}.anchors.yml").read_text(encoding="utf-8")
    assert '    quote: "Kalifa Haftar"\n    exact: "Khalifa Haftar"\n' in lock

    # The lock now records the new words; the quote still differs from them: a warning on every run.
    standing = (
        f'{where}: quote not found as written; the note marks "Khalifa Haftar" (line 19, 96% similar) as at the '
        'last build, instead of "Kalifa Haftar"; '
        "run 'archive note accept haftar-spelling' to take the new wording, or update the quote in the notes file"
    )
    again = run_archive("check", "--quiet", cwd=project)
    assert f"warning: {standing}" in again.stderr and again.stdout.strip().endswith(VERDICT)
    edit(project / "articles" / f"{NS}.notes.yml", 'quote: "Kalifa Haftar"', 'quote: "Khalifa Haftar"')
    fixed = run_archive("check", "--quiet", cwd=project, check=True)
    assert fixed.stdout.strip() == "OK: 2 articles checked, no problems found." and "warning" not in fixed.stderr


PORT = """---
title: The harbour plan
date: 2020-05-01
---

Officials said the port authority would work with the navy on the plan, which critics called vague.

Critics said the port authority had no budget for it and would need a loan from the city.
"""


def test_a_note_on_one_of_two_copies_never_moves_to_the_other(project: Path) -> None:
    # The story, as a new user tried it.
    (project / "articles" / "harbour.md").write_text(PORT, encoding="utf-8")
    added = run_archive(
        "note", "add", "harbour", "--quote", "the port authority", "--suffix", " would work", "--kind", "context",
        "--body", "The port authority is the city's.", "--source", "https://example.org/port", cwd=project,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    run_archive("generate", cwd=project, check=True)
    lock = project / "articles" / "harbour.anchors.yml"
    recorded = lock.read_bytes()
    assert b'given_suffix: " would work with the navy' in recorded and b"copies: 2" in recorded
    site_src = {p: p.read_bytes() for p in (project / "site_src").rglob("*") if p.is_file()}

    edit(project / "articles" / "harbour.md", "the port authority would work", "the harbour board would work")
    result = run_archive("generate", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "articles/harbour.notes.yml:6:10: note 'the-port-authority': the note would move: its place, line 6, now "
        'reads "the harbour board", and the quote matches best at line 8: "the port authority"'
    ) in result.stderr
    assert lock.read_bytes() == recorded
    assert {p: p.read_bytes() for p in (project / "site_src").rglob("*") if p.is_file()} == site_src

    # Its own words back with a typo: the note follows them, with a warning naming both.
    edit(project / "articles" / "harbour.md", "the harbour board would work", "the port autority would work")
    typo = run_archive("generate", cwd=project, check=True)
    assert 'moved: the note now marks "the port autority" (line 6, 97% similar, a typo or two away)' in typo.stderr
    assert 'the quote\'s exact words are also at line 8: "the port authority", without the recorded context' in (
        typo.stderr
    )


def test_an_article_without_notes_loses_its_lock_file(project: Path) -> None:
    (project / "articles" / f"{NS}.notes.yml").unlink()
    result = run_archive("generate", cwd=project, check=True)
    removed = f"Removed articles/{NS}.anchors.yml: its article has no notes any more; commit the removal."
    assert removed in result.stdout
    assert set(locks(project)) == {f"{GR}.anchors.yml"}
