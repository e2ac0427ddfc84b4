"""The slug of an article added with ``archive add``: made from its date and title, or given."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from generator.errors import AddError
from generator.inputs.articles import (
    ARTICLE_SUFFIXES,
    LISTING_NAMES,
    MAX_SLUG,
    NOTES_SUFFIX,
    RESERVED_SLUGS,
    SLUG,
    find_original,
)

SLUG_MAX = 60
"""Longest slug made from a date and a title (one given with ``--slug`` may be longer, up to
:data:`generator.inputs.articles.MAX_SLUG`)."""
_TRAILING_WORDS = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "its", "of", "on", "or", "the", "to", "with",
}  # fmt: skip
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "đ": "d",
                       "Đ": "d", "ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ð": "d", "ı": "i",
                       "'": "", "’": "", "ʼ": ""})  # fmt: skip


def make_slug(title: str, date: dt.date | None) -> str:
    """``2017-07-12-us-looks-to-escalate-involvement``: the date, then the title's first words,
    ASCII-folded, at most :data:`SLUG_MAX` characters, not ending on a small word."""
    folded = unicodedata.normalize("NFKD", title.translate(_FOLD)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower())
    prefix = date.isoformat() if date else ""
    room = SLUG_MAX - len(prefix) - (1 if prefix else 0)
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > room:
            if not kept:
                kept.append(word[:room].rstrip("-"))
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1] in _TRAILING_WORDS:
        kept.pop()
    return "-".join(part for part in (prefix, *kept) if part) or "article"


def _taken(folder: Path, slug: str) -> bool:
    names = [f"{slug}{suffix}" for suffix in (*ARTICLE_SUFFIXES, NOTES_SUFFIX)]
    return any((folder / name).exists() for name in names) or find_original(folder, slug) is not None


def unique_slug(folder: Path, base: str) -> str:
    """*base*, or *base*-2, -3 … : the first one no file of ``articles/`` uses."""
    slug, number = base, 1
    while _taken(folder, slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


def check_slug(slug: str) -> None:
    """Refuse a ``--slug`` the archive cannot use: not a slug, a name its pages use, too long."""
    if not SLUG.match(slug):
        raise AddError(f"--slug {slug!r}: use lowercase letters, digits and single hyphens, e.g. 2017-07-12-libya")
    if slug in RESERVED_SLUGS or LISTING_NAMES.match(slug):
        raise AddError(
            f"--slug {slug!r}: this name is used by a page of the site (the index, or the list of a year's "
            "articles); choose another, e.g. 2017-07-12-libya"
        )
    if len(slug) > MAX_SLUG:
        raise AddError(
            f"--slug is {len(slug)} characters long; the longest the archive can use is {MAX_SLUG} (its notes "
            "file and its pages are named after it); choose a shorter one"
        )
