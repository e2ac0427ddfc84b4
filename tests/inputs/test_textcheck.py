"""Invisible characters are reported as warnings naming file:line:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.inputs.textcheck import check_files, scan_text

from ..conftest import run_archive


@pytest.mark.parametrize(
    ("char", "kind"),
    [
        *[(chr(c), "bidirectional control character") for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))],
        *[(c, "zero-width character") for c in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")],
        ("\x01", "control character"),
        ("\x7f", "control character"),
        ("\x9b", "control character"),
    ],
)
def test_each_suspect_character_is_named_with_its_place(char: str, kind: str) -> None:
    warnings = scan_text(f"first line\nab{char}cd\n", "articles/x.md")
    assert len(warnings) == 1
    assert str(warnings[0]).startswith(f"articles/x.md:2:3: {kind} U+{ord(char):04X}")
    assert (warnings[0].path, warnings[0].line, warnings[0].column) == ("articles/x.md", 2, 3)


def test_ordinary_text_gives_no_warning() -> None:
    text = "\ufeffTitle\n\tTabbed line with émigré, 北京, مرحبا and an emoji 👍.\n"
    assert scan_text(text, "x.md") == []  # a byte order mark at the very start is allowed


def test_line_numbers_count_from_first_line() -> None:
    assert str(scan_text("a\u202eb", "x.md", first_line=7)[0]).startswith("x.md:7:2:")


def test_unreadable_files_are_left_to_other_checks(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe\x00")
    good = tmp_path / "good.md"
    good.write_text("x\u200by\r\nz\u2069\n", encoding="utf-8")
    warnings = check_files([bad, tmp_path / "missing.md", good])
    assert [str(w).split(": ")[0] for w in warnings] == [f"{good}:1:2", f"{good}:2:2"]


def test_check_warns_and_strict_fails(project: Path) -> None:
    article = project / "articles" / "hidden.md"
    article.write_text("---\ntitle: Hidden\n---\n\nPay to acc\u202e4321\u202c now.\n", encoding="utf-8")
    plain = run_archive("check", "-q", cwd=project)
    assert plain.returncode == 0
    assert "warning: articles/hidden.md:5:11: bidirectional control character U+202E" in plain.stderr
    strict = run_archive("check", "-q", "--strict", cwd=project)
    assert strict.returncode == 1
    assert "articles/hidden.md:5:16: bidirectional control character U+202C" in strict.stderr
