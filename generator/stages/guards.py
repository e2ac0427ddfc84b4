"""Guards on cleaning that do not depend on the rules being right.

The promise is that every word of the article is kept. A rule can break it: an inline pattern
that matches inside words, a block pattern broad enough to take article paragraphs. These checks
look at what the rules removed, whatever the rules say, and warn (a :class:`Problem` naming the
article's line and the rule's file and line): a removal that cuts into a word or out of the
middle of a sentence, one rule taking more than :data:`MAX_RULE_SHARE` of an article's words,
text that reads as a sentence taken as chrome above the headline.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import regex

from generator.errors import Problem
from generator.inputs.articles import Source
from generator.inputs.rules import Rule, Rules
from generator.model import Block, Removal
from generator.util.text import plural, shorten

MAX_RULE_SHARE = 0.25
"""One rule removing more than this share of an article's words (below its header) is warned about."""
MIN_WORDS = 40
"""Articles shorter than this (kept and removed words) are too short to judge a share on."""


def inline_problem(rule: Rule, block: Block, found: regex.Match[str], source: Source) -> Problem | None:
    """A warning if the inline match *found* cuts into a word or out of the middle of a sentence."""
    text, start, end = block.text, found.start(), found.end()
    removed = shorten(found.group(0).strip(), 60)
    inside = (start > 0 and text[start - 1].isalnum() and text[start].isalnum()) or (
        end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    )
    if inside:
        left = regex.search(r"\w*$", text[:start]).group(0)  # type: ignore[union-attr]
        right = regex.match(r"\w*", text[end:]).group(0)  # type: ignore[union-attr]
        word = left + text[start:end] + right
        return Problem(
            f"rule {rule.id!r} ({rule.place}) removed {removed!r} from inside the word {shorten(word, 40)!r}; "
            "a cleaning rule must remove whole words of chrome: anchor its pattern with \\b",
            source.path,
            block.line,
        )
    if text[:start].strip() and text[end:].strip():
        return Problem(
            f"rule {rule.id!r} ({rule.place}) removed {removed!r} from the middle of a sentence; inline rules "
            "remove chrome at the start or the end of a paragraph: anchor the pattern with ^ or $",
            source.path,
            block.line,
        )
    return None


def check_shares(source: Source, removals: list[Removal], blocks: list[Block], rules: Rules) -> list[Problem]:
    """Warnings for every block or inline rule that removed more than :data:`MAX_RULE_SHARE` of
    the article's words, and for sentences taken as chrome above the headline."""
    by_id = {rule.id: rule for rule in (*rules.blocks, *rules.inline)}
    words: Counter[str] = Counter()
    first: dict[str, int] = {}
    for removal in removals:
        if removal.rule in by_id and not removal.kept_words:
            words[removal.rule] += len(removal.text.split())
            first.setdefault(removal.rule, removal.line)
    total = sum(len(block.text.split()) for block in blocks) + sum(words.values())
    problems = []
    for rule_id, count in words.items():
        if total >= MIN_WORDS and count > MAX_RULE_SHARE * total:
            rule = by_id[rule_id]
            problems.append(
                Problem(
                    f"rule {rule_id!r} ({rule.place}) removed {count} of {total} words of this article "
                    f"({count / total:.0%}); check that it matches only publisher chrome",
                    source.path,
                    first[rule_id],
                )
            )
    title = next((r.line for r in removals if r.rule == "title"), None)
    for removal in removals:
        if removal.rule == "above-headline" and _sentence(removal.text):
            problems.append(
                Problem(
                    f"{shorten(removal.text, 60)!r} was taken for chrome above the headline (line {title}) and left "
                    "out; if it is the article's text, give the article's title in its front matter",
                    source.path,
                    removal.line,
                )
            )
    return problems


def _sentence(text: str) -> bool:
    return len(text.split()) >= 8 and text.rstrip().endswith((".", "!", "?", '"', "”"))


def nothing_left(removals: list[Removal]) -> str:
    """The error for an article whose every paragraph was removed, naming who removed them."""
    by: defaultdict[str, int] = defaultdict(int)
    for removal in removals:
        if not removal.kept_words:
            by[removal.rule] += 1
    top = sorted(by.items(), key=lambda item: (-item[1], item[0]))[:3]
    named = ", ".join(f"{rule!r} {plural(count, 'passage')}" for rule, count in top)
    return (
        "nothing is left of the article after cleaning"
        + (f" (removed by {named})" if named else "")
        + "; check those rules or the text"
    )
