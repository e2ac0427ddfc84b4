"""YAML problems in an editor's words: what went wrong on which line, and what to do.

The parser's own messages ("mapping values are not allowed here", "found character '\\t' that
cannot start any token", "expected <block end>, but found '<block sequence start>'") name its
grammar, not the slip. :func:`syntax` looks at the line the parser stopped on (and the lines
before it, where the slip often is) and names the usual slips: a colon in an unquoted value, a
tab, a quotation mark left open or used inside quotes, a value starting with a character YAML
reserves, a missing space after a colon, a list item that lines up with no list. :func:`field`
does the same for the schema's messages (a date not written YYYY-MM-DD, an unknown field, a
value that should be a list).

Each file kind adds where its entries belong (:data:`ITEM_HINTS`), since "a list item here lines
up with no list" means something different in the registry than in a notes file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ruamel.yaml.error import MarkedYAMLError

from generator.errors import ArchiveError, NoteError, RegistryError, RulesError

ITEM_HINTS: tuple[tuple[type[ArchiveError], str], ...] = (
    (
        RegistryError,
        "a registry entry belongs inside the 'entities:' list, above 'ignore:', indented like the other "
        "entries ('  - id: …'); words to leave unlinked go under 'ignore:' as '  - text: …'",
    ),
    (NoteError, "each note starts with '- id:' at the very start of a line, its fields indented by two spaces"),
    (RulesError, "each rule belongs in the 'header:', 'blocks:' or 'inline:' list, indented like the other rules"),
)
"""Where an entry goes, by file kind (the error class the file's reader raises)."""

QUOTE_IT = 'put the whole value in double quotes: {key}"…"'

_KEY = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s#'\"\[\]{}:,][^:#]*?):(?:\s+(?P<value>.*))?$")
_TIGHT_KEY = re.compile(r"^\s*(?:-\s+)?(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s/].*)$")
"""``key:value`` without the space YAML needs after the colon (``url: http://…`` has one)."""


def _hint(error: type[ArchiveError]) -> str:
    return next((hint for kind, hint in ITEM_HINTS if issubclass(error, kind)), "")


def _key_and_value(line: str) -> tuple[str, str]:
    """The key written on *line* (``"body: "``, or ``""``) and the text of its value."""
    found = _KEY.match(line)
    if not found:
        return "", line.strip()
    return found.group("key").strip() + ": ", (found.group("value") or "").strip()


def _open_quote(lines: Sequence[str], upto: int) -> int | None:
    """The index of the last line up to *upto* whose value opens a double quote it never closes."""
    for index in range(upto, -1, -1):
        _, value = _key_and_value(lines[index])
        value = value.lstrip("- ").strip() if value.startswith("- ") else value
        if value.startswith('"'):
            rest = re.sub(r"\\.", "", value[1:])
            if '"' not in rest:
                return index
    return None


def syntax(exc: MarkedYAMLError, text: str, error: type[ArchiveError]) -> tuple[str, int | None, int | None]:
    """*exc* in plain words, with the 0-based line and column the editor should look at."""
    mark = exc.problem_mark or exc.context_mark
    lines = text.split("\n")
    line = mark.line if mark else None
    column = mark.column if mark else None
    problem = exc.problem or exc.context or ""
    here = lines[line] if line is not None and line < len(lines) else ""
    key, value = _key_and_value(here)
    hint = _hint(error)

    if "'\\t'" in problem or (here[: (column or 0) + 1].count("\t") and "cannot start any token" in problem):
        tab = here.find("\t")
        message = "a tab character; indent with spaces, not tabs (YAML does not allow tabs)"
        return message, line, tab if tab >= 0 else column
    if "unknown escape character" in problem:
        return (
            "a backslash inside double quotes starts an escape (such as \\n); write the value in single quotes "
            "instead ('\\s+'), or double each backslash",
            line,
            column,
        )
    if line is not None:
        opened = _open_quote(lines, min(line, len(lines) - 1))
        if opened is not None and (opened < line or "end of stream" in problem or "quoted scalar" in str(exc)):
            name, _ = _key_and_value(lines[opened])
            return (
                f"the value of '{name.rstrip(': ')}' opens a double quotation mark (\") that is never closed; "
                'end the value with " on the same line',
                opened,
                None,
            )
        for index in range(max(0, line - 1), min(line, len(lines) - 1) + 1):
            tight = _TIGHT_KEY.match(lines[index])
            if tight and "could not find expected ':'" in problem:
                name = tight.group("key")
                return f"put a space after the colon: '{name}: {tight.group('value')}'", index, None
    if "mapping values are not allowed" in problem:
        if ": " in value or value.endswith(":"):
            return (
                f"the value of '{key.rstrip(': ')}' contains a colon followed by a space, which YAML reads as a "
                "new field; " + QUOTE_IT.format(key=key),
                line,
                None,
            )
        return (
            "this line is indented differently from the line above it; give the fields of one entry the same "
            "number of spaces" + (f" ({hint})" if hint else ""),
            line,
            None,
        )
    if "cannot start any token" in problem:
        found = re.search(r"found character '(.+?)'", problem)
        char = found.group(1) if found else "this character"
        return f"a value cannot start with {char} in YAML; " + QUOTE_IT.format(key=key), line, None
    if exc.context and "flow" in exc.context and exc.context_mark is not None and exc.context_mark.line < len(lines):
        line = exc.context_mark.line  # where the bracket was opened, not where the parser gave up
        key, value = _key_and_value(lines[line])
        if value.startswith(("[", "{")):
            closing = "]" if value[0] == "[" else "}"
            return (
                f"the value of '{key.rstrip(': ')}' starts with {value[0]}, which YAML reads as a list that is not "
                f"closed; if it is text, " + QUOTE_IT.format(key=key) + f"; if it is a list, close it with {closing}",
                line,
                None,
            )
    if "but found '<scalar>'" in problem or "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        if value.startswith('"'):
            return (
                f"the value of '{key.rstrip(': ')}' has a double quotation mark inside double quotes; write it as "
                '\\" or use curly quotes (“ ”) inside the value',
                line,
                None,
            )
        if value.startswith("'"):
            return (
                f"the value of '{key.rstrip(': ')}' has an apostrophe inside single quotes; write it twice ('') "
                "or put the value in double quotes",
                line,
                None,
            )
        if value.startswith(("[", "{")):
            return (
                f"a value starting with {value[0]} is read as a list; if it is text, " + QUOTE_IT.format(key=key)
                + "; if it is a list, close it with " + ("]" if value[0] == "[" else "}"),
                line,
                None,
            )  # fmt: skip
        return "YAML cannot read this line; " + QUOTE_IT.format(key=key or "the value: "), line, None
    if "<block sequence start>" in problem or "but found '-'" in problem:
        return (
            "this list item ('- ') does not line up with any list above it" + (f"; {hint}" if hint else ""),
            line,
            None,
        )
    if "<block mapping start>" in problem or "could not find expected ':'" in problem:
        return (
            "this line is indented differently from the lines around it; line up the fields of one entry"
            + (f" ({hint})" if hint else ""),
            line,
            None,
        )
    if "duplicate key" in str(exc):
        found = re.search(r'duplicate key "(.*?)"', str(exc))
        name = found.group(1) if found else key.rstrip(": ")
        if not here[:1].isspace() and not here.startswith("- "):
            return f"'{name}' is written twice in the file; keep one (put all its items under the first)", line, None
        return (
            f"'{name}' is written twice in one entry; keep one"
            + (", or start a new entry with '- '" if hint else "")
            + (f" ({hint})" if name == "id" and hint else ""),
            line,
            None,
        )
    return f"YAML cannot read this ({problem or exc}); check the quotes and indentation of this line", line, column


# ---------------------------------------------------------------------------------------------
# Schema problems


def location(loc: Sequence[str | int]) -> str:
    """``("sources", 0, "accessed")`` → ``sources.0.accessed`` (the path the messages name)."""
    return ".".join(str(part) for part in loc)


def field(problem: Mapping[str, Any], fields: Sequence[str] = ()) -> str:
    """A pydantic error in an editor's words; *fields*: the names the entry may have."""
    kind = problem["type"]
    loc = problem["loc"]
    name = str(loc[-1]) if loc else "value"
    value = problem.get("input")
    if kind.startswith("date") or kind == "datetime_type":
        if value in (None, ""):
            return "empty; write the date as YYYY-MM-DD (for example 2026-12-01)"
        return f"{value!r} is not a date; write it as YYYY-MM-DD (for example 2026-12-01)"
    if kind == "extra_forbidden":
        known = f"; the fields are: {', '.join(fields)}" if fields else ""
        return f"unknown field (a misspelling?){known}"
    if kind == "missing":
        return "missing; add this field"
    if kind == "literal_error":
        expected = problem.get("ctx", {}).get("expected", "")
        return f"{value!r} is not allowed here; use one of {expected} (in lowercase, as written)"
    if kind == "list_type":
        return f"must be a list: write [\"first\", \"second\"], or one '- ' line per item below '{name}:'"
    if kind == "string_too_short" or (kind == "string_type" and value is None):
        return "empty; write its value after the colon"
    if kind == "string_type":
        return f"{value!r} must be text; put it in double quotes"
    if kind == "string_pattern_mismatch" and name == "id":
        return f"{value!r} is not a valid id; use lowercase letters, digits and hyphens (like 'haftar-spelling')"
    if kind in ("model_type", "dict_type"):
        return f"must be an entry of fields ('name: value' lines), not {type(value).__name__}"
    return problem["msg"]
