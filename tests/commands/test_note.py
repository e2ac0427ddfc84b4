"""``archive note list | add | edit | remove | accept`` on a copy of the bundled archive: every
change keeps the rest of the notes file as it was, is checked with the build's own reader and
anchoring before it is written, and is refused in the editor's words when it cannot be made."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.inputs.notes_file import read_notes

from ..conftest import REPO, run_archive

SLUG_000 = "us-military-considers-re-establishing-presence-in-libya"
SLUG_003 = "2017-07-12-us-looks-to-escalate-involvement-in-libya"
SOURCE = ("--source", "https://www.reuters.com/y", "--source-title", "Reuters report")


def notes_of(project: Path, slug: str) -> Path:
    return project / "articles" / f"{slug}.notes.yml"


def add(project: Path, slug: str, quote: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_archive(
        "note", "add", slug, "--quote", quote, "--kind", "context", "--body", "A *short* note.", *SOURCE, *extra,
        cwd=project,
    )  # fmt: skip


def test_note_add_appends_and_keeps_comments(project: Path) -> None:
    path = project / "articles" / f"{SLUG_003}.notes.yml"
    before = path.read_text()
    result = run_archive(
        "note", "add", SLUG_003,
        "--quote", "looking to replicate that sudden escalation in Libya",
        "--kind", "context", "--body", "See *the* [report](https://www.reuters.com/y).",
        "--source", "https://www.reuters.com/y", "--source-title", "Reuters report",
        cwd=project,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Added note 'looking-to-replicate-that-sudden'" in result.stdout
    after = path.read_text()
    assert after.startswith(before.rstrip("\n") + "\n\n- id: looking-to-replicate-that-sudden\n")
    assert after.count("# ") == before.count("# ")  # every comment kept
    notes, errors = read_notes(path)
    assert not errors and notes[-1].quote == "looking to replicate that sudden escalation in Libya"
    assert notes[-1].sources[0].title == "Reuters report"
    assert run_archive("check", "--quiet", "--strict", cwd=project).returncode == 0


def test_note_add_refuses_a_quote_that_does_not_anchor_exactly(project: Path) -> None:
    path = project / "articles" / f"{SLUG_000}.notes.yml"
    before = path.read_text()
    common = ("--kind", "spelling", "--body", "x", "--source", "https://example.org/")
    missing = run_archive("note", "add", SLUG_000, "--quote", "Libyan oficials", *common, cwd=project)
    assert missing.returncode == 1
    assert 'the quote is not in the article as written (closest: "Libyan officials")' in missing.stderr
    twice = run_archive("note", "add", SLUG_000, "--quote", "U.S officials", *common, cwd=project)
    assert twice.returncode == 1 and "occurs 2 times" in twice.stderr and "nothing was written" in twice.stderr
    chosen = run_archive(
        "note", "add", SLUG_000, "--quote", "U.S officials", "--prefix", "According to", "--id", "officials", *common,
        cwd=project,
    )  # fmt: skip
    assert chosen.returncode == 0, chosen.stderr
    assert path.read_text().startswith(before.rstrip("\n"))


def test_note_add_creates_a_notes_file(project: Path) -> None:
    path = project / "articles" / f"{SLUG_003}.notes.yml"
    path.unlink()
    result = run_archive(
        "note", "add", f"articles/{SLUG_003}.md", "--quote", "becomes a US client", "--kind", "clarification",
        "--body", "The author's reading.", "--source", "https://example.org/", cwd=project,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = path.read_text()
    assert text.startswith("# Editorial notes on 'US Looks to Dramatically Escalate")
    assert (
        textwrap.dedent(
            """\
        - id: becomes-a-us-client
          kind: clarification
          quote: "becomes a US client"
        """
        )
        in text
    )


def test_note_add_writes_the_context_of_the_quote_and_the_given_date(project: Path) -> None:
    result = add(project, SLUG_003, "looking to replicate that sudden escalation in Libya", "--date", "2026-11-30")
    assert result.returncode == 0, result.stderr
    note = read_notes(notes_of(project, SLUG_003))[0][-1]
    # The 32 characters either side, as the Web Annotations publish them: the build can tell the
    # note's place from a copy of the same words elsewhere.
    assert len(note.prefix) == 32 and len(note.suffix) == 32
    checked = run_archive("check", "--quiet", "--strict", cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert str(note.date) == "2026-11-30"


def test_add_edit_remove_leaves_the_notes_file_as_it_was(project: Path) -> None:
    path = notes_of(project, SLUG_000)
    before = path.read_bytes()
    assert add(project, SLUG_000, "the Libyan National Army", "--id", "lna").returncode == 0
    edited = run_archive(
        "note", "edit", "lna", "--body", "An *edited* note with a [link](https://example.org/b).", cwd=project
    )
    assert edited.returncode == 0, edited.stderr
    assert "Edited note 'lna'" in edited.stdout
    notes, errors = read_notes(path)
    assert not errors and notes[-1].body == "An *edited* note with a [link](https://example.org/b)."
    # Only the edited note's lines changed.
    assert path.read_text().startswith(before.decode().rstrip("\n") + "\n\n- id: lna\n")
    removed = run_archive("note", "remove", "lna", cwd=project)
    assert removed.returncode == 0, removed.stderr
    assert path.read_bytes() == before


def test_a_note_added_to_an_article_without_notes_and_removed_leaves_no_file(project: Path) -> None:
    path = notes_of(project, SLUG_003)
    path.unlink()
    assert add(project, SLUG_003, "becomes a US client", "--id", "client").returncode == 0
    assert path.is_file()
    assert run_archive("note", "remove", "client", cwd=project).returncode == 0
    assert not path.exists()


def test_removing_a_note_takes_its_comment_and_keeps_the_others(project: Path) -> None:
    path = notes_of(project, SLUG_000)
    notes, _ = read_notes(path)
    text = path.read_text()
    middle = notes[5]
    lines = text.split("\n")
    lines.insert(middle.line - 1, "# A comment on this note only.")
    path.write_text("\n".join(lines))
    assert run_archive("note", "remove", middle.id, cwd=project).returncode == 0
    after, errors = read_notes(path)
    assert not errors
    assert [n.id for n in after] == [n.id for n in notes if n.id != middle.id]
    assert "A comment on this note only." not in path.read_text()
    assert path.read_text().count("\n# ") + path.read_text().startswith("#") == text.count("\n# ") + 1


def test_edit_that_would_not_anchor_is_refused_and_nothing_written(project: Path) -> None:
    path = notes_of(project, SLUG_000)
    before = path.read_bytes()
    note = read_notes(path)[0][0]
    result = run_archive("note", "edit", note.id, "--quote", "words that are nowhere in the article", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nothing was written" in result.stderr
    assert path.read_bytes() == before


def test_accept_takes_the_new_wording_after_the_article_was_edited(project: Path) -> None:
    article = project / "articles" / f"{SLUG_000}.md"
    article.write_text(
        article.read_text().replace("intelligence sharing with the military", "intelligence-sharing with the military")
    )
    listed = run_archive("note", "list", SLUG_000, cwd=project)
    assert listed.returncode == 0, listed.stderr
    assert "haftar-intel-sharing" in listed.stdout and "the article's words changed" in listed.stdout
    assert "1 needing attention" in listed.stdout
    accepted = run_archive("note", "accept", "haftar-intel-sharing", cwd=project)
    assert accepted.returncode == 0, accepted.stderr
    note = next(n for n in read_notes(notes_of(project, SLUG_000))[0] if n.id == "haftar-intel-sharing")
    assert note.quote == "coordination and intelligence-sharing with the military commander"
    assert note.prefix and note.suffix
    assert run_archive("check", "--quiet", "--strict", cwd=project).returncode == 0
    again = run_archive("note", "accept", "haftar-intel-sharing", cwd=project)
    assert again.returncode == 1 and "no new wording to accept" in again.stderr


def test_list_exits_1_when_a_note_does_not_anchor(project: Path) -> None:
    article = project / "articles" / f"{SLUG_000}.md"
    article.write_text(article.read_text().replace("Kalifa Haftar", "the field marshal"))
    listed = run_archive("note", "list", cwd=project)
    assert listed.returncode == 1
    assert "not anchored" in listed.stdout and "haftar-spelling" in listed.stdout
    assert SLUG_003 + ":" in listed.stdout  # every article's notes are listed


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--source", "ftp://example.org/file"), "source 1: 'ftp://example.org/file' is not a web address"),
        (("--body", "x" * 2001), "body is 2,001 characters long; the limit is 2,000"),
        (("--quote", ""), "quote is empty; give the article's words the note concerns"),
        (("--quote", "   "), "quote is empty; give the article's words the note concerns"),
        (("--author", ""), "author is empty; give who wrote the note"),
        (("--body", "one\n\ntwo"), "body must be one paragraph"),
        (("--body", "[x](javascript:alert(1))"), "body links only to http(s) or mailto addresses"),
        (("--id", "Not An Id"), "id 'Not An Id': use lowercase letters, digits and hyphens"),
    ],
)
def test_note_add_refuses_bad_values_in_plain_words(project: Path, options: tuple[str, ...], message: str) -> None:
    path = notes_of(project, SLUG_000)
    before = path.read_bytes()
    values = {"--quote": "the Libyan National Army", "--body": "A note.", "--source": "https://example.org/"}
    values.update(dict(zip(options[::2], options[1::2], strict=True)))
    args = [arg for pair in values.items() for arg in pair]
    result = run_archive("note", "add", SLUG_000, "--kind", "context", *args, cwd=project)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "where",
    ["originals/{slug}.md", "../outside/{slug}.md"],
)
def test_note_add_writes_only_beside_an_article_of_the_archive(project: Path, where: str) -> None:
    target = project / "articles" / where.format(slug="copy")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((project / "articles" / f"{SLUG_000}.md").read_text())
    result = add(project, str(target), "the Libyan National Army")
    assert result.returncode == 1
    assert "not an article of the archive" in result.stderr
    assert not target.with_name("copy.notes.yml").exists()


def test_ten_editors_adding_at_once_lose_no_note(project: Path) -> None:
    """Ten ``note add`` at the same moment, each its own process: the lock serialises them."""
    quotes = [
        "the Libyan National Army", "Government of National Accord", "intelligence sharing",
        "the United States embassy", "military commander", "a few week", "Libyan officials",
        "the western part", "coordination", "the eastern region",
    ]  # fmt: skip
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator",
                "note",
                "add",
                SLUG_000,
                "--quote",
                quote,
                "--kind",
                "context",
                "--body",
                "A note.",
                "--source",
                "https://example.org/",
                "--id",
                f"concurrent-{n}",
            ],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for n, quote in enumerate(quotes)
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in processes]  # type: ignore[union-attr]
    notes, errors = read_notes(notes_of(project, SLUG_000))
    added = {n.id for n in notes if n.id.startswith("concurrent-")}
    refused = {f"concurrent-{n}" for n, (code, _) in enumerate(outcomes) if code != 0}
    assert not errors
    assert added | refused == {f"concurrent-{n}" for n in range(10)}
    assert all("occurs" in err or "not in the article" in err for code, err in outcomes if code != 0), outcomes
    assert len(added) >= 8


def test_an_id_used_in_two_files_needs_the_article(project: Path) -> None:
    assert add(project, SLUG_003, "becomes a US client", "--id", "twin").returncode == 0
    assert add(project, SLUG_000, "the Libyan National Army", "--id", "twin").returncode == 0
    result = run_archive("note", "remove", "twin", cwd=project)
    assert result.returncode == 1 and "say which article with --article" in result.stderr
    assert run_archive("note", "remove", "twin", "--article", SLUG_003, cwd=project).returncode == 0
    assert "twin" not in {n.id for n in read_notes(notes_of(project, SLUG_003))[0]}
    assert "twin" in {n.id for n in read_notes(notes_of(project, SLUG_000))[0]}


def test_the_notes_file_must_read_cleanly_before_it_is_changed(project: Path) -> None:
    path = notes_of(project, SLUG_000)
    path.write_text(
        path.read_text()
        + textwrap.dedent("""
        - id: broken
          kind: nonsense
        """)
    )
    before = path.read_bytes()
    result = add(project, SLUG_000, "the Libyan National Army")
    assert result.returncode == 1
    assert "fix the notes file as said above first; nothing was changed" in result.stderr
    assert path.read_bytes() == before
