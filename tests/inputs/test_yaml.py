"""The fast paths of parsing give exactly what the slow ones gave: libyaml's events built into
ruamel's containers (values and line/column of every key and item), and the normalisation of
an article's text for anchoring notes (text and offset maps)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.commands.synth import make_archive
from generator.inputs import fastyaml, yamlio
from generator.stages import typography as notes

from ..conftest import REPO


def shape(node: object) -> object:
    """Values with their recorded positions, for comparing two loads."""
    if isinstance(node, CommentedMap):
        return ("map", node.lc.line, node.lc.col, [(k, node.lc.data[k], shape(v)) for k, v in node.items()])
    if isinstance(node, CommentedSeq):
        return ("seq", node.lc.line, node.lc.col, [(node.lc.data[i], shape(v)) for i, v in enumerate(node)])
    return (type(node).__name__ if not isinstance(node, str) else "str", node)


def ruamel(text: str) -> object:
    return yamlio._yaml().load(text)


def front_matter(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n")[1]


def archive_yaml(tmp_path: Path) -> list[str]:
    make_archive(tmp_path / "synthetic", 5, REPO, words=80)
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "articles").glob("*.notes.yml"))]
    texts += [front_matter(p) for p in sorted((REPO / "articles").glob("*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((tmp_path / "synthetic" / "articles").glob("*.yml"))]
    texts += [front_matter(p) for p in sorted((tmp_path / "synthetic" / "articles").glob("*.md"))]
    texts += [(REPO / "entities.yml").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "rules").glob("*.yml"))]
    return texts


def test_the_archives_yaml_loads_the_same_both_ways(tmp_path: Path) -> None:
    texts = archive_yaml(tmp_path)
    fast = 0
    for text in texts:
        loaded = fastyaml.load(text)
        if loaded is fastyaml.FALLBACK:
            continue
        fast += 1
        assert shape(loaded) == shape(ruamel(text)), text[:200]
    assert fast >= len(texts) - 2, "the archive's own files should not need the slow loader"


@pytest.mark.parametrize(
    "text",
    [
        "title: A plain title\ndate: 2017-07-12\ncount: 12\nflag: true\nnothing: null\nother: ~",
        "- id: a\n  sources:\n  - title: T\n    url: https://example.org\n- id: b\n",
        "body: >\n  folded\n  text\n\n  more\nquote: |\n  kept\n  lines\n",
        "a: 'single ''quoted'''\nb: \"double \\u00e9\"\nc: No\nd: yes\ne: on",
        "key: [1, {b: c}, 'd']",
    ],
)
def test_fast_loads_match_ruamel(text: str) -> None:
    loaded = fastyaml.load(text)
    assert loaded is not fastyaml.FALLBACK
    assert shape(loaded) == shape(ruamel(text))


@pytest.mark.parametrize(
    "text",
    [
        "a: 1.5",  # floats, octals, times: ruamel decides
        "a: 0123",
        "a: 2017-07-12 10:00",
        "a: -1",
        "a: &x 1\nb: *x",  # anchors and aliases
        "a: !tag x",  # tags are refused by ruamel's path
        "a: b\na: c",  # duplicate keys are an error there
        "a: 1\n---\nb: 2",  # two documents
        "a: [unclosed",  # a syntax error: ruamel's message names the line
        "a:\nb: 2",  # an empty value: ruamel places it at the next token
        "1: one",  # a key that is not text
    ],
)
def test_doubtful_yaml_goes_to_ruamel(text: str) -> None:
    assert fastyaml.load(text) is fastyaml.FALLBACK


def test_errors_still_name_the_line() -> None:
    from generator.errors import NoteError

    with pytest.raises(NoteError) as caught:
        yamlio.parse("- id: a\n  kind: x\n  kind: y\n", "n.notes.yml", NoteError)
    assert caught.value.format_message().startswith("n.notes.yml:3: 'kind' is written twice in one entry; keep one")
    assert yamlio.parse("date: 2017-07-12", "f", NoteError)["date"] == dt.date(2017, 7, 12)


def reference_normalise(text: str) -> tuple[str, list[int], list[int]]:
    """Character by character, as notes were first anchored."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        if char.isspace() or char in "\u200b\ufeff":
            if out and out[-1] == " ":
                ends[-1] = index + 1
                continue
            char = " "
        out.append(char.translate(notes._QUOTES))
        starts.append(index)
        ends.append(index + 1)
    return "".join(out), starts, ends


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab. \n\t\u00a0\u2003\u200b\ufeff\u2019\u201c\x1c", max_size=30))
def test_normalise_matches_the_reference(text: str) -> None:
    expected_text, expected_starts, expected_ends = reference_normalise(text)
    normal = notes.normalise(text)
    assert normal.text == expected_text
    assert [normal.starts[i] for i in range(len(normal.text))] == expected_starts
    assert [normal.ends[i] for i in range(len(normal.text))] == expected_ends
