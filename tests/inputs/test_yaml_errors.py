"""Editor-worded YAML errors: each slip an editor makes in a notes file, the registry or the
cleaning rules is named with its file and line and what to do, in plain words (no parser jargon)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ArchiveError
from generator.inputs.notes_file import parse_notes
from generator.inputs.registry import load_registry
from generator.inputs.rules import load_rules

from ..conftest import REPO

NOTE = """- id: a-note
  kind: correction
  quote: "who controls the western part"
  body: "The regions are reversed."
  sources:
    - title: "Reuters"
      url: "http://example.org/x"
      accessed: 2026-11-22
  author: Archive editors
  date: 2026-11-22
"""
REGISTRY = (REPO / "entities.yml").read_text(encoding="utf-8")
RULES = (REPO / "rules" / "globalresearch.yml").read_text(encoding="utf-8")
TOPICS = "match: '^(?:Region|Theme|Themes|In-depth Report|Topics?|Tags?):\\s'"
ORIGINAL = "description: Original publisher and date of first publication"
STUB = """  - id: tripoli-port
    name: "Tripoli port"
    type: place
    aliases: []
    description: "The port of Tripoli."
    wikidata: null
    wikipedia: null
"""
IN_ENTITIES = (
    "a registry entry belongs inside the 'entities:' list, above 'ignore:', indented like the other entries "
    "('  - id: …'); words to leave unlinked go under 'ignore:' as '  - text: …'"
)
NOTE_SHAPE = "each note starts with '- id:' at the very start of a line, its fields indented by two spaces"
NOT_A_DATE = "is not a date; write it as YYYY-MM-DD (for example 2026-12-01)"
A_LIST = 'must be a list: write ["first", "second"], or one \'- \' line per item below '
ignore_line = REGISTRY.splitlines().index("ignore: []") + 1


def _note(old: str, new: str) -> str:
    assert old in NOTE
    return NOTE.replace(old, new, 1)


SLIPS = [
    # (name, file kind, text, expected message after "file:")
    ("colon-in-body", "notes", _note('body: "The regions are reversed."', "body: Note: the regions are reversed."),
     "4: the value of 'body' contains a colon followed by a space, which YAML reads as a new field; "
     'put the whole value in double quotes: body: "…"'),
    ("tab", "notes", _note("  kind: correction", "\tkind: correction"),
     "2:1: a tab character; indent with spaces, not tabs (YAML does not allow tabs)"),
    ("date-in-words", "notes", _note("accessed: 2026-11-22", "accessed: 1 Dec 2026"),
     f"8: note 'a-note': sources.0.accessed: '1 Dec 2026' {NOT_A_DATE}"),
    ("date-with-slashes", "notes", _note("accessed: 2026-11-22", "accessed: 2026/12/01"),
     f"8: note 'a-note': sources.0.accessed: '2026/12/01' {NOT_A_DATE}"),
    ("no-such-month", "notes", _note("accessed: 2026-11-22", "accessed: 2026-13-01"),
     "8: invalid date '2026-13-01': month must be in 1..12; write it as YYYY-MM-DD"),
    ("empty-date", "notes", _note("  date: 2026-11-22", "  date:"),
     "10: note 'a-note': date: empty; write the date as YYYY-MM-DD (for example 2026-12-01)"),
    ("quote-left-open", "notes", _note('body: "The regions are reversed."', 'body: "The regions are reversed.'),
     "4: the value of 'body' opens a double quotation mark (\") that is never closed; "
     'end the value with " on the same line'),
    ("quote-inside-quotes", "notes", _note('body: "The regions are reversed."', 'body: "He said "no" today"'),
     "4: the value of 'body' has a double quotation mark inside double quotes; "
     'write it as \\" or use curly quotes (“ ”) inside the value'),
    ("no-space-after-colon", "notes", _note("  kind: correction", "  kind:correction"),
     "2: put a space after the colon: 'kind: correction'"),
    ("dash-missing", "notes", NOTE + NOTE.replace("- id: a-note", "  id: b-note"),
     f"11: 'id' is written twice in one entry; keep one, or start a new entry with '- ' ({NOTE_SHAPE})"),
    ("field-indented-too-far", "notes", _note("  kind: correction", "   kind: correction"),
     "2: this line is indented differently from the line above it; give the fields of one entry the same number "
     f"of spaces ({NOTE_SHAPE})"),
    ("source-field-out-of-line", "notes", _note('      url: "http://example.org/x"', '     url: "http://example.org/x"'),
     f"7: this line is indented differently from the lines around it; line up the fields of one entry ({NOTE_SHAPE})"),
    ("body-starts-with-emphasis", "notes",
     _note('body: "The regions are reversed."', "body: *The regions* are reversed."),
     "4: YAML anchors and aliases (&name, *name, <<) are not allowed; write the value out "
     '(a value that starts with * or & must be in double quotes: "*emphasis* …")'),
    ("value-starts-with-at", "notes", _note("author: Archive editors", "author: @editor"),
     "9: a value cannot start with @ in YAML; put the whole value in double quotes: author: \"…\""),
    ("quote-starts-with-bracket", "notes", _note('quote: "who controls the western part"', "quote: [sic] who controls"),
     "3: a value starting with [ is read as a list; if it is text, put the whole value in double quotes: "
     'quote: "…"; if it is a list, close it with ]'),
    ("field-twice", "notes", _note("  author: Archive editors", "  author: Archive editors\n  kind: spelling"),
     "10: 'kind' is written twice in one entry; keep one, or start a new entry with '- '"),
    ("misspelt-field", "notes", _note("  author: Archive editors", "  author: Archive editors\n  autor: B"),
     "10: note 'a-note': autor: unknown field (a misspelling?); the fields are: id, kind, quote, prefix, suffix, "
     "body, sources, author, author_type, author_url, date"),
    ("kind-capitalised", "notes", _note("kind: correction", "kind: Correction"),
     "2: note 'a-note': kind: 'Correction' is not allowed here; use one of 'correction', 'spelling', "
     "'clarification' or 'context' (in lowercase, as written)"),
    ("source-as-one-address", "notes",
     _note('    - title: "Reuters"\n      url: "http://example.org/x"\n      accessed: 2026-11-22\n', "  sources: x\n")
     .replace("  sources:\n  sources: x", "  sources: http://example.org/x"),
     f"5: note 'a-note': sources: {A_LIST}'sources:'"),
    ("field-missing", "notes", _note("  author: Archive editors\n", ""),
     "1: note 'a-note': author: missing; add this field"),
    ("stub-pasted-after-ignore", "registry", REGISTRY.replace("ignore: []", "ignore: []\n" + STUB),
     f"{ignore_line + 1}: this list item ('- ') does not line up with any list above it; {IN_ENTITIES}"),
    ("stub-at-top-level", "registry", REGISTRY + "\n- id: x\n  name: X\n",
     f"{len(REGISTRY.splitlines()) + 2}: this list item ('- ') does not line up with any list above it; {IN_ENTITIES}"),
    ("aliases-without-brackets", "registry", REGISTRY.replace('aliases: ["Libyan"]', "aliases: Libyan, Libyans"),
     "{line}: entity 'libyans': aliases: " + A_LIST + "'aliases:'"),
    ("colon-in-description", "registry",
     REGISTRY.replace('description: "Citizens or nationals of Libya."', "description: Libyans: citizens of Libya"),
     "{line}: the value of 'description' contains a colon followed by a space, which YAML reads as a new field; "
     'put the whole value in double quotes: description: "…"'),
    ("backslash-in-double-quotes", "rules",
     RULES.replace(TOPICS, 'match: "^(?i:by)\\s+(?P<author>.+)$"'),
     "{line}:22: a backslash inside double quotes starts an escape (such as \\n); write the value in single quotes "
     "instead ('\\s+'), or double each backslash"),
    ("apostrophe-in-single-quotes", "rules",
     RULES.replace(ORIGINAL, "description: 'The byline's author'"),
     "{line}: the value of 'description' has an apostrophe inside single quotes; write it twice ('') or put the "
     "value in double quotes"),
]  # fmt: skip


def _line_of(text: str, words: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if words in line)


def _message(kind: str, text: str, tmp_path: Path) -> str:
    if kind == "notes":
        path = Path("articles/x.notes.yml")
        _, errors = parse_notes(text, path)
        assert len(errors) == 1, errors
        return errors[0].format_message().removeprefix(f"{path}:")
    path = tmp_path / ("entities.yml" if kind == "registry" else "probe.yml")
    path.write_text(text, encoding="utf-8")
    if kind == "registry":
        _, errors = load_registry(path)
        assert len(errors) == 1, errors
        return errors[0].format_message().removeprefix(f"{path}:")
    with pytest.raises(ArchiveError) as caught:
        load_rules(path)
    return caught.value.format_message().removeprefix(f"{path}:")


def test_the_table_covers_at_least_fifteen_slips() -> None:
    assert len(SLIPS) >= 15
    assert {kind for _, kind, _, _ in SLIPS} == {"notes", "registry", "rules"}


@pytest.mark.parametrize(("name", "kind", "text", "expected"), SLIPS, ids=[s[0] for s in SLIPS])
def test_each_slip_is_named_in_plain_words(name: str, kind: str, text: str, expected: str, tmp_path: Path) -> None:
    if "{line}" in expected:
        words = {
            "aliases-without-brackets": "aliases: Libyan, Libyans",
            "colon-in-description": "Libyans: citizens",
            "backslash-in-double-quotes": '"^(?i:by)',
            "apostrophe-in-single-quotes": "The byline's",
        }[name]
        expected = expected.replace("{line}", str(_line_of(text, words)))
    message = _message(kind, text, tmp_path)
    assert message == expected
    jargon = ("mapping values", "cannot start any token", "<block", "<scalar>", "Input should", "Field required")
    assert not any(word in message for word in jargon), message
