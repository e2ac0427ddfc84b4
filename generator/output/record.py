"""The record of the last successful run: what each input file held, what each article gave the
other pages, and what each page was made from (``.archive-cache/record.sqlite``).

- **files**: every input file (under ``articles/``, the rules, the registry) with its size,
  modification time and the hash of its bytes. A file whose size and time are as recorded is
  not read again; one touched but unchanged still matches its hash.
- **articles**: per article, the digest of what it was made from (its own files, the rules, the
  registry's names, the model, the code: :func:`generator.output.runstate.staged_digest`), its
  summary, the digests of its notes and passages (kept in **notes** and **passages**, read only
  for the pages that show them), its warnings and its entity-cache key.
- **pages**: per generated file, the fingerprint of what made it (:mod:`generator.render.plan`)
  and the size and time of the file as written. A page whose fingerprint and file are as
  recorded is neither rendered nor read.
- **built**: the docs folder as the last engine build saw it, for :mod:`generator.engines.incremental`.

The record belongs to one context (the code, the model, the sanitiser, the settings:
:func:`generator.output.runstate.context_digest`); under another, it is read as empty. It is
written in one transaction at the end of a successful run: a failed or killed run leaves the
record of the last good one, and the next run does the work again. Rows are plain JSON
(:mod:`generator.output.codec`); a record that cannot be read is set aside and the run starts
cold, saying so.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import Problem
from generator.model import sort_articles
from generator.output import codec
from generator.stages.entity_cache import cache_dir

if TYPE_CHECKING:
    from generator.stages.summary import Summary

RECORD_FILE = "record.sqlite"
FORMAT = "2"
"""The rows' shape: a record of another is read as empty (2: summaries as JSON Lines, a line a mention)."""
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT);
CREATE TABLE IF NOT EXISTS articles (
    slug TEXT PRIMARY KEY, staged TEXT, summary TEXT, notes TEXT, passages TEXT, warnings TEXT, cache_key TEXT
);
CREATE TABLE IF NOT EXISTS notes (slug TEXT PRIMARY KEY, data TEXT);
CREATE TABLE IF NOT EXISTS passages (slug TEXT, entity TEXT, data TEXT, PRIMARY KEY (slug, entity));
CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, key TEXT, size INTEGER, mtime_ns INTEGER);
CREATE TABLE IF NOT EXISTS built (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER);
CREATE TABLE IF NOT EXISTS groups (name TEXT PRIMARY KEY, key TEXT, paths TEXT);
"""

Stat = tuple[int, int]
"""(size, modification time in ns)."""


@dataclass(frozen=True)
class ArticleRow:
    """What the record holds of one article (texts as stored, see :mod:`generator.output.codec`)."""

    slug: str
    staged: str
    """Digest of what the article was made from."""
    summary: str
    notes: str
    """Digest of its notes."""
    passages: dict[str, str]
    """Entity id → digest of its passages naming it."""
    warnings: str
    cache_key: str
    passages_digest: str
    """One digest of all of :attr:`passages` (of their text as stored, :func:`passages_text`)."""


def passages_text(passages: dict[str, str]) -> str:
    """How an article's passage digests are stored: its :attr:`ArticleRow.passages_digest` is
    the digest of this text."""
    return codec.dumps(passages)


def passages_digest(passages: dict[str, str]) -> str:
    return codec.digest(passages_text(passages))


class Record:
    """The record, opened for one run. Reads see this run's writes; :meth:`commit` keeps them."""

    def __init__(self, folder: Path, context: str, read: bool = True) -> None:
        self.path = folder / RECORD_FILE
        self.context = context
        self.notice: str | None = None
        """Said to the user when the record could not be used."""
        self.not_kept: Problem | None = None
        """Set when the run's record could not be written (:meth:`close`)."""
        folder.mkdir(parents=True, exist_ok=True)
        self.db = self._connect()
        stored = self.meta("context") if read else None
        self.empty = stored != context or self.meta("format") != FORMAT
        """True when nothing recorded can be used (another context, or told not to read)."""
        self.db.execute("BEGIN IMMEDIATE")
        if self.empty:
            for table in ("files", "articles", "notes", "passages", "pages", "groups", "built", "meta"):
                self.db.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('context', ?), ('format', ?)", (context, FORMAT))

    @classmethod
    def open(cls, root: Path, context: str, read: bool = True) -> Record:
        return cls(cache_dir(root), context, read)

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, timeout=120, isolation_level=None)
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
            db.execute("SELECT count(*) FROM meta").fetchone()
            return db
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(self.path.name + ".unreadable")
            self.path.replace(aside) if self.path.exists() else None
            self.notice = (
                f"The record of the last run ({self.path.name}) could not be read ({exc}); it was moved to "
                f"{aside.name} and every page is computed again."
            )
            db = sqlite3.connect(self.path, timeout=120, isolation_level=None)
            db.executescript(SCHEMA)
            return db

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- input files ----------------------------------------------------------------------------

    def files(self) -> dict[str, tuple[int, int, str]]:
        """Every recorded input file → (size, time, sha256)."""
        return {path: (size, mtime, sha) for path, size, mtime, sha in self.db.execute("SELECT * FROM files")}

    def set_files(self, rows: Iterable[tuple[str, int, int, str]], gone: Iterable[str]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", rows)
        self.db.executemany("DELETE FROM files WHERE path = ?", ((path,) for path in gone))

    # -- articles -------------------------------------------------------------------------------

    def articles(self) -> dict[str, ArticleRow]:
        found = {}
        for slug, staged, summary, notes, passages, warnings, key in self.db.execute("SELECT * FROM articles"):
            try:
                found[slug] = ArticleRow(
                    slug, staged, summary, notes, dict(json.loads(passages)), warnings, key, codec.digest(passages)
                )
            except (ValueError, TypeError):
                continue  # an unreadable row: the article is staged again
        return found

    def put_article(
        self, row: ArticleRow, notes: str, passages: dict[str, str], previous: ArticleRow | None = None
    ) -> None:
        """Record an article, its notes (text) and passages (entity → text)."""
        self.db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
            (row.slug, row.staged, row.summary, row.notes, passages_text(row.passages), row.warnings,
             row.cache_key),
        )  # fmt: skip
        if previous is None or previous.notes != row.notes:
            self.db.execute("INSERT OR REPLACE INTO notes VALUES (?, ?)", (row.slug, notes))
        if previous is None or previous.passages != row.passages:
            self.db.execute("DELETE FROM passages WHERE slug = ?", (row.slug,))
            self.db.executemany(
                "INSERT INTO passages VALUES (?, ?, ?)", ((row.slug, e, text) for e, text in sorted(passages.items()))
            )

    def restage(self, slug: str, staged: str) -> None:
        """Record that the article *slug* is made from *staged* now (its anchors lock file, which
        the run wrote, is part of it)."""
        self.db.execute("UPDATE articles SET staged = ? WHERE slug = ?", (staged, slug))

    def drop_articles(self, slugs: Iterable[str]) -> None:
        for slug in slugs:
            for table in ("articles", "notes", "passages"):
                self.db.execute(f"DELETE FROM {table} WHERE slug = ?", (slug,))  # noqa: S608 (fixed names)

    def notes(self, slug: str) -> str | None:
        row = self.db.execute("SELECT data FROM notes WHERE slug = ?", (slug,)).fetchone()
        return row[0] if row else None

    def passages(self, slug: str, entity: str) -> str | None:
        row = self.db.execute("SELECT data FROM passages WHERE slug = ? AND entity = ?", (slug, entity)).fetchone()
        return row[0] if row else None

    # -- pages ----------------------------------------------------------------------------------

    def pages(self) -> dict[str, tuple[str, int, int]]:
        """Every generated file → (fingerprint, size, time)."""
        return {path: (key, size, mtime) for path, key, size, mtime in self.db.execute("SELECT * FROM pages")}

    def set_pages(self, rows: Iterable[tuple[str, str, int, int]], gone: Iterable[str]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)", rows)
        self.db.executemany("DELETE FROM pages WHERE path = ?", ((path,) for path in gone))

    def groups(self) -> dict[str, tuple[str, list[str]]]:
        """Every group of pages (:class:`generator.render.plan.Group`) → (its key, its pages)."""
        return {name: (key, paths.split("\n")) for name, key, paths in self.db.execute("SELECT * FROM groups")}

    def set_groups(self, rows: Iterable[tuple[str, str, list[str]]], gone: Iterable[str]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO groups VALUES (?, ?, ?)", ((n, k, "\n".join(p)) for n, k, p in rows)
        )
        self.db.executemany("DELETE FROM groups WHERE name = ?", ((name,) for name in gone))

    # -- the last engine build ------------------------------------------------------------------

    def built(self) -> dict[str, Stat]:
        return {path: (size, mtime) for path, size, mtime in self.db.execute("SELECT * FROM built")}

    def set_built(self, stats: dict[str, Stat], previous: dict[str, Stat]) -> None:
        changed = [(p, s[0], s[1]) for p, s in stats.items() if previous.get(p) != s]
        self.db.executemany("INSERT OR REPLACE INTO built VALUES (?, ?, ?)", changed)
        self.db.executemany("DELETE FROM built WHERE path = ?", ((p,) for p in previous if p not in stats))

    def forget_built(self) -> None:
        self.db.execute("DELETE FROM built")
        self.set_meta("built", "")

    def feed_values(self, summaries: list[Summary] | None, root: Path) -> tuple[list[Summary], Callable[[str], Any]]:
        """The summaries (this run's, or read from the record when the run reused the last one)
        and a reader of an article's notes, for the feeds. An article's notes are read when the
        feeds ask for them: the notes feed shows the newest only."""
        if summaries is None:
            summaries = sort_articles(codec.summary_value(row.summary) for row in self.articles().values())  # type: ignore[misc]

        def notes_of(slug: str) -> tuple[Any, ...]:
            text = self.notes(slug)
            return codec.notes_value(text, root) if text is not None else ()

        return list(summaries), notes_of  # type: ignore[arg-type]

    # -- the transaction ------------------------------------------------------------------------

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("BEGIN IMMEDIATE")

    def close(self, keep: bool) -> None:
        """End the run: keep what it wrote (*keep*) or drop it. A record that cannot be kept (the
        disk is full) is no failure, the pages are written: :attr:`not_kept` says so, and the next
        run does the work again."""
        try:
            self.db.execute("COMMIT" if keep else "ROLLBACK")
        except sqlite3.Error as exc:
            self.not_kept = Problem(
                f"the record of this run could not be written ({exc}); the next run will redo all the work",
                self.path,
            )
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
        self.db.close()

    def __enter__(self) -> Record:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if self.db.in_transaction:
            self.close(keep=False) if kind is not None else self.close(keep=True)
        else:
            self.db.close()
