"""Finding and reading the article files: encoding, size, front matter, file names.

Every check here runs before any work starts, and every problem names the file (and line).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from generator.errors import ArchiveError, Problem, SourceError
from generator.inputs import yamlio
from generator.inputs.fields import plain_date, tag, words

ARTICLE_SUFFIXES = (".md", ".txt")
NOTES_SUFFIX = ".notes.yml"
ANCHORS_SUFFIX = ".anchors.yml"
"""The anchors lock file beside the notes: where each note was at the last successful build."""
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 200
"""Longest slug: the article's notes file (``<slug>.notes.yml``), its page folder and the files
written beside them must fit the file system's 255 bytes a name, with room to spare."""
MAX_ARTICLE_BYTES = 2_000_000
"""Largest article file accepted (2 MB, about 300,000 words)."""
RESERVED_SLUGS = {"index"}
"""Slugs that would overwrite a generated page (``articles/index.md`` is the articles index)."""
LISTING_NAMES = re.compile(r"^(?:[0-9]{1,4}|undated)$")
"""Folder names of the listing pages by year (``articles/2017/``, ``articles/undated/``) and of
their numbered pages: an article's slug must not be one of them."""
IGNORED_DIRS = {"originals"}
"""Sub-folders of ``articles/`` the build does not read (files kept as received)."""


def _http_url(value: str | None) -> str | None:
    if value is not None and not re.match(r"^https?://[^\s<>\"]+$", value, re.IGNORECASE):
        raise ValueError("must be an http:// or https:// address")
    return value


class FrontMatter(BaseModel):
    """What an editor may put in an article's front matter."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, min_length=1, max_length=300)
    date: dt.date | None = None
    author: str | None = Field(default=None, min_length=1, max_length=200)
    publisher: str | None = Field(default=None, min_length=1, max_length=200)
    url: str | None = None
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    original_publisher: str | None = Field(default=None, min_length=1, max_length=200)
    original_date: dt.date | None = None
    original_url: str | None = None
    archived: dt.date | None = None
    tags: list[str] = []
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")

    _urls = field_validator("url", "original_url")(_http_url)
    _dates = field_validator("date", "original_date", "archived", mode="before")(plain_date)
    _title = field_validator("title")(words("the article's title, or remove the line to take the text's first line"))
    _names = field_validator("author", "publisher", "original_publisher")(words("a name, or remove the line"))
    _tags = field_validator("tags")(lambda tags: [tag(item) for item in tags])


@dataclass(frozen=True)
class Source:
    """An article file as read from disk, before cleaning."""

    slug: str
    path: Path
    front: FrontMatter
    body: str
    """The text below the front matter, exactly as received."""
    body_line: int
    """1-based line of the file where :attr:`body` starts."""
    notes_path: Path | None
    """The article's notes file, if it has one."""


def _is_file(entry: os.DirEntry[str]) -> bool:
    """Whether *entry* is (or links to) a regular file; False for a link that leads nowhere readable
    (a loop, a folder without permission), as :meth:`pathlib.Path.is_file` says."""
    try:
        return entry.is_file()
    except OSError:
        return False


def find_sources(folder: Path) -> tuple[list[Path], list[ArchiveError]]:
    """The article files in *folder*, sorted, and an error for every file that does not belong."""
    if folder.is_symlink():
        return [], [SourceError("this is a symbolic link; keep the articles in the archive's own folder", folder)]
    if folder.exists() and not folder.is_dir():
        return [], [
            SourceError(
                "this is a file, but the archive keeps its articles in a folder of that name; "
                "rename the file and create the folder articles/",
                folder,
            )
        ]
    if not folder.is_dir():
        return [], [SourceError("the articles folder does not exist; create it and add an article", folder)]
    found, errors = [], []
    slugs: dict[str, Path] = {}
    with os.scandir(folder) as listing:  # one system call per entry at most (10,000s of files)
        entries = sorted(listing, key=lambda entry: entry.name)
    files = {entry.name for entry in entries if _is_file(entry)}
    for entry in entries:
        name = entry.name  # made a path only when needed: most entries are notes and anchors files
        if name.startswith("."):
            continue
        if entry.is_symlink():
            errors.append(
                SourceError("symbolic links are not read; copy the file into articles/ instead", folder / name)
            )
        elif entry.is_dir():
            if name == ORIGINALS_DIR:
                errors.extend(_check_originals(folder / name))
            elif name not in IGNORED_DIRS:
                errors.append(
                    SourceError(
                        f"unexpected folder; articles/ holds only article files and {', '.join(sorted(IGNORED_DIRS))}/",
                        folder / name,
                    )
                )
        elif name.endswith(NOTES_SUFFIX):
            stem = name.removesuffix(NOTES_SUFFIX)
            if not any(f"{stem}{suffix}" in files for suffix in ARTICLE_SUFFIXES):
                errors.append(
                    SourceError(
                        f"notes file for a missing article; expected articles/{stem}.md beside it", folder / name
                    )
                )
        elif name.endswith(ANCHORS_SUFFIX):
            stem = name.removesuffix(ANCHORS_SUFFIX)
            if not any(f"{stem}{suffix}" in files for suffix in ARTICLE_SUFFIXES):
                errors.append(
                    SourceError(
                        f"anchors file for a missing article; expected articles/{stem}.md beside it "
                        "(delete it if the article was removed)",
                        folder / name,
                    )
                )
            elif name not in files:
                errors.append(SourceError("not a regular file (a device, pipe or socket); remove it", folder / name))
        elif name not in files:
            errors.append(SourceError("not a regular file (a device, pipe or socket); remove it", folder / name))
        elif os.path.splitext(name)[1] in ARTICLE_SUFFIXES:
            path = folder / name
            twin = slugs.get(path.stem)
            if twin is not None:
                message = f"two article files have the slug {path.stem!r} (also {twin.name}); rename or remove one"
                errors.append(SourceError(message, path))
            else:
                found.append(path)
                slugs[path.stem] = path
        else:
            errors.append(
                SourceError(
                    "not an article file; articles are .md or .txt files "
                    "(notes are .notes.yml, the notes' recorded places .anchors.yml)",
                    folder / name,
                )
            )
    return found, errors


