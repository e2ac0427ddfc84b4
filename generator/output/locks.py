"""Writing each article's anchors lock file (``articles/<slug>.anchors.yml``) after a successful run.

The file records, for every note, where it was anchored (:class:`generator.model.AnchorRecord`):
the next build reads it (:mod:`generator.inputs.anchors_file`) to know where each note was, so
that a note never moves silently to other words. It is written only when a run succeeded (a note
that stops a run keeps its old entry), only when its bytes change, and atomically; it is removed
when the article has no notes any more. Editors commit it with the notes file.

The format is plain YAML that any YAML reader reads: every string double-quoted on one line, with
invisible and non-ASCII space characters escaped (``\\u00a0``), so the file shows exactly what
it holds and a diff shows exactly what changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from generator.model import ANCHORS_VERSION, AnchorRecord, Article
from generator.output.record import Record
from generator.output.runstate import file_sha256, staged_digest
from generator.stages.anchor import Anchor, Note, lock_path, record
from generator.util.files import atomic_write

HEADER = (
    "# Where each note of this article was anchored at the last successful 'archive generate': the\n"
    "# words it marked, 32 characters either side, paragraph (from 0), line, offset, how many times\n"
    "# those words stood in the text, and the text's hash.\n"
    "# Written by the build and read by the next one, so that a note never moves to other words on\n"
    "# its own. Commit it with the notes file; do not edit it (delete a note's entry to let the note\n"
    "# anchor afresh from its quote). See site_src/guide/adding-notes.md.\n"
)
_PLAIN_KEY = re.compile(r"[a-z][a-z0-9-]*")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}


def quoted(value: str) -> str:
    """*value* as a YAML double-quoted scalar on one line; characters that are not printable (line
    breaks, no-break and zero-width spaces, direction marks) escaped."""
    out = ['"']
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _key(ident: str) -> str:
    return ident if _PLAIN_KEY.fullmatch(ident) and ident not in ("null", "true", "false") else quoted(ident)


def lock_text(records: dict[str, AnchorRecord]) -> str:
    """The lock file's text for *records* (note id → entry), in the given order."""
    lines = [HEADER.rstrip("\n"), f"version: {ANCHORS_VERSION}", "notes:"]
    for ident, entry in records.items():
        lines.append(f"  {_key(ident)}:")
        fields: list[tuple[str, str | int]] = [("quote", entry.quote)]
        if entry.given_prefix:
            fields.append(("given_prefix", entry.given_prefix))
        if entry.given_suffix:
            fields.append(("given_suffix", entry.given_suffix))
        fields += [
            ("exact", entry.exact),
            ("prefix", entry.prefix),
            ("suffix", entry.suffix),
            ("block", entry.block),
            ("line", entry.line),
            ("position", entry.position),
            ("copies", entry.copies),
            ("text_sha256", entry.text_sha256),
        ]
        for name, value in fields:
            lines.append(f"    {name}: {quoted(value) if isinstance(value, str) else value}")
    return "\n".join(lines) + "\n"


def write_lock(article: Article, records: dict[str, AnchorRecord]) -> bool:
    """Write *article*'s lock file with *records* (note id → entry, in the notes file's order) if its
    bytes change, or remove it when there are none. True if the file was written or removed."""
    return write_lock_at(lock_path(article), records)


def lock_sha256(records: dict[str, AnchorRecord]) -> str | None:
    """The sha256 of the lock file that holds *records* (None: there is no file)."""
    return hashlib.sha256(lock_text(records).encode("utf-8")).hexdigest() if records else None


def write_lock_at(path: Path, records: dict[str, AnchorRecord]) -> bool:
    """:func:`write_lock` for the lock file at *path* (the run keeps the paths of the articles it
    read, not the articles)."""
    if not records:
        if path.is_file() and not path.is_symlink():
            path.unlink()
            return True
        return False
    text = lock_text(records).encode("utf-8")
    try:
        same = path.is_file() and not path.is_symlink() and path.read_bytes() == text
    except OSError:
        same = False
    if not same:
        atomic_write(path, text)
    return not same


def write_locks(articles: Iterable[Article], anchors: dict[str, dict[str, AnchorRecord]]) -> list[Path]:
    """Write the lock file of every article whose notes' places changed; remove those of articles
    without notes. Returns the files written or removed."""
    return [lock_path(article) for article in articles if write_lock(article, anchors.get(article.slug, {}))]


def update_lock(
    article: Article, notes: Sequence[Note], entries: Mapping[str, AnchorRecord], changed: Mapping[str, Anchor]
) -> Path | None:
    """After a change to *article*'s notes file (now holding *notes*): its lock file with the new
    place of each note of *changed* (note id → anchor), the other entries as they were, those of
    notes no longer in the file dropped. The lock file's path if it was written or removed."""
    by_id = {note.id: note for note in notes}
    new = {**entries, **{ident: record(article, by_id[ident], anchor) for ident, anchor in changed.items()}}
    ordered = {note.id: new[note.id] for note in notes if note.id in new}
    return lock_path(article) if write_lock(article, ordered) else None


def digest_with_lock(
    root: Path, context: str, files: list[tuple[str, str]], path: Path, records: dict[str, AnchorRecord]
) -> str:
    """What an article is made from (:func:`~generator.output.runstate.staged_digest` of its own
    *files*) once its lock file at *path* holds *records*, as a successful run leaves it."""
    rel = path.relative_to(root).as_posix()
    sha = lock_sha256(records)
    return staged_digest(context, [(r, s) for r, s in files if r != rel] + ([(rel, sha)] if sha else []))


def write_run_locks(
    root: Path,
    record: Record,
    locks: Mapping[str, tuple[Path, dict[str, AnchorRecord]]],
    staged: Mapping[str, str],
    stats: dict[str, tuple[int, int]],
    shas: dict[str, str],
) -> list[Path]:
    """Write the lock file of each article a run read whose notes' places changed (remove it when
    the article has no notes); return the files written or removed. They are recorded as the run
    leaves them (*stats*, *shas*), and each article as made from them (*staged*: slug → what
    :func:`digest_with_lock` gave, which the pages were planned with), so the next run neither
    reads it again nor renders its pages again for a file the run wrote itself."""
    written = []
    for slug in sorted(locks):
        path, records = locks[slug]
        if not write_lock_at(path, records):
            continue
        written.append(path)
        rel = path.relative_to(root).as_posix()
        try:
            stat = path.stat()
        except FileNotFoundError:
            stats.pop(rel, None)
            shas.pop(rel, None)
        else:
            stats[rel] = (stat.st_size, stat.st_mtime_ns)
            shas[rel] = file_sha256(path)
        record.restage(slug, staged[slug])
    return written
