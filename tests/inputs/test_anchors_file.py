"""The anchors lock file (articles/<slug>.anchors.yml): what generate writes reads back the same,
whatever the strings hold, and a damaged file is an error naming the file and line, never a
traceback and never trusted."""

# ruff: noqa: E501  (the catalogue reads best as one case per line)
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.inputs.anchors_file import _canonical, parse_anchors, read_anchors
from generator.model import AnchorRecord
from generator.output.locks import lock_text

LOCK = Path("articles/t.anchors.yml")
SHA = "ab" * 32


def entry(**changes: object) -> AnchorRecord:
    fields: dict[str, object] = dict(
        quote="the port authority", exact="the port authority", prefix="Officials said ", suffix=" would work",
        block=1, line=12, position=80, text_sha256=SHA, copies=2,
    )  # fmt: skip
    fields.update(changes)
    return AnchorRecord(**fields)  # type: ignore[arg-type]


def messages(text: str) -> list[str]:
    records, errors = parse_anchors(text, LOCK)
    assert not (records and errors) or errors
    return [e.format_message() for e in errors]


def test_what_generate_writes_reads_back_the_same_with_lines() -> None:
    records = {"port": entry(), "given": entry(given_prefix="said ", given_suffix=" would"), "null": entry()}
    text = lock_text(records)
    assert '\n  "null":\n' in text and "\n  port:\n" in text  # a key YAML would read as null is quoted
    read, errors = parse_anchors(text, LOCK)
    assert not errors and read == records
    assert [r.entry_line for r in read.values()] == [
        i + 1 for i, line in enumerate(text.splitlines()) if line.startswith("  ") and not line.startswith("   ")
    ]
    assert all(r.path == LOCK for r in read.values())


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(quote=TEXT.filter(str.strip), exact=TEXT.filter(bool), prefix=TEXT.map(lambda s: s[:32]),
       suffix=TEXT.map(lambda s: s[:32]))  # fmt: skip
def test_any_string_round_trips_escaped_on_one_line(quote: str, exact: str, prefix: str, suffix: str) -> None:
    records = {"n": entry(quote=quote, exact=exact, prefix=prefix, suffix=suffix)}
    text = lock_text(records)
    read, errors = parse_anchors(text, LOCK)
    assert not errors and read == records
    body = text.split("notes:\n", 1)[1]
    assert len(body.splitlines()) == 10  # every value on its own line: line breaks are escapes
    assert all(c.isprintable() or c == "\n" for c in body)  # nothing invisible in the file itself


def _both_ways(text: str) -> tuple[object, object]:
    def seen(found: tuple[dict[str, AnchorRecord], list]) -> object:
        records, errors = found
        return records, [(k, r.entry_line) for k, r in records.items()], [e.format_message() for e in errors]

    return seen(parse_anchors(text, LOCK)), seen(parse_anchors(text, LOCK, fast=False))


@settings(max_examples=int(os.environ.get("LOCK_EXAMPLES", "150")), deadline=None)
@given(
    quote=TEXT.filter(str.strip), exact=TEXT.filter(bool), prefix=TEXT.map(lambda s: s[:32]),
    at=st.floats(0, 1), edit=st.sampled_from(["delete", "insert", "duplicate", "none"]),
    char=st.sampled_from(list('"\\:# -\t\nx0\u00a0\U0001f600u') + ["\\u00", "\\U0011ffff", "\\ud800", "null", "'"]),
)  # fmt: skip
def test_the_fast_reading_agrees_with_the_yaml_reader(quote, exact, prefix, at, edit, char) -> None:
    # What the build writes is read line by line; a file edited by hand (a character deleted or
    # inserted, a line doubled) reads exactly as the YAML reader reads it, or goes to it.
    text = lock_text({"port": entry(quote=quote, exact=exact, prefix=prefix), "null": entry()})
    assert _canonical(text) is not None
    where = int(at * (len(text) - 1))
    if edit == "delete":
        text = text[:where] + text[where + 1 :]
    elif edit == "insert":
        text = text[:where] + char + text[where:]
    elif edit == "duplicate":
        lines = text.splitlines(keepends=True)
        lines.insert(int(at * len(lines)), lines[int(at * (len(lines) - 1))])
        text = "".join(lines)
    fast, slow = _both_ways(text)
    assert fast == slow