def source_warnings(folder: Path, found: list[Path]) -> list[Problem]:
    """What about the articles folder an editor should know although the build goes on: it holds
    no article, or a notes file sits where the build never reads it."""
    problems = []
    if folder.is_dir() and not found:
        problems.append(Problem("the archive has no articles yet; the site will be empty", folder))
    originals = folder / ORIGINALS_DIR
    if originals.is_dir() and not originals.is_symlink():
        for path in sorted(originals.glob(f"*{NOTES_SUFFIX}")):
            stem = path.name.removesuffix(NOTES_SUFFIX)
            problems.append(
                Problem(
                    f"notes beside a file as received are never read; move them to articles/{stem}{NOTES_SUFFIX}",
                    path,
                )
            )
    return problems


def _check_originals(folder: Path) -> list[ArchiveError]:
    """Every entry of ``articles/originals/`` must be a plain file (it is published as text)."""
    errors: list[ArchiveError] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name.endswith(NOTES_SUFFIX):
            continue
        if path.is_symlink() or not path.is_file():
            errors.append(SourceError("the original as received must be a plain file, not a link or folder", path))
    return errors


def read_source(path: Path) -> Source:
    """Read one article file; raise :class:`SourceError` naming file and line on any problem."""
    slug = path.stem
    if len(slug) > MAX_SLUG:
        raise SourceError(
            f"the file name is {len(slug):,} characters long before {path.suffix}; the longest allowed is "
            f"{MAX_SLUG} (its notes file and its page's folder get the same name); rename it shorter",
            path,
        )
    if not SLUG.match(slug):
        raise SourceError(
            f"file name {path.name!r} is not a valid slug; "
            "use lowercase letters, digits and hyphens, e.g. 2017-07-12-libya.md",
            path,
        )
    if slug in RESERVED_SLUGS:
        raise SourceError(f"the slug {slug!r} is reserved for a page of the site; rename the file", path)
    if LISTING_NAMES.match(slug):
        raise SourceError(
            f"the name {slug!r} is reserved for the pages listing the articles by year; rename the file", path
        )
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:  # checked before reading, so a huge file is never loaded
            raise SourceError(f"the file is {size:,} bytes, larger than the limit of {MAX_ARTICLE_BYTES:,}", path)
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror}", path) from None
    if not data.strip():
        raise SourceError("the file is empty; add the article text (or delete the file)", path)
    if len(data) > MAX_ARTICLE_BYTES:
        raise SourceError(f"the file is {len(data):,} bytes, larger than the limit of {MAX_ARTICLE_BYTES:,}", path)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise SourceError("the file is binary (it contains NUL bytes), not an article text", path, line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(f"invalid UTF-8 at byte {exc.start}; save the file as UTF-8", path, line) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    front_node, body, body_line = _split_front_matter(text, path)
    front = yamlio.validate(FrontMatter, front_node or {}, path, SourceError, first_line=2, what="front matter")
    if not body.strip():
        raise SourceError("the article has front matter but no text below it", path, body_line)
    notes = path.with_name(slug + NOTES_SUFFIX)
    return Source(slug, path, front, body, body_line, notes if notes.is_file() else None)


def _split_front_matter(text: str, path: Path) -> tuple[object, str, int]:
    """Split a leading ``---`` YAML block from the body; return (yaml node, body, body's first line)."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            node = yamlio.parse("\n".join(lines[1:index]), path, SourceError, first_line=2)
            if node is not None and not isinstance(node, dict):
                raise SourceError("front matter must be a mapping of keys to values (title: …)", path, 2)
            return node, "\n".join(lines[index + 1 :]), index + 2
    raise SourceError("front matter is not closed; add a line '---' after it", path, 1)


ORIGINALS_DIR = "originals"
"""Sub-folder of ``articles/`` holding each imported article's file as received."""
ORIGINAL_NAME = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<ext>[a-z0-9]{1,10})$")
"""``<slug>.<ext>``: how an original as received is named."""


def find_original(folder: Path, slug: str) -> Path | None:
    """The file as received of the article *slug* (``articles/originals/<slug>.<ext>``), if kept."""
    originals = folder / ORIGINALS_DIR
    if not originals.is_dir():
        return None
    for path in sorted(originals.glob(f"{slug}.*")):
        found = ORIGINAL_NAME.match(path.name)
        if found and found.group("slug") == slug:
            if path.is_symlink() or not path.is_file():
                raise SourceError("the original as received must be a plain file, not a link or folder", path)
            return path
    return None
