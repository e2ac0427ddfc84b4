"""Bad article files get a clear message naming the file (and line), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import SourceError
from generator.inputs.articles import find_sources, read_source

BODY = "The article's words, enough of them to be an article.\n"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.md", "---\ntitle: A\n" + BODY, ":1: front matter is not closed; add a line '---' after it"),
        (
            "a.md",
            "---\ntitle: A\nautor: B\n---\n" + BODY,
            ":3: front matter: autor: unknown field (a misspelling?); the fields are: title,",
        ),
        (
            "a.md",
            "---\ntitle: A\ndate: 12 July\n---\n" + BODY,
            ":3: front matter: date: '12 July' is not a date; write it as YYYY",
        ),
        ("a.md", "---\ntitle: A\ntitle: B\n---\n" + BODY, ":3: 'title' is written twice in the file; keep one"),
        (
            "a.md",
            "---\ntitle: [unclosed\n---\n" + BODY,
            ":2: the value of 'title' starts with [, which YAML reads as a list",
        ),
        ("a.md", "---\n- a list\n---\n" + BODY, ":2: front matter must be a mapping"),
        ("a.md", "---\ntitle: !!python/object:os.system x\n---\n" + BODY, ": YAML tags such as"),
        (
            "a.md",
            "---\ntitle: A\nurl: javascript:alert(1)\n---\n" + BODY,
            ":3: front matter: url: Value error, must be an http",
        ),
        ("a.md", "---\ntitle: A\nlanguage: English\n---\n" + BODY, ":3: front matter: language: String should match"),
        ("a.md", "---\ntitle: ''\n---\n" + BODY, ":2: front matter: title: empty; write its value after the colon"),
        ("a.md", "---\ntitle: A\n---\n\n\n", ":4: the article has front matter but no text below it"),
        ("a.md", "", ": the file is empty"),
        ("a.md", "  \n\n", ": the file is empty"),
        ("a.md", b"title\n\x00\x01\x02binary", ":2: the file is binary"),
        ("a.md", b"Line one\nLine \xff two\n", ":2: invalid UTF-8 at byte 14; save the file as UTF-8"),
        ("Bad Name.md", BODY, ": file name 'Bad Name.md' is not a valid slug"),
        ("caf\u00e9.md", BODY, "is not a valid slug"),
        ("-a.md", BODY, "is not a valid slug"),
    ],
)
def test_malformed_article_files(tmp_path: Path, name: str, content: str | bytes, message: str) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(SourceError) as caught:
        read_source(path)
    text = caught.value.format_message()
    assert text.startswith(str(path)), text
    assert message in text


def test_huge_files_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "huge.md", "---\ntitle: Huge\n---\n" + "word " * 500_000)
    with pytest.raises(SourceError, match="larger than the limit of 2,000,000"):
        read_source(path)


def test_windows_line_endings_and_bom_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, "crlf.md", "\ufeff---\r\ntitle: CRLF\r\n---\r\nText here.\r\n")
    source = read_source(path)
    assert source.front.title == "CRLF" and source.body == "Text here.\n" and source.body_line == 4


def test_stray_files_in_the_articles_folder_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "good.md", BODY)
    write(tmp_path, "photo.png", b"\x89PNG\r\n")
    write(tmp_path, "orphan.notes.yml", "[]")
    write(tmp_path, "good.anchors.yml", "version: 1\nnotes: {}\n")  # the notes' recorded places: accepted
    write(tmp_path, "gone.anchors.yml", "version: 1\nnotes: {}\n")
    write(tmp_path, ".hidden", "ignored")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "originals").mkdir()
    (tmp_path / "link.md").symlink_to(tmp_path / "good.md")
    found, errors = find_sources(tmp_path)
    assert [p.name for p in found] == ["good.md"]
    messages = sorted(e.format_message().removeprefix(str(tmp_path) + "/") for e in errors)
    assert messages == [
        "drafts: unexpected folder; articles/ holds only article files and originals/",
        "gone.anchors.yml: anchors file for a missing article; expected articles/gone.md beside it "
        "(delete it if the article was removed)",
        "link.md: symbolic links are not read; copy the file into articles/ instead",
        "orphan.notes.yml: notes file for a missing article; expected articles/orphan.md beside it",
        "photo.png: not an article file; articles are .md or .txt files "
        "(notes are .notes.yml, the notes' recorded places .anchors.yml)",
    ]