def test_no_file_is_no_entries_and_a_link_is_not_read(tmp_path: Path) -> None:
    assert read_anchors(tmp_path / "none.anchors.yml") == ({}, [])
    target = tmp_path / "elsewhere.yml"
    target.write_text(lock_text({"n": entry()}), encoding="utf-8")
    (tmp_path / "link.anchors.yml").symlink_to(target)
    assert read_anchors(tmp_path / "link.anchors.yml") == ({}, [])  # find_sources reports the link


FIX = "the file is written by 'archive generate': restore it from git, or delete it and run 'archive generate' again"
GOOD = lock_text({"port": entry()})
HEADER_LINES = GOOD.count("\n", 0, GOOD.index("version:"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", f"articles/t.anchors.yml:1: not an anchors file (a mapping with 'version' and 'notes'); {FIX}"),
        ("- a\n- b\n", "articles/t.anchors.yml:1: not an anchors file"),
        ("version: 1\nnotes: [\n", "articles/t.anchors.yml:3:1: YAML cannot read this"),
        (GOOD.replace("notes:\n", "<<<<<<< HEAD\nnotes:\n"), "articles/t.anchors.yml:9: this line is indented differently"),
        ("version: 2\nnotes: {}\n", f"articles/t.anchors.yml:1: version 2: this archive reads anchors files of version 1; {FIX}"),
        ("notes: {}\n", "articles/t.anchors.yml:1: version None: this archive reads anchors files of version 1"),
        ("version: true\nnotes: {}\n", "articles/t.anchors.yml:1: version True"),
        ("version: 1\nnotes: {}\nextra: 1\n", "articles/t.anchors.yml:3: unknown key 'extra'"),
        ("version: 1\nnotes: [a]\n", "articles/t.anchors.yml:2: 'notes' must map each note's id to its entry"),
        ("version: 1\nnotes:\n  Bad_Id: {}\n", "articles/t.anchors.yml:3: 'Bad_Id' is not a note id"),
        ("version: 1\nnotes:\n  a: !!python/object/apply:os.system [id]\n", "articles/t.anchors.yml:3: YAML tags such as"),
        ("version: 1\nx: &a [1]\nnotes: *a\n", "articles/t.anchors.yml:2: YAML anchors and aliases"),
        (GOOD.replace("position: 80", "position: -1"), f"articles/t.anchors.yml:{HEADER_LINES + 10}: note 'port': position: Input should be greater than or equal to 0; {FIX}"),
        (GOOD.replace("position: 80", 'position: "80"'), "note 'port': position: Input should be a valid integer"),
        (GOOD.replace("copies: 2", "copies: 0"), "note 'port': copies: Input should be greater than or equal to 1"),
        (GOOD.replace('    suffix: " would work"\n', ""), "note 'port': suffix: missing; add this field"),
        (GOOD.replace('" would work"', '"' + "x" * 33 + '"'), "note 'port': suffix: String should have at most 32 characters"),
        (GOOD.replace(SHA, "nothex"), "note 'port': text_sha256: String should match pattern"),
        (GOOD.replace("    block: 1\n", "    block: 1\n    colour: red\n"), "note 'port': colour: unknown field (a misspelling?)"),
        (GOOD.replace("  port:\n", "  port:\n  port:\n"), "'port' is written twice in one entry"),
        (GOOD.replace('quote: "the port authority"', "quote: 2017"), "note 'port': quote: 2017 must be text"),
    ],
)  # fmt: skip
def test_a_damaged_file_is_an_error_naming_file_and_line(text: str, expected: str) -> None:
    found = messages(text)
    assert len(found) == 1 and expected in found[0] and found[0].endswith(FIX), found


def test_every_bad_entry_is_reported_and_the_good_ones_kept() -> None:
    text = lock_text({"a": entry(), "b": entry(), "c": entry()})
    lines = text.splitlines()
    a, b, c = (lines.index(f"  {k}:") for k in "abc")
    lines[a + 7] = "    position: x"
    lines[c + 6] = "    line: 0"
    records, errors = parse_anchors("\n".join(lines) + "\n", LOCK)
    assert list(records) == ["b"] and records["b"].entry_line == b + 1
    assert [e.line for e in errors] == [a + 8, c + 7]


def test_a_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "t.anchors.yml"
    path.write_bytes(GOOD.encode("utf-8").replace(b"port authority", b"port \xe9uthority", 1))
    records, errors = read_anchors(path)
    assert records == {} and len(errors) == 1
    assert errors[0].format_message().startswith(f"{path}: invalid UTF-8 at byte ")
