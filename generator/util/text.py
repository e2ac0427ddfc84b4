"""Wording helpers: counts with their noun, and text shortened to a length."""

from __future__ import annotations


def plural(number: int, noun: str, many: str | None = None) -> str:
    """``1 article``, ``3 articles``, ``2,000 entities`` (*many*: the plural, if not *noun* + s)."""
    return f"{number:,} {noun if number == 1 else many or noun + 's'}"


def shorten(text: str, limit: int = 80, *, one_line: bool = False) -> str:
    """*text* cut to at most *limit* characters, ending in "…" when cut; with *one_line*, every
    run of white space (line breaks too) first becomes one space."""
    if one_line:
        text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
