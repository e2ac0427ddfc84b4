"""The cleaning rules: which parts of a received article are publisher chrome.

Rules are data, kept in the ``rules/`` folder, one YAML file per set: a general newsroom set
(``rules/newsroom.yml``: navigation, share and newsletter prompts, wire credits, legal footers …)
beside publisher-specific ones (``rules/globalresearch.yml``), so an editor can teach the
cleaner another publisher's boilerplate without touching Python. Every file is read, in the
order of the file names. This module validates them.

Each rule carries ``examples``: lines of chrome it must remove, and may carry ``keep``:
sentences of the article's kind it must leave alone. Both are checked when the rules are read,
so a rule that does not do what its examples say stops the run at its line.

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

from generator.errors import Problem, RulesError, where
from generator.inputs import yamlio

METADATA_FIELDS = ("title", "author", "publisher", "date", "original_publisher", "original_date")
"""Named regex groups a header rule may use to fill in the article's metadata."""
MATCH_TIMEOUT = 1.0
"""Seconds one rule may spend searching one paragraph. A sound pattern takes microseconds."""
BUILT_IN_IDS = (
    "title",
    "dead-link",
    "above-headline",
    "byline",
    "dateline",
    "byline-role",
    "byline-outlet",
    "source-line",
)
"""Removals the cleaner makes itself (``generator.stages.clean.BUILT_IN``); no rule may take these ids."""
RULES_SUFFIXES = (".yml", ".yaml")
DEFAULT_HEADER_MAX_WORDS = 25


class _RuleSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    description: str = Field(min_length=1)
    match: str = Field(min_length=1)
    examples: list[str] = []
    keep: list[str] = []
    with_items: bool = False


class _RulesSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    header: list[_RuleSchema] = []
    blocks: list[_RuleSchema] = []
    inline: list[_RuleSchema] = []
    dead_link_targets: list[str] = []
    header_max_words: int | None = Field(default=None, ge=1)


@dataclass(frozen=True)
class Rule:
    """One pattern of chrome, matched against a block's (or a line's) plain text."""

    id: str
    description: str
    pattern: regex.Pattern[str]
    scope: Literal["header", "blocks", "inline"]
    """``header``: a line of the article's header, removed and read for metadata;
    ``blocks``: a whole paragraph (or a line of a block of short lines) removed wherever it is;
    ``inline``: the matched words removed from inside a paragraph."""
    line: int
    """Line of the rules file where the rule is defined."""
    path: Path
    """The rules file."""
    examples: tuple[str, ...] = ()
    """Lines of chrome the rule removes (checked when the rules are read)."""
    keep: tuple[str, ...] = ()
    """Sentences of an article that the rule must not remove (checked too)."""
    with_items: bool = False
    """A list's heading ("Related stories"): the lines after it in the same paragraph are its
    items, removed with it."""

    @property
    def place(self) -> str:
        """``rules/newsroom.yml:12``: where the rule is defined, for messages."""
        return where(self.path, self.line)

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


