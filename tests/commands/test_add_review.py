# ruff: noqa: E501 (test data: whole paragraphs and messages on one line)
"""``archive add`` shows what it read and, on a terminal, asks before writing anything.

The terminal is a real one (a pseudo-terminal from :mod:`pty`, the command in a fresh
interpreter): an editor's answers are typed into it. Everything else runs in-process, where
standard input is not a terminal, as in a script.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO, run_archive

CORPUS = REPO / "tests" / "fixtures" / "corpus"
BODY = (
    "Two tram lines will no longer stop at the Rathaus on the Limmatquai from December, the city's transport "
    "authority said on Thursday, after a safety review found the platform too narrow for today's longer trams."
)


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / "articles").rglob("*") if p.is_file()}


def on_a_terminal(root: Path, *args: str, answers: str) -> subprocess.CompletedProcess[str]:
    """``archive add …`` with a terminal as its standard input, and *answers* typed into it."""
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "add", *args],
        cwd=root,
        env=env,
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(follower)
    os.write(leader, answers.encode("utf-8"))
    try:
        out, err = process.communicate(timeout=120)
    finally:
        os.close(leader)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_the_issues_article_is_read_right_and_named_after_its_date(project: Path) -> None:
    source = CORPUS / "newspaper-council-budget.txt"
    result = run_archive("add", str(source), cwd=project)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "as articles/2024-03-04-council-backs-4m-harbour-wall-repair-but-delays.md" in out
    for line in (
        "  title:     Council backs £4m harbour wall repair but delays library refit  (the text's headline)",
        "  author:    Anneke de Vries  (the text's byline)",
        "  date:      2024-03-04  (the text's dateline)",
        "  publisher: Harbour Times  (the text's dateline)",
        "  url:       not found",
        "  not found: url (give them with --url …, or edit the front matter)",
        "  each removal, by line of articles/2024-03-04-council-backs-4m-harbour-wall-repair-but-delays.md:",
        "    line 10: removed by navigation: Harbour Times | News | Sport | Opinion | What's On",
        "    line 20: removed by dateline: Harbour Times, March 4, 2024",
        "    line 43: removed by newsletter-prompt: The day's local news in your inbox at 7am. Free, every weekday.",
    ):
        assert line + "\n" in out, line
    assert "words:     225 kept; removed: 15 passages" in out
    written = (project / "articles" / "2024-03-04-council-backs-4m-harbour-wall-repair-but-delays.md").read_text()
    assert written.startswith(
        "---\ntitle: Council backs £4m harbour wall repair but delays library refit\nauthor: Anneke de Vries\n"
        "date: 2024-03-04\npublisher: Harbour Times\narchived: "
    )
    assert written.endswith(source.read_text(encoding="utf-8"))


def test_a_text_without_a_headline_is_refused_naming_the_option(project: Path) -> None:
    source = CORPUS / "hard-no-header.txt"
    listing = files(project)
    result = run_archive("add", str(source), cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        f"{source}: no title found: the page's metadata gives none and no line of the text reads as its headline; "
        'give it with --title "…"'
    ) in result.stderr
    assert files(project) == listing
    result = run_archive("add", str(source), "--title", "Library to close for eight months", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "  title:     Library to close for eight months  (the command line)" in result.stdout


@pytest.mark.parametrize(
    ("page_title", "message"),
    [
        ("Skip to main content", "\"Skip to main content\", reads as page chrome (rule 'skip-links'), not a headline"),
        ("Home | News | Sport | Weather", "reads as page chrome (rule 'navigation'), not a headline"),
        ("Harbour " * 50, "is 399 characters long, more than a title (300 at most)"),
    ],
)
def test_an_implausible_title_is_refused(project: Path, page_title: str, message: str) -> None:
    page = project.parent / "page.html"
    paragraphs = "".join(f"<p>{BODY} Paragraph {n}.</p>" for n in range(4))
    page.write_text(
        f"<html><head><title>{page_title.strip()}</title></head><body><article>{paragraphs}</article></body></html>"
    )
    listing = files(project)
    result = run_archive("add", str(page), cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert message in result.stderr and "give the" in result.stderr and '--title "…"' in result.stderr, result.stderr
    assert files(project) == listing


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("2017", "--slug '2017': this name is used by a page of the site"),
        ("undated", "--slug 'undated': this name is used by a page of the site"),
        ("a" * 201, "--slug is 201 characters long; the longest the archive can use is 200"),
        ("Bad Slug", "--slug 'Bad Slug': use lowercase letters, digits and single hyphens"),
    ],
)
def test_a_slug_the_archive_cannot_use_is_refused(project: Path, slug: str, message: str) -> None:
    source = project.parent / "tram.txt"
    source.write_text(f"Trams to skip the Rathaus stop\n\n{BODY}\n", encoding="utf-8")
    listing = files(project)
    result = run_archive("add", str(source), "--slug", slug, cwd=project)
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert files(project) == listing


def test_a_long_file_name_in_articles_is_refused_with_a_message(project: Path) -> None:
    path = project / "articles" / f"{'a' * 201}.md"
    path.write_text(f"---\ntitle: Long\n---\n\n{BODY}\n", encoding="utf-8")
    result = run_archive("check", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{path.name}: the file name is 201 characters long before .md; the longest allowed is 200" in result.stderr


def test_the_editor_corrects_the_metadata_and_the_slug_follows(project: Path) -> None:
    source = project.parent / "tram.txt"
    source.write_text(f"Trams to skip the Rathaus stop\n\nBy R. Moller\n\n{BODY}\n", encoding="utf-8")
    # e: correct; title kept (Enter); author corrected; date given; publisher given; url kept empty;
    # then shown again, and y: add it.
    result = on_a_terminal(project, str(source), answers="e\n\nRenate Möller\n2023-03-09\nThe Harbour Herald\n\ny\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Read " in result.stdout and "  author:    R. Moller  (the text's byline)" in result.stdout
    assert "Add it as shown? y = yes, e = correct the metadata, n = cancel" in result.stdout
    path = project / "articles" / "2023-03-09-trams-to-skip-the-rathaus-stop.md"
    front = path.read_text(encoding="utf-8").split("---")[1]
    assert front == (
        "\ntitle: Trams to skip the Rathaus stop\nauthor: Renate Möller\ndate: 2023-03-09\n"
        "publisher: The Harbour Herald\narchived: 2023-11-14\n" + front.split("archived: 2023-11-14\n")[1]
    )
    # What was corrected is shown again before it is written, said to come from the editor.
    assert "  author:    Renate Möller  (you, at the prompt)" in result.stdout
    assert f"Added {source} (text," in result.stdout


def test_the_editor_cancels_and_nothing_is_written(project: Path) -> None:
    source = project.parent / "tram.txt"
    source.write_text(f"Trams to skip the Rathaus stop\n\n{BODY}\n", encoding="utf-8")
    listing = files(project)
    result = on_a_terminal(project, str(source), answers="n\n")
    assert result.returncode == 1
    assert "cancelled at the prompt; nothing was added" in result.stderr
    assert files(project) == listing


def test_yes_adds_without_asking_even_on_a_terminal(project: Path) -> None:
    source = project.parent / "tram.txt"
    source.write_text(f"Trams to skip the Rathaus stop\n\n{BODY}\n", encoding="utf-8")
    result = on_a_terminal(project, str(source), "--yes", answers="")
    assert result.returncode == 0, result.stderr
    assert "Add it as shown?" not in result.stdout
    assert "  title:     Trams to skip the Rathaus stop  (the text's headline)" in result.stdout


def test_left_out_text_cannot_act_on_the_terminal() -> None:
    from generator.commands.add_review import _left_out
    from generator.inputs.left_out import LeftOut

    hostile = "OK\x1b]0;pwned\x07\x1b[2K Manage \u202esettings"
    prose = "A whole sentence of the page that reads like the article, with \x1b[31m colour codes in it, ends here."
    lines = _left_out((LeftOut(hostile, 4, False), LeftOut(prose, 19, True)), "  ")
    text = "\n".join(line for line, _ in lines)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "OK\\x1b]0;pwned\\x07\\x1b[2K Manage \\u202esettings" in text
    assert "with \\x1b[31m colour codes" in text
