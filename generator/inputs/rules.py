"""The cleaning rules: which parts of a received article are publisher chrome.

Rules are data, kept in ``rules/cleaning.yml``, so an editor can teach the cleaner another
publisher's boilerplate without touching Python. This module validates that file.

Patterns are compiled with the ``regex`` module rather than ``re``: it reads the same syntax, and
it can stop a search after a time limit, so a pattern that backtracks catastrophically on some
paragraph stops the build with a message naming the rule, instead of hanging it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field

from generator.errors import RulesError, where
from generator.inputs import yamlio

METADATA_FIELDS = ("title", "author", "publisher", "date", "original_publisher", "original_date")
"""Named regex groups a header rule may use to fill in the article's metadata."""
MATCH_TIMEOUT = 1.0
"""Seconds one rule may spend searching one paragraph. A sound pattern takes microseconds."""


class _RuleSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    description: str = Field(min_length=1)
    match: str = Field(min_length=1)


class _RulesSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    header: list[_RuleSchema] = []
    blocks: list[_RuleSchema] = []
    inline: list[_RuleSchema] = []
    dead_link_targets: list[str] = ["#", ""]
    header_max_words: int = Field(default=25, ge=1)


@dataclass(frozen=True)
class Rule:
    """One pattern of chrome, matched against a block's plain text."""

    id: str
    description: str
    pattern: regex.Pattern[str]
    scope: Literal["header", "blocks", "inline"]
    """``header``: a line of the article's header, removed and read for metadata;
    ``blocks``: a whole paragraph removed wherever it is; ``inline``: the matched words removed
    from inside a paragraph."""
    line: int
    """Line of the rules file where the rule is defined."""
    path: Path
    """The rules file."""

    def search(self, text: str, article: Path, line: int) -> regex.Match[str] | None:
        """The first match in *text* (the paragraph at *line* of the file *article*), or None.

        A search that runs longer than :data:`MATCH_TIMEOUT` raises :class:`RulesError` at the rule."""
        try:
            return self.pattern.search(text, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            raise RulesError(
                f"rule {self.id!r} searched the paragraph at {where(article, line)} for more than "
                f"{MATCH_TIMEOUT:g} s and was stopped: its pattern backtracks without end on that text "
                "(nested repetition such as '(a|aa)+' or '(x+)+'); make the repeated parts unable to match "
                "the same words two ways",
                self.path,
                self.line,
            ) from None


@dataclass(frozen=True)
class Rules:
    """The whole rules file."""

    header: tuple[Rule, ...]
    blocks: tuple[Rule, ...]
    inline: tuple[Rule, ...]
    dead_link_targets: frozenset[str]
    header_max_words: int
    """The header is the run of blocks before the first one longer than this."""


def load_rules(path: Path) -> Rules:
    """Read and validate the rules file; a bad rule is reported with its file and line."""
    try:
        if path.stat().st_size > yamlio.MAX_YAML_BYTES:
            raise RulesError(f"the cleaning rules are larger than {yamlio.MAX_YAML_BYTES:,} bytes", path)
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"cannot read the cleaning rules: {exc.strerror}", path) from None
    except UnicodeDecodeError:
        raise RulesError("the cleaning rules are not UTF-8 text", path) from None
    node = yamlio.parse(text, path, RulesError)
    if node is None:
        node = {}
    schema = yamlio.validate(_RulesSchema, node, path, RulesError)
    groups: dict[str, tuple[Rule, ...]] = {}
    for scope in ("header", "blocks", "inline"):
        compiled = []
        for index, raw in enumerate(getattr(schema, scope)):
            line = yamlio.line_of(node, (scope, index)) or 1
            try:
                pattern = regex.compile(raw.match)
            except regex.error as exc:
                raise RulesError(f"rule {raw.id!r}: invalid regular expression: {exc}", path, line) from None
            unknown = set(pattern.groupindex) - set(METADATA_FIELDS)
            if unknown:
                raise RulesError(
                    f"rule {raw.id!r}: unknown group {sorted(unknown)[0]!r}; use one of {', '.join(METADATA_FIELDS)}",
                    path,
                    line,
                )
            compiled.append(Rule(raw.id, raw.description, pattern, scope, line, path))  # type: ignore[arg-type]
        groups[scope] = tuple(compiled)
    return Rules(
        header=groups["header"],
        blocks=groups["blocks"],
        inline=groups["inline"],
        dead_link_targets=frozenset(schema.dead_link_targets),
        header_max_words=schema.header_max_words,
    )