_NOT_COMBINABLE = regex.compile(r"\(\?[a-zA-Z-]+\)|\\[1-9]|\\g<|\(\?P[<=>]|\(\?<(?![=!])|\(\?[&R0-9+]")
"""Global flags, back-references, named groups: a pattern with one of these is not put in the
combined pre-check, where it would change the meaning of the others."""


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of *pattern* (split at ``|`` outside groups and classes)."""
    branches, depth, start, index, in_class = [], 0, 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1 : index + 2] == "]":
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:index])
            start = index + 1
        index += 1
    return [*branches, pattern[start:]]


@dataclass(frozen=True)
class Prefilter:
    """One pattern, the alternation of the rules anchored at the start of the text (``^…``),
    matched at the start only: a paragraph it does not match is matched by none of them, so most
    paragraphs are tried once instead of once per rule."""

    pattern: regex.Pattern[str] | None
    others: tuple[Rule, ...]
    """The rules not in the combined pattern, tried one by one."""

    @classmethod
    def of(cls, rules: tuple[Rule, ...]) -> Prefilter:
        combinable = [
            r
            for r in rules
            if not _NOT_COMBINABLE.search(r.pattern.pattern)
            and all(branch.startswith("^") for branch in _branches(r.pattern.pattern))
        ]
        try:
            pattern = regex.compile("|".join(f"(?:{r.pattern.pattern})" for r in combinable)) if combinable else None
        except regex.error:
            return cls(None, rules)
        return cls(pattern, tuple(r for r in rules if r not in combinable))

    def candidates(self, rules: tuple[Rule, ...], text: str) -> tuple[Rule, ...]:
        """The rules that may match *text*, in their order."""
        if self.pattern is None:
            return rules
        try:
            if self.pattern.match(text, timeout=MATCH_TIMEOUT):
                return rules
        except TimeoutError:
            return rules  # searched one by one, the rule that backtracks is named
        return self.others


@dataclass(frozen=True)
class Rules:
    """Every rules file of the archive, in the order they apply."""

    header: tuple[Rule, ...]
    blocks: tuple[Rule, ...]
    inline: tuple[Rule, ...]
    dead_link_targets: frozenset[str]
    header_max_words: int
    """The header is the run of blocks before the first one longer than this."""
    files: tuple[Path, ...] = ()
    """The rules files read."""
    problems: tuple[Problem, ...] = ()
    """Warnings about the rules (a file with no rules, a file that is not read)."""
    prefilter: Prefilter | None = None
    """The pre-check of the blocks rules."""

    @property
    def all(self) -> tuple[Rule, ...]:
        return (*self.header, *self.blocks, *self.inline)

    def first(
        self, rules: tuple[Rule, ...], text: str, article: Path, line: int
    ) -> tuple[Rule, regex.Match[str]] | None:
        """The first of *rules* matching *text* (the paragraph at *line* of *article*), and its match."""
        if rules is self.blocks and self.prefilter is not None:
            rules = self.prefilter.candidates(rules, text)
        for rule in rules:
            found = rule.search(text, article, line)
            if found:
                return rule, found
        return None


def load_rules(path: Path) -> Rules:
    """Read and validate the rules folder *path* (or a single rules file); a bad rule is reported
    with its file and line."""
    problems: list[Problem] = []
    if path.is_dir():
        files = []
        for entry in sorted(path.iterdir()):
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                raise RulesError("symbolic links are not read; copy the rules file into rules/ instead", entry)
            if entry.suffix in RULES_SUFFIXES and entry.is_file():
                files.append(entry)
            else:
                problems.append(Problem("not a rules file (rules files are .yml files); it is not read", entry))
        if not files:
            problems.append(Problem("the folder holds no rules file: nothing is removed from the articles", path))
    elif path.exists() or path.suffix in RULES_SUFFIXES:
        files = [path]
    else:
        raise RulesError("the cleaning rules folder does not exist; create rules/ with a rules file in it", path)
    groups: dict[str, list[Rule]] = {"header": [], "blocks": [], "inline": []}
    targets: set[str] = set()
    header_max: tuple[int, Path] | None = None
    for file in files:
        schema, node = _read(file)
        if not (schema.header or schema.blocks or schema.inline):
            problems.append(Problem("this rules file has no rules: nothing is removed by it", file))
        targets.update(schema.dead_link_targets)
        if schema.header_max_words is not None:
            if header_max and header_max[0] != schema.header_max_words:
                raise RulesError(
                    f"header_max_words is {schema.header_max_words} here but {header_max[0]} in {header_max[1]}; "
                    "give it in one rules file only",
                    file,
                    yamlio.line_of(node, ("header_max_words",)),
                )
            header_max = (schema.header_max_words, file)
        for scope in groups:
            for index, raw in enumerate(getattr(schema, scope)):
                line = yamlio.line_of(node, (scope, index)) or 1
                rule = _compile(raw, scope, file, line)
                twin = next((r for r in groups[scope] if r.id == rule.id), None)
                if twin is not None:
                    raise RulesError(
                        f"rule id {rule.id!r} is also used at {twin.place}; give each rule its own id", file, line
                    )
                groups[scope].append(rule)
    blocks = tuple(groups["blocks"])
    return Rules(
        header=tuple(groups["header"]),
        blocks=blocks,
        inline=tuple(groups["inline"]),
        dead_link_targets=frozenset(targets or {"#", ""}),
        header_max_words=header_max[0] if header_max else DEFAULT_HEADER_MAX_WORDS,
        files=tuple(files),
        problems=tuple(problems),
        prefilter=Prefilter.of(blocks),
    )


def _read(path: Path) -> tuple[_RulesSchema, object]:
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
    return yamlio.validate(_RulesSchema, node, path, RulesError), node


def _compile(raw: _RuleSchema, scope: str, path: Path, line: int) -> Rule:
    """The rule, checked: its pattern compiles, names only metadata groups, cannot match an
    empty text, matches each of its examples and none of its ``keep`` sentences."""
    if raw.id in BUILT_IN_IDS:
        raise RulesError(f"rule id {raw.id!r} is the cleaner's own; choose another id", path, line)
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
    if pattern.groupindex and scope != "header":
        raise RulesError(
            f"rule {raw.id!r}: only header rules read metadata; remove the named groups or move the rule to header:",
            path,
            line,
        )
    if raw.with_items and scope != "blocks":
        raise RulesError(f"rule {raw.id!r}: with_items is for blocks rules (a list's heading)", path, line)
    rule = Rule(
        raw.id, raw.description, pattern, scope, line, path,  # type: ignore[arg-type]
        tuple(raw.examples), tuple(raw.keep), raw.with_items,
    )  # fmt: skip
    if rule.search("", path, line) is not None:
        raise RulesError(
            f"rule {raw.id!r} matches an empty text, so it would match everywhere (or remove nothing); "
            "make its pattern require at least one character of chrome",
            path,
            line,
        )
    for example in rule.examples:
        if rule.search(example, path, line) is None:
            raise RulesError(f"rule {raw.id!r} does not match its own example {example!r}; fix the pattern", path, line)
    for sentence in rule.keep:
        if rule.search(sentence, path, line) is not None:
            raise RulesError(
                f"rule {raw.id!r} matches {sentence!r}, which it must keep; make the pattern narrower", path, line
            )
    return rule
