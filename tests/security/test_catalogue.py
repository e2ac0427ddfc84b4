# ruff: noqa: E501  (the catalogue reads best as one case per line)
"""The catalogue of hostile and odd inputs: every input channel through a table of values.

Each row changes one input of a copy of a built archive (the bundled articles plus a small probe
article whose entities are in the cache, so most rows never load the language model), runs one
command in-process, and checks: no traceback; the message the row expects, naming the file (and
the line, where there is one); ``site/`` exactly as the build left it. A probe then looks at
what was produced when a value is accepted, so that "accepted" means "accepted and right".

Expectations: ``E:line`` an error naming ``where:<line>``; ``E:file`` an error naming ``where``;
``E`` an error (naming ``where``, an option or variable, when given); ``W`` a warning naming
``where`` (or an error naming it); ``A`` accepted.

The channels: article files, front matter, notes files, the registry, the cleaning rules,
``mkdocs.yml``, command-line options, the cache, environment variables, the publishing hooks.
Faults (kills, a full disk, concurrent runs) are in ``test_faults.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ..conftest import copy_project, run_archive
from ..processes import git

pytestmark = pytest.mark.slow

Setup = Callable[[Path], None]
Probe = Callable[[Path, str], "str | None"]
"""Looks at what a run produced: None when right, else what is wrong."""

PROBE = "articles/probe.md"
PROBE_NOTES = "articles/probe.notes.yml"
PROBE_BODY = (
    "The harbour at Port Ellery reopened on Friday after the storm surge of last week, and the mayor "
    "of the town, Ann Byrne, thanked the crews who had cleared the quays.\n\n"
    "Fishing crews returned to the quays before dawn, and the ferry to Inishmore sailed on time.\n"
)
PROBE_FRONT = "title: Harbour reopens\ndate: 2020-05-05\npublisher: Probe Press\ntags: [probe]\n"
A = "articles/us-military-considers-re-establishing-presence-in-libya.md"
RULES = "rules/newsroom.yml"
"""The general newsroom rules (header, blocks)."""
GR = "rules/globalresearch.yml"
"""One publisher's rules (with the inline rules)."""
REG = "entities.yml"
MK = "mkdocs.yml"
CACHE = ".archive-cache"
ZERO = "0" * 40


# --- setup helpers: each writes new files (never into a file shared with the base copy) ----------


def w(rel: str, data: str | bytes) -> Setup:
    def setup(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file() or path.is_symlink():
            path.unlink()
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return setup


def fm(front: str, body: str = PROBE_BODY) -> Setup:
    """The probe article with other front matter (same text: its entities stay cached)."""
    return w(PROBE, f"---\n{front}---\n\n{body}")


def edit(rel: str, old: str, new: str) -> Setup:
    def setup(root: Path) -> None:
        text = (root / rel).read_text(encoding="utf-8")
        assert old in text, (rel, old)
        w(rel, text.replace(old, new, 1))(root)

    return setup


def rm(rel: str) -> Setup:
    def setup(root: Path) -> None:
        path = root / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()

    return setup


def mkdir(rel: str) -> Setup:
    return lambda root: (root / rel).mkdir(parents=True, exist_ok=True)


def chain(*steps: Setup) -> Setup:
    def setup(root: Path) -> None:
        for step in steps:
            step(root)

    return setup


def to_file(rel: str) -> Setup:
    return chain(rm(rel), w(rel, "not a folder\n"))


def to_dir(rel: str) -> Setup:
    return chain(rm(rel), mkdir(rel))


def symlink(rel: str, target: str) -> Setup:
    return lambda root: os.symlink(target if target.startswith("/") else root / target, root / rel)


def no_state(root: Path) -> None:
    """Forget the last run, so that the next one reads the cache instead of reusing the pages."""
    (root / CACHE / "state.json").unlink(missing_ok=True)
    (root / CACHE / "record.sqlite").unlink(missing_ok=True)  # the record of the incremental build


# --- probes --------------------------------------------------------------------------------------


def page(root: Path, rel: str) -> str:
    path = root / "site_src" / rel / "index.md" if rel else root / "site_src" / "index.md"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def no_match(rel: str, bad: str, what: str) -> Probe:
    def probe(root: Path, output: str) -> str | None:
        found = re.search(bad, page(root, rel))
        return f"{what}: {found.group(0)[:120]!r}" if found else None

    return probe


def said(pattern: str) -> Probe:
    def probe(root: Path, output: str) -> str | None:
        return None if re.search(pattern, output) else f"the output does not say {pattern!r}"

    return probe


def not_said(pattern: str) -> Probe:
    def probe(root: Path, output: str) -> str | None:
        return f"the output says {pattern!r}" if re.search(pattern, output) else None

    return probe


def tag_pages(root: Path, output: str) -> str | None:
    folder = root / "site_src" / "browse" / "tag"
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    wrong = [n for n in names if n == "other" or n.startswith("other-")]
    return f"tag pages {wrong}" if wrong else None


def no_feed_links(root: Path, output: str) -> str | None:
    return "the home page links feeds that are not built" if "feed-articles.xml" in page(root, "") else None


def readable_site(root: Path, output: str) -> str | None:
    wrong = []
    for path in [root / "site", *(root / "site").rglob("*")]:
        mode = path.stat().st_mode & 0o777
        if mode != (0o755 if path.is_dir() else 0o644):
            wrong.append(f"{path.relative_to(root)} {oct(mode)}")
    return f"not readable by a web server: {wrong[:3]}" if wrong else None


def nothing_at(rel: str) -> Probe:
    def probe(root: Path, output: str) -> str | None:
        return f"{rel} was written" if (root / rel).exists() else None

    return probe


# --- cache helpers -------------------------------------------------------------------------------


def cache_entry(root: Path) -> Path:
    """The probe article's entry in the mentions cache, found as the generator finds it."""
    from generator.inputs.articles import read_source
    from generator.inputs.registry import load_registry
    from generator.inputs.rules import load_rules
    from generator.settings import DEFAULT_MODEL
    from generator.stages.clean import clean
    from generator.stages.entity_cache import MentionCache, cache_dir, mentions_version

    registry, _ = load_registry(root / REG)
    article = clean(read_source(root / PROBE), load_rules(root / "rules"))
    cache = MentionCache(cache_dir(root), mentions_version(registry, DEFAULT_MODEL))
    return cache._path(cache.key([block.text for block in article.blocks]))


def forge(rows: Callable[[list], object]) -> Setup:
    def setup(root: Path) -> None:
        path = cache_entry(root)
        data = json.loads(path.read_bytes())
        path.unlink()
        path.write_text(json.dumps(rows(data)), encoding="utf-8")
        no_state(root)

    return setup


def mention(
    start: object, end: object, text: str, entity: str, label: str = "PERSON", sentence: tuple = (0, 150)
) -> list:
    return [start, end, text, label, entity, *sentence]


def entry_as(kind: str) -> Setup:
    def setup(root: Path) -> None:
        path = cache_entry(root)
        no_state(root)
        if kind == "dir":
            path.unlink()
            path.mkdir()
        elif kind == "shard-file":
            shutil.rmtree(path.parent)
            path.parent.write_text("x")
        else:
            path.unlink()
            path.write_bytes(b"\x00\xff garbage" if kind == "garbage" else b"")

    return setup


# --- registry, rules, notes, mkdocs.yml helpers ---------------------------------------------------


def entity(**fields: object) -> Setup:
    """One more entity (as a JSON flow mapping) at the top of the registry's list."""
    base = {
        "id": "probe-entity",
        "name": "Probe Entity",
        "type": "organisation",
        "description": "An entity of the catalogue.",
    }
    line = "  - " + json.dumps({**base, **fields}, ensure_ascii=False) + "\n"
    return edit(REG, "\nentities:\n", "\nentities:\n" + line)


def rule(scope: str, rule_id: str, match: str) -> Setup:
    item = f"  - id: {rule_id}\n    description: A catalogue rule\n    match: {json.dumps(match)}\n"
    return edit(GR if scope == "inline" else RULES, f"\n{scope}:\n", f"\n{scope}:\n" + item)


def header_rule(line: str, match: str) -> Setup:
    return chain(
        rule("header", "probe-dateline", match),
        fm("title: Harbour reopens\npublisher: Probe Press\n", f"{line}\n\n{PROBE_BODY}"),
    )


NOTE = {
    "id": "probe-note",
    "kind": "context",
    "quote": "the ferry to Inishmore sailed on time",
    "body": "A note on the ferry.",
    "sources": [{"title": "A source", "url": "https://example.org/source", "accessed": "2026-11-22"}],
    "author": "An editor",
    "date": "2026-11-22",
}


def note(**changes: object) -> Setup:
    item = {k: v for k, v in {**NOTE, **changes}.items() if v is not None}
    return w(PROBE_NOTES, "- " + json.dumps(item, ensure_ascii=False) + "\n")


def note_yaml(date: str = "2026-11-22", accessed: str = "2026-11-22") -> Setup:
    return w(
        PROBE_NOTES,
        f'- id: probe-note\n  kind: context\n  quote: "{NOTE["quote"]}"\n  body: A body.\n  sources:\n'
        f"    - title: S\n      url: https://example.org/\n      accessed: {accessed}\n  author: Ed\n  date: {date}\n",
    )


def note_add(
    *extra: str,
    article: str = "probe",
    quote: str = "the ferry to Inishmore sailed on time",
    body: str = "A note.",
    source: str = "https://example.org/s",
) -> tuple[str, ...]:
    return ("note", "add", article, "--quote", quote, "--kind", "context", "--body", body, "--source", source, *extra)


IN_TXT = "Harbour reopens after storm\n\n" + PROBE_BODY
META_REFRESH = '<meta http-equiv="refresh" content="0; url=https://evil.example/">'
LONG_PARAGRAPH = ("word " * 220_000).strip() + "\n"


TABLE_MD = "articles/table.md"
TABLE_LEAD = (
    "The three ferry routes to the western islands carried more passengers between June and August than in "
    "any summer since the harbour board began counting, the board said on Tuesday.\n\n"
)


def table_article(table: str) -> Setup:
    """An article with the lead paragraph, then *table* (Markdown), then a closing sentence."""
    return w(
        TABLE_MD,
        f"---\ntitle: Ferry numbers\ndate: 2024-10-02\n---\n\n{TABLE_LEAD}{table}\n\nThe board meets in November.\n",
    )


def has(rel: str, pattern: str, what: str) -> Probe:
    def probe(root: Path, output: str) -> str | None:
        return None if re.search(pattern, page(root, rel)) else f"{what} is not on the page"

    return probe


def both(*probes: Probe) -> Probe:
    def probe(root: Path, output: str) -> str | None:
        return next((found for p in probes if (found := p(root, output)) is not None), None)

    return probe


HUGE_ROW = "| " + " | ".join(f"c{i}" for i in range(5000)) + " |\n|" + "---|" * 5000 + "\n| end |"
OVER_LIMIT_ROW = "| " + " | ".join(f"cell{i:06d}" for i in range(10000)) + " |\n|" + "---|" * 10000
TABLE_NOTE = (
    '- id: across\n  kind: context\n  quote: "Inishmore 148,200"\n  body: A body.\n  sources:\n'
    "    - title: S\n      url: https://example.org/\n      accessed: 2026-11-22\n  author: Ed\n  date: 2026-11-22\n"
)
FERRY_TABLE = "| Route | Passengers |\n|---|---|\n| Inishmore | 148,200 |"


def mk(old: str, new: str) -> Setup:
    return edit(MK, old, new)


def mk_without(start: str, end: str) -> Setup:
    """mkdocs.yml without the lines from the one starting with *start* up to *end*."""

    def setup(root: Path) -> None:
        text = (root / MK).read_text(encoding="utf-8")
        i = text.index(start)
        w(MK, text[:i] + text[text.index(end, i + len(start)) :])(root)

    return setup


@dataclass(frozen=True)
class Case:
    """One hostile or odd input and what must come of it."""

    id: str
    channel: str
    value: str
    """The input, in words."""
    expect: str
    setup: Setup | None = None
    args: tuple[str, ...] = ("check", "-q")
    where: str | None = None
    """What the message must name: a path (``E:line`` adds ``:<line>``), an option or a variable."""
    probe: Probe | None = None
    env: dict[str, str] = field(default_factory=dict)
    stdin: str | None = None
    cwd: str = "root"
    """Where the command runs: ``root`` (the archive), ``parent`` (its folder), ``repo`` (the bare repository)."""
    umask: int | None = None


# fmt: off
ARTICLES = "article files"
CASES = [
    Case("art-paragraph-over-limit", ARTICLES, "one paragraph of 1,099,999 characters (spaCy's limit is 1,000,000)", "E:line", w("articles/long.md", "---\ntitle: Long\n---\n\n" + LONG_PARAGRAPH), where="articles/long.md"),
    Case("art-paragraph-over-limit-build", ARTICLES, "the same, through build", "E:line", w("articles/long.md", "---\ntitle: Long\n---\n\n" + LONG_PARAGRAPH), ("build",), where="articles/long.md"),
    Case("art-brackets", ARTICLES, "a paragraph of 50,000 '['", "E:line", w("articles/brackets.md", "---\ntitle: Brackets\n---\n\n" + "[" * 50_000 + "\n"), where="articles/brackets.md"),
    Case("art-stars", ARTICLES, "a paragraph of 20,000 '*'", "E:line", w("articles/stars.md", "---\ntitle: Stars\n---\n\n" + "*" * 20_000 + "\n"), where="articles/stars.md"),
    Case("art-question-marks", ARTICLES, "a run of 5,000 '!?' inside a sentence", "E:line", w("articles/shout.md", "---\ntitle: Shout\n---\n\nSome words " + "!?" * 2500 + " and more words.\n"), where="articles/shout.md"),
    Case("art-long-word", ARTICLES, "a word of 100,000 letters (read in milliseconds)", "A", w("articles/word.md", "---\ntitle: Word\n---\n\n" + "x" * 100_000 + "\n")),
    Case("art-articles-file-check", ARTICLES, "articles is a regular file (check)", "E:file", to_file("articles"), where="articles: this is a file"),
    Case("art-articles-file-generate", ARTICLES, "articles is a regular file (generate)", "E:file", to_file("articles"), ("generate",), where="articles: this is a file"),
    Case("art-articles-file-build", ARTICLES, "articles is a regular file (build)", "E:file", to_file("articles"), ("build",), where="articles: this is a file"),
    Case("art-articles-symlink", ARTICLES, "articles is a symbolic link to a folder elsewhere", "E:file", chain(lambda r: shutil.move(str(r / "articles"), str(r.parent / "elsewhere")), symlink("articles", "../elsewhere")), where="articles: this is a symbolic link"),
    Case("art-articles-missing", ARTICLES, "no articles folder", "E:file", rm("articles"), where="articles: the articles folder does not exist"),
    Case("art-no-articles", ARTICLES, "an empty articles folder (generate)", "W", chain(rm("articles"), mkdir("articles")), ("generate",), where="articles: the archive has no articles"),
    Case("art-slug-246", ARTICLES, "a file name of 246 characters", "E:file", w(f"articles/{'a' * 246}.md", f"---\ntitle: Long\n---\n\n{PROBE_BODY}"), where=f"articles/{'a' * 246}.md: the file name is 246 characters"),
    Case("art-slug-250-build", ARTICLES, "a file name of 250 characters (build)", "E:file", w(f"articles/{'b' * 250}.md", f"---\ntitle: Long\n---\n\n{PROBE_BODY}"), ("build",), where=f"articles/{'b' * 250}.md"),
    Case("art-slug-201", ARTICLES, "a file name of 201 characters", "E:file", w(f"articles/{'c' * 201}.md", f"---\ntitle: Long\n---\n\n{PROBE_BODY}"), where=f"articles/{'c' * 201}.md"),
    Case("art-slug-200", ARTICLES, "a file name of 200 characters (the longest allowed)", "A", w(f"articles/{'d' * 200}.md", f"---\ntitle: Long\n---\n\n{PROBE_BODY}"), ("generate",)),
    Case("art-folder-x-md-generate", ARTICLES, "an empty folder named articles/x.md, nothing else changed (generate)", "E:file", mkdir("articles/x.md"), ("generate",), where="articles/x.md: unexpected folder"),
    Case("art-folder-x-md-build", ARTICLES, "the same, through build", "E:file", mkdir("articles/x.md"), ("build",), where="articles/x.md"),
    Case("art-folder-x-md-check", ARTICLES, "the same, check", "E:file", mkdir("articles/x.md"), where="articles/x.md"),
    Case("art-hidden-folder", ARTICLES, "an empty hidden folder articles/.drafts", "A", mkdir("articles/.drafts"), ("generate",)),
    Case("art-slug-year", ARTICLES, "articles/2017.md (the name of a year's listing)", "E:file", w("articles/2017.md", f"---\ntitle: A year\n---\n\n{PROBE_BODY}"), where="articles/2017.md"),
    Case("art-slug-year-build", ARTICLES, "the same, through build", "E:file", w("articles/2017.md", f"---\ntitle: A year\n---\n\n{PROBE_BODY}"), ("build",), where="articles/2017.md"),
    Case("art-slug-undated", ARTICLES, "articles/undated.md", "E:file", w("articles/undated.md", f"---\ntitle: Undated\n---\n\n{PROBE_BODY}"), where="articles/undated.md"),
    Case("art-slug-zero", ARTICLES, "articles/0.md", "E:file", w("articles/0.md", f"---\ntitle: Zero\n---\n\n{PROBE_BODY}"), where="articles/0.md"),
    Case("art-only-nbsp", ARTICLES, "a text of one no-break space", "E:file", w("articles/nbsp.md", "\u00a0\n"), where="articles/nbsp.md"),
    Case("art-only-delimiters", ARTICLES, "a file holding '---\\n---\\n'", "E:file", w("articles/delims.md", "---\n---\n"), where="articles/delims.md"),
    Case("art-cr-line-endings", ARTICLES, "old Mac line endings (CR only)", "A", w(PROBE, f"---\n{PROBE_FRONT}---\n\n{PROBE_BODY}".replace("\n", "\r"))),
    Case("art-bom", ARTICLES, "a byte-order mark before the front matter", "A", w(PROBE, "\ufeff" + f"---\n{PROBE_FRONT}---\n\n{PROBE_BODY}")),
    Case("art-mixed-newlines", ARTICLES, "CRLF front matter and LF text", "A", w(PROBE, f"---\r\n{PROBE_FRONT.replace(chr(10), chr(13) + chr(10))}---\r\n\r\n{PROBE_BODY}")),
    Case("art-originals-file", ARTICLES, "articles/originals is a regular file", "E:file", w("articles/originals", "x"), where="articles/originals"),
    Case("art-original-dir", ARTICLES, "articles/originals/probe.html is a folder (build)", "E:file", mkdir("articles/originals/probe.html"), ("build",), where="articles/originals/probe.html"),
    Case("art-original-dir-check", ARTICLES, "the same, check", "E:file", mkdir("articles/originals/probe.html"), where="articles/originals/probe.html"),
    Case("art-original-symlink", ARTICLES, "articles/originals/probe.html a link to /etc/passwd", "E:file", chain(mkdir("articles/originals"), symlink("articles/originals/probe.html", "/etc/passwd")), ("generate",), where="articles/originals/probe.html"),
    Case("art-original-huge", ARTICLES, "a file as received of 3 MB", "A", chain(mkdir("articles/originals"), w("articles/originals/probe.html", b"<p>x</p>" * 400_000)), ("generate",)),
    Case("art-newline-in-name", ARTICLES, "a file name holding a line break", "E:file", w("articles/a\nb.md", "x\n"), where="articles/a\nb.md"),
    Case("art-notes-is-dir", ARTICLES, "articles/probe.notes.yml is a folder", "E:file", mkdir(PROBE_NOTES), where=PROBE_NOTES),
    Case("art-fifo", ARTICLES, "an article that is a named pipe (generate)", "E:file", lambda r: os.mkfifo(r / "articles" / "pipe.md"), ("generate",), where="articles/pipe.md"),
    Case("art-symlinked-file", ARTICLES, "an article that is a link to another", "E:file", symlink("articles/link.md", A), ("generate",), where="articles/link.md"),
    Case("art-table-script-cell", ARTICLES, "a pipe table with a <script> cell and an onclick attribute in another", "A", table_article('| a | b |\n|---|---|\n| <script>alert(1)</script> | <td onclick="x()">y</td> |'), ("generate",), probe=both(no_match("articles/table", r"<script>alert|<td onclick", "live markup from a cell"), has("articles/table", r"<td>&lt;script&gt;alert\(1\)&lt;/script&gt;</td>", "the cell's text, escaped"))),
    Case("art-table-one-column", ARTICLES, "a table of one column", "A", table_article("| Island |\n|---|\n| Inishmore |\n| Inisheer |"), ("generate",), probe=has("articles/table", r'<thead><tr><th scope="col">Island</th></tr></thead>\n<tbody><tr><td>Inishmore</td></tr>\n<tr><td>Inisheer</td></tr></tbody>', "the one-column table")),
    Case("art-table-empty-cells", ARTICLES, "empty cells, an empty header cell and a row of empty cells", "A", table_article("| | Passengers |\n|---|---|\n| Inishmore | |\n| | |"), ("generate",), probe=has("articles/table", r'<th scope="col"></th>\t<th scope="col">Passengers</th></tr></thead>\n<tbody><tr><td>Inishmore</td>\t<td></td></tr></tbody>', "the table with its empty cells")),
    Case("art-table-huge-row", ARTICLES, "a header row of 5,000 cells over a row of one", "A", table_article(HUGE_ROW)),
    Case("art-table-over-limit", ARTICLES, "a table of 10,000 cells of 10 characters (over the 100,000 characters the model reads)", "E:line", table_article(OVER_LIMIT_ROW), where=TABLE_MD, probe=said(r"articles/table\.md:8: this table is 109,999 characters long")),
    Case("art-table-delimiter-width", ARTICLES, "a delimiter row narrower than the header row", "E:line", table_article("| a | b |\n|---|\n| 1 | 2 |"), where=TABLE_MD, probe=said(r"articles/table\.md:9: the table's header row \(line 8\) has 2 cells")),
    Case("art-table-text-after", ARTICLES, "a paragraph right under a table, without a blank line", "E:line", table_article("| a | b |\n|---|---|\n| 1 | 2 |\nThe board meets in November."), where=TABLE_MD, probe=said(r"articles/table\.md:11: this line has no '\|'")),
    Case("art-table-pipes-in-text", ARTICLES, "a paragraph with pipes that is no table (no delimiter row)", "A", table_article("Prices | up\nWages | down"), ("generate",), probe=both(no_match("articles/table", r"<table", "a table"), has("articles/table", r"Prices \| up Wages \| down", "the paragraph"))),
]

FRONT = "front matter"
CASES += [
    Case("fm-date-zero", FRONT, "date: 0 (was published as 1970-01-01)", "E:line", fm("title: Harbour reopens\ndate: 0\n"), ("generate",), where=PROBE),
    Case("fm-date-int-ymd", FRONT, "date: 20170712", "E:line", fm("title: Harbour reopens\ndate: 20170712\n"), where=PROBE),
    Case("fm-date-year", FRONT, "date: 2017", "E:line", fm("title: Harbour reopens\ndate: 2017\n"), where=PROBE),
    Case("fm-date-float", FRONT, "date: 1.5", "E:line", fm("title: Harbour reopens\ndate: 1.5\n"), where=PROBE),
    Case("fm-date-negative", FRONT, "date: -86400", "E:line", fm("title: Harbour reopens\ndate: -86400\n"), where=PROBE),
    Case("fm-date-string-zero", FRONT, "date: '0'", "E:line", fm("title: Harbour reopens\ndate: '0'\n"), where=PROBE),
    Case("fm-date-true", FRONT, "date: true", "E:line", fm("title: Harbour reopens\ndate: true\n"), where=PROBE),
    Case("fm-date-words", FRONT, "date: July 12, 2017", "E:line", fm("title: Harbour reopens\ndate: July 12, 2017\n"), where=PROBE),
    Case("fm-date-huge-int", FRONT, "date: 99999999999", "E:line", fm("title: Harbour reopens\ndate: 99999999999\n"), where=PROBE),
    Case("fm-date-feb-30", FRONT, "date: 2017-02-30", "E:line", fm("title: Harbour reopens\ndate: 2017-02-30\n"), where=PROBE),
    Case("fm-date-trailing", FRONT, "date: 2017-07-12 extra", "E:line", fm("title: Harbour reopens\ndate: 2017-07-12 extra\n"), where=PROBE),
    Case("fm-date-year-10000", FRONT, "date: '10000-01-01'", "E:line", fm("title: Harbour reopens\ndate: '10000-01-01'\n"), where=PROBE),
    Case("fm-date-quoted", FRONT, "date: '2017-07-12' (quoted, still a date)", "A", fm("title: Harbour reopens\ndate: '2017-07-12'\n"), ("generate",), probe=no_match("articles/probe", r'datetime="1970', "a 1970 date")),
    Case("fm-date-datetime", FRONT, "date: 2017-07-12T10:00:00Z", "A", fm("title: Harbour reopens\ndate: 2017-07-12T10:00:00Z\n")),
    Case("fm-original-date-zero", FRONT, "original_date: 0", "E:line", fm("title: Harbour reopens\noriginal_date: 0\n"), where=PROBE),
    Case("fm-archived-zero", FRONT, "archived: 0", "E:line", fm("title: Harbour reopens\narchived: 0\n"), where=PROBE),
    Case("fm-title-blank", FRONT, "title: ' ' (was an empty heading)", "E:line", fm("title: ' '\n"), ("generate",), where=PROBE),
    Case("fm-title-tab", FRONT, 'title: "\\t"', "E:line", fm('title: "\\t"\n'), where=PROBE),
    Case("fm-title-nbsp", FRONT, "title: a no-break space", "E:line", fm('title: "\\u00a0"\n'), where=PROBE),
    Case("fm-title-zero-width", FRONT, "title: a zero-width space", "E:line", fm('title: "\\u200b"\n'), where=PROBE),
    Case("fm-title-punctuation", FRONT, "title: '...'", "E:line", fm("title: '...'\n"), where=PROBE),
    Case("fm-title-int", FRONT, "title: 123", "E:line", fm("title: 123\n"), where=PROBE),
    Case("fm-title-multiline", FRONT, "a title on two lines", "E:line", fm("title: |\n  Harbour\n  reopens\n"), where=PROBE),
    Case("fm-title-null", FRONT, "title: null and a long first paragraph (shown under its first words)", "W", fm("title: null\n"), where=PROBE),
    Case("fm-title-mapping", FRONT, "title: {a: 1}", "E:line", fm("title: {a: 1}\n"), where=PROBE),
    Case("fm-title-cjk", FRONT, "a title in another script", "A", fm("title: 港口重新开放\n"), ("generate",)),
    Case("fm-author-blank", FRONT, "author: ' '", "E:line", fm("title: Harbour reopens\nauthor: ' '\n"), where=PROBE),
    Case("fm-publisher-blank", FRONT, "publisher: ' '", "E:line", fm("title: Harbour reopens\npublisher: ' '\n"), where=PROBE),
    Case("fm-publisher-punct", FRONT, "publisher: '!!!'", "E:line", fm("title: Harbour reopens\npublisher: '!!!'\n"), where=PROBE),
    Case("fm-original-publisher-blank", FRONT, "original_publisher: ''", "E:line", fm("title: Harbour reopens\noriginal_publisher: ''\n"), where=PROBE),
    Case("fm-tag-empty", FRONT, "tags: ['']", "E:line", fm("title: Harbour reopens\ntags: ['']\n"), where=PROBE),
    Case("fm-tags-punct", FRONT, "tags: ['!!!', '???'] (were pages other and other-2)", "E:line", fm("title: Harbour reopens\ntags: ['!!!', '???']\n"), where=PROBE),
    Case("fm-tag-blank", FRONT, "tags: [' ']", "E:line", fm("title: Harbour reopens\ntags: [' ']\n"), where=PROBE),
    Case("fm-tag-int", FRONT, "tags: [123]", "E:line", fm("title: Harbour reopens\ntags: [123]\n"), where=PROBE),
    Case("fm-tag-300", FRONT, "a tag of 300 characters (crashed on the file name)", "E:line", fm(f"title: Harbour reopens\ntags: [{'t' * 300}]\n"), ("generate",), where=PROBE),
    Case("fm-tag-two-lines", FRONT, "a tag on two lines", "E:line", fm('title: Harbour reopens\ntags: ["a\\nb"]\n'), where=PROBE),
    Case("fm-tag-cjk", FRONT, "tags: [日本] (was the page 'other')", "A", fm("title: Harbour reopens\ntags: [日本]\n"), ("generate",), probe=tag_pages),
    Case("fm-tag-accents", FRONT, "tags: [Café]", "A", fm("title: Harbour reopens\ntags: [Café]\n"), ("generate",), probe=lambda r, o: None if (r / "site_src/browse/tag/cafe/index.md").is_file() else "no page browse/tag/cafe/"),
    Case("fm-tag-100", FRONT, "a tag of 100 characters (the longest allowed)", "A", fm(f"title: Harbour reopens\ntags: [{'t' * 100}]\n"), ("generate",)),
    Case("fm-url-no-host", FRONT, "url: 'http://'", "E:line", fm("title: Harbour reopens\nurl: 'http://'\n"), where=PROBE),
    Case("fm-url-upper-scheme", FRONT, "url: HTTPS://EXAMPLE.ORG/X (was refused)", "A", fm("title: Harbour reopens\nurl: HTTPS://EXAMPLE.ORG/X\n")),
    Case("fm-url-javascript", FRONT, "url: javascript:alert(1)", "E:line", fm("title: Harbour reopens\nurl: javascript:alert(1)\n"), where=PROBE),
    Case("fm-key-case", FRONT, "Title: (a capital T)", "E:line", fm("Title: Harbour reopens\n"), where=PROBE),
    Case("fm-tab-indent", FRONT, "front matter indented with a tab", "E:line", fm("title: Harbour reopens\ntags:\n\t- a\n"), where=PROBE),
    Case("fm-sha-upper", FRONT, "sha256 in capitals", "E:line", fm("title: Harbour reopens\nsha256: " + "A" * 64 + "\n"), where=PROBE),
    Case("fm-language-space", FRONT, "language: 'EN US'", "E:line", fm("title: Harbour reopens\nlanguage: EN US\n"), where=PROBE),
    Case("fm-dots-end", FRONT, "front matter closed with '...'", "A", w(PROBE, f"---\n{PROBE_FRONT}...\n\n{PROBE_BODY}")),
    Case("fm-empty-block", FRONT, "an empty front matter and a first-line title", "A", w(PROBE, "---\n---\nHarbour reopens\n\n" + PROBE_BODY)),
    Case("fm-anchor", FRONT, "a YAML anchor and alias", "E:line", fm("title: &t Harbour\nauthor: *t\n"), where=PROBE),
]

NOTES = "notes files"
CASES += [
    Case("note-baseline", NOTES, "a valid note", "A", note(), ("generate",), probe=no_match("corrections", r"1970", "a 1970 date")),
    Case("note-date-zero", NOTES, "date: 0 (was 1970 on the corrections page)", "E:line", note_yaml(date="0"), ("generate",), where=PROBE_NOTES),
    Case("note-date-number", NOTES, "date: 20261122", "E:line", note_yaml(date="20261122"), where=PROBE_NOTES),
    Case("note-across-table-cells", NOTES, "a quote running from one table cell into the next", "E:line", chain(table_article(FERRY_TABLE), w("articles/table.notes.yml", TABLE_NOTE)), where="articles/table.notes.yml", probe=said(r'runs across the cells of the table at line 8, from row 2 \(line 10\), column 1: "Inishmore" to row 2 \(line 10\), column 2: "148,200"')),
    Case("note-accessed-zero", NOTES, "accessed: 0", "E:line", note_yaml(accessed="0"), where=PROBE_NOTES),
    Case("note-quote-blank", NOTES, "quote: ' '", "E:line", note(quote=" "), where=PROBE_NOTES),
    Case("note-body-over-limit", NOTES, "a body of 2,001 characters", "E:line", note(body="x" * 2001), where=PROBE_NOTES),
    Case("note-body-empty", NOTES, "body: ''", "E:line", note(body=""), where=PROBE_NOTES),
    Case("note-body-blank", NOTES, "body: ' '", "E:line", note(body=" "), ("generate",), where=PROBE_NOTES),
    Case("note-author-empty", NOTES, "author: ''", "E:line", note(author=""), where=PROBE_NOTES),
    Case("note-author-blank", NOTES, "author: ' '", "E:line", note(author=" "), where=PROBE_NOTES),
    Case("note-source-ftp", NOTES, "a source at ftp://", "E:line", note(sources=[{"title": "S", "url": "ftp://example.org/x", "accessed": "2026-11-22"}]), where=PROBE_NOTES),
    Case("note-sources-empty", NOTES, "sources: []", "E:line", note(sources=[]), where=PROBE_NOTES),
    Case("note-source-title-blank", NOTES, "a source titled ' '", "E:line", note(sources=[{"title": " ", "url": "https://example.org/", "accessed": "2026-11-22"}]), where=PROBE_NOTES),
    Case("note-kind-capital", NOTES, "kind: Correction", "E:line", note(kind="Correction"), where=PROBE_NOTES),
    Case("note-id-upper", NOTES, "id: Probe", "E:line", note(id="Probe"), where=PROBE_NOTES),
    Case("note-id-duplicate", NOTES, "two notes with one id", "E:line", w(PROBE_NOTES, "- " + json.dumps(NOTE) + "\n- " + json.dumps(NOTE) + "\n"), where=PROBE_NOTES),
    Case("note-quote-missing", NOTES, "a quote not in the article", "E:line", note(quote="words that are not there at all"), where=PROBE_NOTES),
    Case("note-quote-ambiguous", NOTES, "quote: 'the' (many times)", "E:line", note(quote="the"), where=PROBE_NOTES),
    Case("note-prefix-201", NOTES, "a prefix of 201 characters", "E:line", note(prefix="p" * 201), where=PROBE_NOTES),
    Case("note-unknown-key", NOTES, "an unknown key 'comment'", "E:line", note(comment="x"), where=PROBE_NOTES),
    Case("note-body-js-link", NOTES, "a body linking javascript:", "E:line", note(body="[x](javascript:alert(1))"), where=PROBE_NOTES),
    Case("note-body-two-paragraphs", NOTES, "a body of two paragraphs", "E:line", note(body="One.\n\nTwo."), where=PROBE_NOTES),
    Case("note-file-mapping", NOTES, "a notes file that is a mapping", "E:line", w(PROBE_NOTES, "notes: []\n"), where=PROBE_NOTES),
    Case("note-file-empty", NOTES, "an empty notes file", "A", w(PROBE_NOTES, "")),
    Case("note-file-invalid-utf8", NOTES, "a notes file that is not UTF-8", "E:file", w(PROBE_NOTES, b"- id: x\n  body: caf\xe9\n"), where=PROBE_NOTES),
    Case("note-file-bom", NOTES, "a notes file with a byte-order mark", "A", w(PROBE_NOTES, "\ufeff- " + json.dumps(NOTE) + "\n")),
    Case("note-file-symlink", NOTES, "a notes file that is a link to another article's", "E:file", symlink(PROBE_NOTES, "articles/us-military-considers-re-establishing-presence-in-libya.notes.yml"), where=PROBE_NOTES),
    Case("note-quote-1001", NOTES, "a quote of 1,001 characters", "E:line", note(quote="q" * 1001), where=PROBE_NOTES),
    Case("note-item-scalar", NOTES, "an item that is a string", "E:line", w(PROBE_NOTES, "- just a string\n"), where=PROBE_NOTES),
    Case("note-beside-original", NOTES, "a notes file beside an original (never read)", "W", w("articles/originals/probe.notes.yml", "- " + json.dumps(NOTE) + "\n"), ("generate",), where="articles/originals/probe.notes.yml"),
    Case("note-orphan", NOTES, "a notes file with no article", "E:file", w("articles/ghost.notes.yml", "[]\n"), where="articles/ghost.notes.yml"),
]

REGISTRY = "registry (entities.yml)"
CASES += [
    Case("reg-alias-the", REGISTRY, "alias 'the' (linked the first 'the' of every article)", "E:line", entity(aliases=["the"]), ("generate",), where=REG),
    Case("reg-alias-dot", REGISTRY, "alias '.'", "E:line", entity(aliases=["."]), where=REG),
    Case("reg-alias-comma", REGISTRY, "alias ','", "E:line", entity(aliases=[","]), where=REG),
    Case("reg-alias-a", REGISTRY, "alias 'a'", "E:line", entity(aliases=["a"]), where=REG),
    Case("reg-misspelling-and", REGISTRY, "misspelling 'and'", "E:line", entity(misspellings=["and"]), where=REG),
    Case("reg-alias-digit", REGISTRY, "alias '1'", "E:line", entity(aliases=["1"]), where=REG),
    Case("reg-alias-padded", REGISTRY, "alias ' the ' (read as 'the')", "E:line", entity(aliases=[" the "]), where=REG),
    Case("reg-name-the", REGISTRY, "name 'The'", "E:line", entity(name="The"), where=REG),
    Case("reg-alias-may", REGISTRY, "alias 'May' (a common word in title case)", "E:line", entity(aliases=["May"]), where=REG),
    Case("reg-alias-empty", REGISTRY, "alias ''", "E:line", entity(aliases=[""]), where=REG),
    Case("reg-on-purpose-unknown", REGISTRY, "on_purpose names a form the entity does not have", "E:line", entity(on_purpose=["Nothing"]), where=REG),
    Case("reg-on-purpose", REGISTRY, "alias 'May' listed under on_purpose", "A", entity(aliases=["May"], on_purpose=["May"])),
    Case("reg-alias-short-ok", REGISTRY, "alias 'PE' (two capitals: a name)", "A", entity(aliases=["PE"])),
    Case("reg-alias-upper-us", REGISTRY, "alias 'WE' (a common word, but in capitals)", "A", entity(aliases=["WE"])),
    Case("reg-id-year", REGISTRY, "entity id '2017' (a page of its own, not a listing)", "A", entity(id="2017", name="Ferry Company")),
    Case("reg-type-capital", REGISTRY, "type: Person", "E:line", entity(type="Person"), where=REG),
    Case("reg-description-empty", REGISTRY, "description ''", "E:line", entity(description=""), where=REG),
    Case("reg-wikidata-q0", REGISTRY, "wikidata Q0", "E:line", entity(wikidata="Q0"), where=REG),
    Case("reg-is-dir", REGISTRY, "entities.yml is a folder (was an empty registry)", "E:file", to_dir(REG), ("generate",), where=REG),
    Case("reg-is-symlink", REGISTRY, "entities.yml is a link to /etc/passwd", "E:file", chain(rm(REG), symlink(REG, "/etc/passwd")), where=REG),
    Case("reg-empty-file", REGISTRY, "entities.yml is empty", "W", w(REG, ""), where=REG),
    Case("reg-entities-null", REGISTRY, "entities: null", "W", w(REG, "entities: null\n"), where=REG),
    Case("reg-missing", REGISTRY, "no entities.yml", "W", rm(REG), where=REG),
    Case("reg-top-list", REGISTRY, "the top level is a list", "E:line", w(REG, "- id: x\n"), where=REG),
    Case("reg-unknown-top", REGISTRY, "an unknown top-level key 'entitys'", "E:line", w(REG, "entitys: []\n"), where=REG),
    Case("reg-ignore-bad-label", REGISTRY, "an ignore entry with the label 'NAME'", "E:line", edit(REG, "\nentities:\n", "\nignore:\n  - {text: x, label: NAME, reason: r}\nentities:\n"), where=REG),
    Case("reg-alias-201", REGISTRY, "an alias of 201 characters", "E:line", entity(aliases=["x" * 201]), where=REG),
    Case("reg-duplicate-form", REGISTRY, "alias 'Libya', the name of another entity", "E:line", entity(aliases=["Libya"]), where=REG),
    Case("reg-duplicate-id", REGISTRY, "id 'libya' twice", "E:line", entity(id="libya", name="Libya Two"), where=REG),
    Case("reg-invalid-utf8", REGISTRY, "a registry that is not UTF-8", "E:file", w(REG, b"entities:\n  - {id: x, name: caf\xe9}\n"), where=REG),
    Case("reg-python-tag", REGISTRY, "a !!python/object tag", "E:line", w(REG, "entities: !!python/object/apply:os.system ['id']\n"), where=REG),
]

RULES_CH = "cleaning rules"
CASES += [
    Case("rule-inline-inside-words", RULES_CH, "inline rule 'on' (removed 'on' from 'reopened')", "W", rule("inline", "probe-on", "on"), where=GR),
    Case("rule-inline-mid-sentence", RULES_CH, "inline rule '\\bFriday\\b' (a word inside a sentence)", "W", rule("inline", "probe-friday", r"\bFriday\b"), where=GR),
    Case("rule-inline-letters", RULES_CH, "inline rule '[a-z]'", "E:line", rule("inline", "probe-letters", "[a-z]"), where=GR),
    Case("rule-inline-space", RULES_CH, "inline rule ' '", "E:line", rule("inline", "probe-space", " "), where=GR),
    Case("rule-inline-empty-match", RULES_CH, "inline rule 'x*' (matches the empty string)", "W", rule("inline", "probe-empty", "x*"), where=GR),
    Case("rule-inline-dotstar", RULES_CH, "inline rule '.*'", "E:line", rule("inline", "probe-all", ".*"), where=GR),
    Case("rule-block-ferry", RULES_CH, "block rule '\\bferry\\b' (removes an article paragraph)", "W", rule("blocks", "probe-ferry", r"\bferry\b"), where=RULES),
    Case("rule-block-dot", RULES_CH, "block rule '.'", "E", rule("blocks", "probe-dot", "."), where="removed by 'probe-dot'"),
    Case("rule-header-feb-30", RULES_CH, "a header date 'February 30, 2017'", "W", header_rule("Probe Press, February 30, 2017", r"^Probe Press, (?P<date>\w+ \d+, \d{4})$"), where=PROBE),
    Case("rule-header-bad-month", RULES_CH, "a header date 'Smarch 5, 2017'", "W", header_rule("Probe Press, Smarch 5, 2017", r"^Probe Press, (?P<date>\w+ \d+, \d{4})$"), where=PROBE),
    Case("rules-empty-file", RULES_CH, "an empty rules file", "W", w(RULES, ""), where=RULES),
    Case("rules-comments-only", RULES_CH, "a rules file of comments only", "W", w(RULES, "# nothing yet\n"), where=RULES),
    Case("rules-empty-lists", RULES_CH, "header: [], blocks: [], inline: []", "W", w(RULES, "header: []\nblocks: []\ninline: []\n"), where=RULES),
    Case("rules-is-dir", RULES_CH, "rules/newsroom.yml is a folder", "W", to_dir(RULES), where=RULES),
    Case("rules-missing", RULES_CH, "no rules folder", "E:file", rm("rules"), where="rules: the cleaning rules folder does not exist"),
    Case("rules-header-max-0", RULES_CH, "header_max_words: 0", "E:line", edit(RULES, "header_max_words: 25", "header_max_words: 0"), where=RULES),
    Case("rules-header-max-string", RULES_CH, "header_max_words: '25' (a string)", "A", edit(RULES, "header_max_words: 25", "header_max_words: '25'")),
    Case("rules-dead-links-string", RULES_CH, "dead_link_targets: '#' (not a list)", "E:line", edit(RULES, 'dead_link_targets: ["#", ""]', "dead_link_targets: '#'"), where=RULES),
    Case("rules-catastrophic", RULES_CH, "a pattern '(a|aa)+$' on a long run of a's", "E:line", chain(rule("blocks", "probe-slow", "^(a|aa)+$"), fm("title: Harbour reopens\n", PROBE_BODY + "\n" + "a" * 60 + "b\n")), where=RULES),
    Case("rules-bad-regex", RULES_CH, "a pattern with an unclosed group", "E:line", rule("blocks", "probe-bad", "(unclosed"), where=RULES),
    Case("rules-bom", RULES_CH, "a rules file with a byte-order mark", "A", lambda r: w(RULES, b"\xef\xbb\xbf" + (r / RULES).read_bytes())(r)),
    Case("rules-match-int", RULES_CH, "match: 123", "E:line", edit(GR, "match: '^Disclaimer:\\s'", "match: 123"), where=GR),
    Case("rules-unknown-scope", RULES_CH, "an unknown key 'footer:'", "E:line", edit(GR, "\ninline:\n", "\nfooter: []\ninline:\n"), where=GR),
    Case("rules-unknown-group", RULES_CH, "a group (?P<writer>…)", "E:line", edit(GR, "(?P<publisher>", "(?P<writer>"), where=GR),
]

MKDOCS = "mkdocs.yml"
CASES += [
    Case("mk-site-name-meta-refresh", MKDOCS, "site_name holding a meta refresh (redirected every page)", "E:line", mk("site_name: Annotated reading archive", f"site_name: '{META_REFRESH}'"), ("build", "--strict"), where=MK),
    Case("mk-site-name-meta-refresh-check", MKDOCS, "the same, check", "E:line", mk("site_name: Annotated reading archive", f"site_name: '{META_REFRESH}'"), where=MK),
    Case("mk-site-name-script", MKDOCS, "site_name '<script>alert(1)</script>'", "E:line", mk("site_name: Annotated reading archive", "site_name: '<script>alert(1)</script>'"), where=MK),
    Case("mk-site-name-quote", MKDOCS, "site_name holding a double quote", "E:line", mk("site_name: Annotated reading archive", "site_name: 'The \"best\" archive'"), where=MK),
    Case("mk-site-name-empty", MKDOCS, "site_name: ''", "E:line", mk("site_name: Annotated reading archive", "site_name: ''"), where=MK),
    Case("mk-site-name-missing", MKDOCS, "no site_name", "E:file", mk("site_name: Annotated reading archive\n", ""), where=MK),
    Case("mk-site-name-long", MKDOCS, "a site_name of 101 characters", "E:line", mk("site_name: Annotated reading archive", "site_name: " + "n" * 101), where=MK),
    Case("mk-site-name-ampersand", MKDOCS, "site_name 'News & Notes' (plain text)", "A", mk("site_name: Annotated reading archive", "site_name: News & Notes")),
    Case("mk-site-url-js", MKDOCS, "site_url: javascript:alert(1)", "E:line", mk("site_url: https://archive.example.org/", "site_url: 'javascript:alert(1)'"), where=MK),
    Case("mk-site-url-ftp", MKDOCS, "site_url: ftp://archive.example.org/", "E:line", mk("site_url: https://archive.example.org/", "site_url: ftp://archive.example.org/"), where=MK),
    Case("mk-site-url-words", MKDOCS, "site_url: not an address", "E:line", mk("site_url: https://archive.example.org/", "site_url: not an address"), where=MK),
    Case("mk-site-url-no-host", MKDOCS, "site_url: 'https://'", "E:line", mk("site_url: https://archive.example.org/", "site_url: 'https://'"), where=MK),
    Case("mk-site-url-removed", MKDOCS, "site_url removed after a build (the home page linked feeds no longer built)", "A", mk("site_url: https://archive.example.org/\n", ""), ("generate",), probe=no_feed_links),
    Case("mk-change-invalidates", MKDOCS, "site_name changed after a build (must not take the nothing-changed path)", "A", mk("site_name: Annotated reading archive", "site_name: Another archive"), ("generate",), probe=not_said("Nothing changed")),
    Case("mk-theme-missing", MKDOCS, "no theme (MkDocs' default theme)", "E:file", mk_without("theme:\n", "\nplugins:"), where=MK),
    Case("mk-theme-readthedocs", MKDOCS, "theme: readthedocs", "E:line", mk("  name: material", "  name: readthedocs"), ("build",), where=MK),
    Case("mk-theme-string", MKDOCS, "theme: mkdocs (a string)", "E:line", chain(mk_without("theme:\n", "\nplugins:"), edit(MK, "\nplugins:", "\ntheme: mkdocs\nplugins:")), where=MK),
    Case("mk-custom-dir-missing", MKDOCS, "theme.custom_dir a folder that does not exist", "E:line", mk("custom_dir: overrides", "custom_dir: no-such-folder"), where=MK),
    Case("mk-custom-dir-outside", MKDOCS, "theme.custom_dir: /etc", "E:line", mk("custom_dir: overrides", "custom_dir: /etc"), where=MK),
    Case("mk-hooks-removed", MKDOCS, "hooks removed (no sanitiser, no CSP; build --strict passed)", "E:file", mk("hooks:\n  - hooks/archive.py\n", ""), ("build", "--strict"), where=MK),
    Case("mk-hooks-removed-check", MKDOCS, "the same, check", "E:file", mk("hooks:\n  - hooks/archive.py\n", ""), where=MK),
    Case("mk-hooks-empty", MKDOCS, "hooks: []", "E:line", mk("hooks:\n  - hooks/archive.py\n", "hooks: []\n"), where=MK),
    Case("mk-hooks-other", MKDOCS, "hooks naming another file", "E:line", mk("  - hooks/archive.py", "  - hooks/other.py"), where=MK),
    Case("mk-hook-file-missing", MKDOCS, "hooks/archive.py deleted", "E:line", rm("hooks/archive.py"), where=MK),
    Case("mk-plugin-removed", MKDOCS, "plugins without archive", "E:line", mk("  - archive\n", ""), where=MK),
    Case("mk-invalid-yaml", MKDOCS, "invalid YAML (check said OK)", "E:line", mk("site_name: Annotated reading archive", "site_name: [unclosed"), where=MK),
    Case("mk-invalid-yaml-build", MKDOCS, "invalid YAML, build", "E:line", mk("site_name: Annotated reading archive", "site_name: [unclosed"), ("build",), where=MK),
    Case("mk-missing", MKDOCS, "no mkdocs.yml (check said OK)", "E:file", rm(MK), where=MK),
    Case("mk-missing-build", MKDOCS, "no mkdocs.yml, build", "E:file", rm(MK), ("build",), where=MK),
    Case("mk-is-dir", MKDOCS, "mkdocs.yml is a folder", "E:file", to_dir(MK), ("build",), where=MK),
    Case("mk-top-list", MKDOCS, "mkdocs.yml is a list", "E:line", w(MK, "- site_name\n"), where=MK),
    Case("mk-python-tag", MKDOCS, "!!python/name:os.system", "E:line", mk("site_name: Annotated reading archive", "site_name: !!python/name:os.system"), ("build",), where=MK),
    Case("mk-docs-dir-parent", MKDOCS, "docs_dir: .. (would publish the whole folder)", "E:line", mk("docs_dir: site_src", "docs_dir: .."), ("build",), where=MK),
    Case("mk-docs-dir-etc", MKDOCS, "docs_dir: /etc", "E:line", mk("docs_dir: site_src", "docs_dir: /etc"), where=MK),
    Case("mk-docs-dir-dot", MKDOCS, "docs_dir: .", "E:line", mk("docs_dir: site_src", "docs_dir: ."), where=MK),
    Case("mk-snippets", MKDOCS, "markdown_extensions: pymdownx.snippets (check said OK)", "E:line", mk("  - admonition", "  - admonition\n  - pymdownx.snippets"), where=MK),
    Case("mk-snippets-config", MKDOCS, "pymdownx.snippets with options", "E:line", mk("  - admonition", "  - admonition\n  - pymdownx.snippets:\n      base_path: /"), where=MK),
    Case("mk-extra-js-remote", MKDOCS, "extra_javascript: https://evil.example/x.js", "E:line", mk("  - assets/notes.js", "  - assets/notes.js\n  - https://evil.example/x.js"), where=MK),
    Case("mk-extra-js-protocol-relative", MKDOCS, "extra_javascript: //evil.example/x.js", "E:line", mk("  - assets/notes.js", "  - assets/notes.js\n  - //evil.example/x.js"), where=MK),
    Case("mk-extra-css-remote", MKDOCS, "extra_css: http://evil.example/x.css", "E:line", mk("  - assets/archive.css", "  - assets/archive.css\n  - http://evil.example/x.css"), where=MK),
    Case("mk-directory-urls-false", MKDOCS, "use_directory_urls: false", "E:line", mk("use_directory_urls: true", "use_directory_urls: false"), where=MK),
    Case("mk-inherit", MKDOCS, "INHERIT: /etc/passwd (a traceback)", "E:line", edit(MK, "site_name:", "INHERIT: /etc/passwd\nsite_name:"), ("build",), where=MK),
    Case("mk-invalid-utf8", MKDOCS, "mkdocs.yml not UTF-8", "E:file", lambda r: w(MK, (r / MK).read_bytes() + b"\n# caf\xe9\n")(r), where=MK),
]

CLI = "command line"
CASES += [
    Case("cli-build-root-relative", CLI, "build --root archive, a relative path (MkDocs was given the wrong -f)", "A", None, ("build", "--root", "archive"), cwd="parent"),
    Case("cli-check-root-relative", CLI, "check --root archive", "A", None, ("check", "-q", "--root", "archive"), cwd="parent"),
    Case("cli-build-planted-package", CLI, "a generator/ package in the archive's folder (a child process run in it could import it)", "A", chain(fm("title: Harbour reopens again\n"), w("generator/__init__.py", ""), w("generator/util/__init__.py", ""), w("generator/util/walk.py", "open('PLANTED-CODE-RAN', 'w').close()\n")), ("build",), probe=nothing_at("PLANTED-CODE-RAN")),
    Case("cli-build-umask-077", CLI, "build under umask 077 (site/ was 0700)", "A", fm("title: Harbour reopens again\n"), ("build",), umask=0o077, probe=readable_site),
    Case("cli-build-root-file", CLI, "build --root a file", "E", None, ("build", "--root", "mkdocs.yml"), where="--root"),
    Case("cli-build-root-missing", CLI, "build --root a folder that does not exist", "E", None, ("build", "--root", "nope"), where="nope/"),
    Case("cli-check-root-empty", CLI, "check --root an empty folder", "E", mkdir("empty"), ("check", "--root", "empty"), where="empty/"),
    Case("cli-generate-list-written", CLI, "generate --list-written after a change", "A", fm("title: Harbour reopens again\n"), ("generate", "--list-written"), probe=said(r"written: articles/probe/index\.md")),
    Case("cli-unknown-option", CLI, "check --frobnicate", "E", None, ("check", "--frobnicate"), where="--frobnicate"),
    Case("cli-unknown-command", CLI, "archive publish", "E", None, ("publish",), where="publish"),
    Case("cli-engine-bogus", CLI, "build --engine bogus", "E", None, ("build", "--engine", "bogus"), where="--engine"),
    Case("cli-serve-port-zero", CLI, "serve --port 0", "E", None, ("serve", "--port", "0"), where="--port"),
    Case("cli-serve-port-huge", CLI, "serve --port 70000", "E", None, ("serve", "--port", "70000"), where="--port"),
    Case("cli-bench-sizes-bad", CLI, "bench --sizes abc", "E", None, ("bench", "--sizes", "abc"), where="--sizes"),
    Case("cli-entities-broken-registry", CLI, "entities --unlinked with a broken registry", "E:line", w(REG, "entities: [unclosed\n"), ("entities", "--unlinked"), where=REG),
    Case("cli-hooks-install-keep-0", CLI, "hooks install --keep 0", "E", None, ("hooks", "install", ".", "--publish", "www", "--keep", "0"), where="--keep"),
    Case("cli-hooks-install-not-bare", CLI, "hooks install on a folder that is no repository", "E", None, ("hooks", "install", ".", "--publish", "../www"), where="not a bare git repository"),
    Case("cli-hooks-install-branch-spaces", CLI, "hooks install --branch 'no such branch'", "E", None, ("hooks", "install", "{repo}", "--publish", "www", "--branch", "no such branch"), where="--branch 'no such branch'"),
    Case("cli-hooks-install-branch-dots", CLI, "hooks install --branch 'a..b'", "E", None, ("hooks", "install", "{repo}", "--publish", "www", "--branch", "a..b"), where="--branch 'a..b'"),
    Case("cli-hooks-install-publish-dir", CLI, "hooks install --publish an existing folder", "E", None, ("hooks", "install", "{repo}", "--publish", "site"), where="site: already exists"),
    Case("cli-add-title-blank", CLI, "add --title ' '", "E", w("in.txt", PROBE_BODY), ("add", "in.txt", "--title", " "), where="title"),
    Case("cli-add-title-empty", CLI, "add --title ''", "E", w("in.txt", PROBE_BODY), ("add", "in.txt", "--title", ""), where="title"),
    Case("cli-add-author-blank", CLI, "add --author ' '", "E", w("in.txt", IN_TXT), ("add", "in.txt", "--author", " "), where="--author"),
    Case("cli-add-url-ftp", CLI, "add --url ftp://x", "E", w("in.txt", IN_TXT), ("add", "in.txt", "--url", "ftp://example.org/x"), where="--url"),
    Case("cli-add-date-feb-30", CLI, "add --date 2017-02-30", "E", w("in.txt", IN_TXT), ("add", "in.txt", "--date", "2017-02-30"), where="--date"),
    Case("cli-add-language-bad", CLI, "add --language 'EN US'", "E", w("in.txt", IN_TXT), ("add", "in.txt", "--language", "EN US"), where="--language"),
    Case("cli-add-stdin-empty", CLI, "add - with nothing on standard input", "E", None, ("add", "-"), stdin=""),
    Case("cli-add-binary-txt", CLI, "add a .txt that is a PNG", "E", w("in.txt", b"\x89PNG\r\n\x1a\n\x00\x00"), ("add", "in.txt"), where="in.txt"),
    Case("cli-add-missing-file", CLI, "add a file that does not exist", "E", None, ("add", "no-such-file.txt"), where="no-such-file.txt"),
    Case("cli-add-articles-file", CLI, "add when articles is a file", "E", chain(w("in.txt", IN_TXT), to_file("articles")), ("add", "in.txt"), where="articles"),
    Case("cli-add-sde-huge", CLI, "add with SOURCE_DATE_EPOCH=99999999999999", "E", w("in.txt", IN_TXT), ("add", "in.txt"), env={"SOURCE_DATE_EPOCH": "99999999999999"}, where="SOURCE_DATE_EPOCH"),
    Case("cli-add-slug-year", CLI, "add --slug 2017 (said OK; the next build failed)", "E", w("in.txt", IN_TXT), ("add", "in.txt", "--slug", "2017"), where="--slug"),
    Case("cli-add-slug-undated", CLI, "add --slug undated", "E", w("in.txt", IN_TXT), ("add", "in.txt", "--slug", "undated"), where="--slug"),
    Case("cli-add-slug-250", CLI, "add --slug of 250 characters (a traceback)", "E", w("in.txt", IN_TXT), ("add", "in.txt", "--slug", "b" * 250), where="--slug"),
    Case("cli-add-slug-210", CLI, "add --slug of 210 characters (over the limit of 200)", "E", w("in.txt", IN_TXT), ("add", "in.txt", "--slug", "c" * 210), where="--slug"),
    Case("cli-note-source-ftp", CLI, "note add --source ftp://x (a traceback)", "E", None, note_add(source="ftp://example.org/x"), where="is not a web address"),
    Case("cli-note-body-over-limit", CLI, "note add --body of 2,001 characters (a traceback)", "E", None, note_add(body="x" * 2001), where="body is 2,001 characters long; the limit is 2,000"),
    Case("cli-note-quote-empty", CLI, "note add --quote '' (a traceback)", "E", None, note_add(quote=""), where="quote is empty"),
    Case("cli-note-author-empty", CLI, "note add --author '' (a traceback)", "E", None, note_add("--author", ""), where="author is empty"),
    Case("cli-note-outside-archive", CLI, "note add ../outside.md (wrote outside the archive)", "E", lambda r: (r.parent / "outside.md").write_text(f"---\ntitle: Outside\n---\n\n{PROBE_BODY}"), note_add(article="../outside.md"), probe=nothing_at("../outside.notes.yml"), where="is not an article of the archive"),
    Case("cli-note-beside-original", CLI, "note add articles/originals/probe.txt (wrote where the build never reads)", "E", chain(mkdir("articles/originals"), w("articles/originals/probe.txt", IN_TXT)), note_add(article="articles/originals/probe.txt"), probe=nothing_at("articles/originals/probe.notes.yml"), where="is not an article of the archive"),
    Case("cli-note-id-bad", CLI, "note add --id Bad", "E", None, note_add("--id", "Bad"), where="Bad"),
    Case("cli-note-body-js", CLI, "note add --body '[x](javascript:alert(1))'", "E", None, note_add(body="[x](javascript:alert(1))"), where="javascript"),
    Case("cli-note-unknown-article", CLI, "note add to an article that does not exist", "E", None, note_add(article="no-such-article"), where="no-such-article"),
    Case("cli-note-quote-missing", CLI, "note add with a quote not in the article", "E", None, note_add(quote="words the article does not have"), where="quote"),
    Case("cli-note-into-broken-file", CLI, "note add when the notes file is broken", "E", w(PROBE_NOTES, "- [unclosed\n"), note_add(), where=PROBE_NOTES),
    Case("cli-note-notes-is-dir", CLI, "note add when probe.notes.yml is a folder (a traceback)", "E", mkdir(PROBE_NOTES), note_add(), where=f"{PROBE_NOTES}: this is a folder"),
]

CACHE_CH = "cache (.archive-cache)"
CASES += [
    Case("cache-dir-is-file", CACHE_CH, ".archive-cache is a file (build: a traceback)", "E:file", to_file(CACHE), ("build",), where=CACHE),
    Case("cache-dir-is-file-check", CACHE_CH, ".archive-cache is a file (check)", "E:file", to_file(CACHE), where=CACHE),
    Case("cache-dir-is-file-generate", CACHE_CH, ".archive-cache is a file (generate)", "E:file", to_file(CACHE), ("generate",), where=CACHE),
    Case("cache-dir-dangling-link", CACHE_CH, ".archive-cache a link to nothing", "E:file", chain(rm(CACHE), symlink(CACHE, "/nonexistent-cache")), ("generate",), where=CACHE),
    Case("cache-mentions-is-file", CACHE_CH, ".archive-cache/mentions is a file (a traceback)", "W", chain(to_file(f"{CACHE}/mentions"), no_state), ("generate",), where=f"{CACHE}/mentions"),
    Case("cache-state-is-dir", CACHE_CH, ".archive-cache/state.json is a folder (a traceback)", "W", chain(to_dir(f"{CACHE}/state.json"), fm("title: Harbour reopens again\n")), ("build",), where=f"{CACHE}/state.json"),
    Case("cache-state-is-dir-check", CACHE_CH, "the same, check", "W", to_dir(f"{CACHE}/state.json"), where=f"{CACHE}/state.json"),
    Case("cache-state-garbage", CACHE_CH, "state.json is not JSON", "A", w(f"{CACHE}/state.json", "{{{"), ("generate",)),
    Case("cache-state-wrong-types", CACHE_CH, "state.json with values of the wrong types", "A", w(f"{CACHE}/state.json", json.dumps({"context": 1, "inputs": [], "files": "x", "warnings": 5, "articles": "many", "content": None})), ("generate",)),
    Case("cache-entry-beyond", CACHE_CH, "a cached mention at 500–600 of a 150-character block", "W", forge(lambda d: [d[0] + [mention(500, 600, "Obama", "barack-obama")], d[1]]), ("generate",), where=f"{CACHE}/mentions"),
    Case("cache-entry-negative", CACHE_CH, "a cached mention at −5–3", "W", forge(lambda d: [d[0] + [mention(-5, 3, "Obama", "barack-obama")], d[1]]), ("generate",), where=f"{CACHE}/mentions"),
    Case("cache-entry-reversed", CACHE_CH, "a cached mention with start after end", "W", forge(lambda d: [d[0] + [mention(20, 10, "Obama", "barack-obama")], d[1]]), ("generate",), where=f"{CACHE}/mentions"),
    Case("cache-entry-unknown-entity", CACHE_CH, "a cached mention of 'no-such-entity'", "W", forge(lambda d: [d[0] + [mention(4, 11, "harbour", "no-such-entity")], d[1]]), ("generate",), where=f"{CACHE}/mentions"),
    Case("cache-entry-wrong-words", CACHE_CH, "'harbour' (4–11) filed as Barack Obama (was linked)", "W", forge(lambda d: [d[0] + [mention(4, 11, "Obama", "barack-obama")], d[1]]), ("generate",), where=f"{CACHE}/mentions", probe=no_match("articles/probe", r'href="[^"]*entities/barack-obama/"[^>]*>harbour<', "'harbour' linked to Barack Obama")),
    Case("cache-entry-text-mismatch", CACHE_CH, "'Obama' at the offsets of 'harbour' (was listed as unlinked)", "W", forge(lambda d: [d[0] + [mention(4, 11, "Obama", "")], d[1]]), ("entities", "--unlinked"), where=f"{CACHE}/mentions", probe=not_said(r"\bObama\b.*\n.*harbour")),
    Case("cache-entry-overlap", CACHE_CH, "two cached mentions overlapping", "W", forge(lambda d: [d[0] + [mention(4, 11, "harbour", ""), mention(7, 19, "bour at Port", "")], d[1]]), ("generate",), where=f"{CACHE}/mentions"),
    Case("cache-entry-string-offsets", CACHE_CH, "cached offsets as strings (a traceback)", "W", forge(lambda d: [d[0] + [["4", "11", "harbour", "PERSON", "", 0, 10]], d[1]]), ("generate",), where=f"{CACHE}/mentions"),
    Case("cache-entry-huge-offset", CACHE_CH, "a cached offset of 10**30", "W", forge(lambda d: [d[0] + [mention(10**30, 10**30 + 1, "x", "")], d[1]]), ("generate",), where=f"{CACHE}/mentions"),
    Case("cache-entry-bad-label", CACHE_CH, "a cached mention labelled 'EVIL'", "W", forge(lambda d: [d[0] + [mention(4, 11, "harbour", "", label="EVIL")], d[1]]), ("generate",), where=f"{CACHE}/mentions"),
    Case("cache-entry-sentence-outside", CACHE_CH, "a cached sentence beyond the block", "W", forge(lambda d: [d[0] + [mention(4, 11, "harbour", "", sentence=(0, 9999))], d[1]]), ("generate",), where=f"{CACHE}/mentions"),
    Case("cache-entry-blocks", CACHE_CH, "a cached entry with one block too many", "W", forge(lambda d: [*d, []]), ("generate",), where=f"{CACHE}/mentions"),
    Case("cache-entry-not-list", CACHE_CH, "a cached entry that is a mapping", "W", forge(lambda d: {"a": 1}), ("generate",), where=f"{CACHE}/mentions"),
    Case("cache-entry-is-dir", CACHE_CH, "a cache entry that is a folder (a traceback)", "A", entry_as("dir"), ("generate",)),
    Case("cache-shard-is-file", CACHE_CH, "a cache shard (mentions/ab) that is a file (a traceback)", "A", entry_as("shard-file"), ("generate",)),
    Case("cache-entry-garbage", CACHE_CH, "a cache entry of binary garbage", "A", entry_as("garbage"), ("generate",)),
    Case("cache-entry-empty", CACHE_CH, "an empty cache entry", "A", entry_as("empty"), ("generate",)),
    Case("cache-outside-link", CACHE_CH, ".archive-cache a link to a folder outside", "A", chain(rm(CACHE), lambda r: (r.parent / "cache-outside").mkdir(), symlink(CACHE, "../cache-outside")), ("generate",)),
    Case("cache-lock-is-dir", CACHE_CH, ".archive-cache/build.lock is a folder", "E:file", to_dir(f"{CACHE}/build.lock"), ("generate",), where=f"{CACHE}/build.lock"),
]

ENV = "environment variables"
CASES += [
    Case("env-page-size-abc", ENV, "ARCHIVE_PAGE_SIZE=abc (was ignored)", "E", None, ("generate",), env={"ARCHIVE_PAGE_SIZE": "abc"}, where="ARCHIVE_PAGE_SIZE"),
    Case("env-page-size-negative", ENV, "ARCHIVE_PAGE_SIZE=-5", "E", None, ("generate",), env={"ARCHIVE_PAGE_SIZE": "-5"}, where="ARCHIVE_PAGE_SIZE"),
    Case("env-page-size-one", ENV, "ARCHIVE_PAGE_SIZE=1 (was raised to 2 without a word)", "E", None, ("generate",), env={"ARCHIVE_PAGE_SIZE": "1"}, where="ARCHIVE_PAGE_SIZE"),
    Case("env-page-size-huge", ENV, "ARCHIVE_PAGE_SIZE of 5,000 digits", "E", None, ("generate",), env={"ARCHIVE_PAGE_SIZE": "9" * 5000}, where="ARCHIVE_PAGE_SIZE"),
    Case("env-page-size-ok", ENV, "ARCHIVE_PAGE_SIZE=' 10 ' (spaces around a number)", "A", None, ("check", "-q"), env={"ARCHIVE_PAGE_SIZE": " 10 "}),
    Case("env-processes-abc", ENV, "ARCHIVE_PROCESSES=abc", "E", None, ("check", "-q"), env={"ARCHIVE_PROCESSES": "abc"}, where="ARCHIVE_PROCESSES"),
    Case("env-pagefind-threshold-abc", ENV, "ARCHIVE_PAGEFIND_THRESHOLD=abc", "E", None, ("build",), env={"ARCHIVE_PAGEFIND_THRESHOLD": "abc"}, where="ARCHIVE_PAGEFIND_THRESHOLD"),
    Case("env-pagefind-shard-zero", ENV, "ARCHIVE_PAGEFIND_SHARD=0", "E", None, ("build",), env={"ARCHIVE_PAGEFIND_SHARD": "0"}, where="ARCHIVE_PAGEFIND_SHARD"),
    Case("env-sde-abc", ENV, "SOURCE_DATE_EPOCH=abc (was ignored)", "E", None, ("build",), env={"SOURCE_DATE_EPOCH": "abc"}, where="SOURCE_DATE_EPOCH"),
    Case("env-sde-huge", ENV, "SOURCE_DATE_EPOCH=99999999999999 (after the year 9999: a traceback)", "E", None, ("build",), env={"SOURCE_DATE_EPOCH": "99999999999999"}, where="SOURCE_DATE_EPOCH"),
    Case("env-sde-negative", ENV, "SOURCE_DATE_EPOCH=-1", "E", None, ("build",), env={"SOURCE_DATE_EPOCH": "-1"}, where="SOURCE_DATE_EPOCH"),
    Case("env-engine-bogus", ENV, "ARCHIVE_ENGINE=bogus", "E", None, ("build",), env={"ARCHIVE_ENGINE": "bogus"}, where="ARCHIVE_ENGINE"),
    Case("env-model-missing", ENV, "ARCHIVE_SPACY_MODEL=no_such_model", "E", None, ("check", "-q"), env={"ARCHIVE_SPACY_MODEL": "no_such_model"}, where="no_such_model"),
]

HOOKS = "publishing hooks"
PRE = ("hooks", "pre-receive", "--publish", "{www}", "--branch", "refs/heads/main")
CASES += [
    Case("hook-code-generator", HOOKS, "a push adding generator/__main__.py (its code ran on the server)", "E", None, PRE, stdin=f"{ZERO} {{code}} refs/heads/main\n", cwd="repo", where="generator/__main__.py", probe=nothing_at("../PUSHED-CODE-RAN")),
    Case("hook-code-hooks", HOOKS, "a push changing hooks/archive.py", "E", None, PRE, stdin=f"{ZERO} {{hooks}} refs/heads/main\n", cwd="repo", where="hooks/archive.py"),
    Case("hook-code-overrides", HOOKS, "a push changing a theme template (overrides/main.html)", "E", None, PRE, stdin=f"{ZERO} {{overrides}} refs/heads/main\n", cwd="repo", where="overrides/main.html"),
    Case("hook-code-mkdocs-hooks", HOOKS, "a push naming another MkDocs hook file", "E", None, PRE, stdin=f"{ZERO} {{mkhooks}} refs/heads/main\n", cwd="repo", where="mkdocs.yml (hooks)"),
    Case("hook-code-plugins", HOOKS, "a push changing mkdocs.yml's plugins", "E", None, PRE, stdin=f"{ZERO} {{plugins}} refs/heads/main\n", cwd="repo", where="mkdocs.yml (plugins)"),
    Case("hook-code-inherit", HOOKS, "a push adding INHERIT to mkdocs.yml", "E", None, PRE, stdin=f"{ZERO} {{inherit}} refs/heads/main\n", cwd="repo", where="mkdocs.yml (INHERIT)"),
    Case("hook-code-extensions", HOOKS, "a push adding a Markdown extension", "E", None, PRE, stdin=f"{ZERO} {{extension}} refs/heads/main\n", cwd="repo", where="mkdocs.yml (markdown_extensions)"),
    Case("hook-code-allowed", HOOKS, "the same generator/ push, with --allow-code-changes", "A", None, (*PRE, "--allow-code-changes"), stdin=f"{ZERO} {{code}} refs/heads/main\n", cwd="repo", probe=lambda r, o: None if (r.parent / "PUSHED-CODE-RAN").is_file() else "the allowed code did not run"),
    Case("hook-code-allowed-no-generator", HOOKS, "a hooks/ change with --allow-code-changes, in a tree without generator/: checked by the installed one", "A", None, (*PRE, "--allow-code-changes"), stdin=f"{ZERO} {{hooks}} refs/heads/main\n", cwd="repo", probe=said(r"checked, no problems found")),
    Case("hook-unpublished-branch", HOOKS, "a push to draft (accepted without a word)", "A", None, PRE, stdin=f"{ZERO} {{code}} refs/heads/draft\n", cwd="repo", probe=said(r"archive: draft is not published \(this server publishes main\)")),
    Case("hook-tag", HOOKS, "a pushed tag", "A", None, PRE, stdin=f"{ZERO} {{main}} refs/tags/v1\n", cwd="repo", probe=said(r"refs/tags/v1 is not published")),
    Case("hook-delete-published", HOOKS, "the published branch deleted", "A", None, PRE, stdin=f"{{main}} {ZERO} refs/heads/main\n", cwd="repo", probe=said("main was deleted; the site online does not change")),
    Case("hook-unknown-commit", HOOKS, "a commit the repository does not have", "E", None, PRE, stdin=f"{ZERO} {'1' * 40} refs/heads/main\n", cwd="repo", where="could not export commit"),
    Case("hook-stdin-garbage", HOOKS, "standard input that is not ref updates", "A", None, PRE, stdin="garbage\n\x00\xff\n", cwd="repo"),
    Case("hook-follow-first-branch", HOOKS, "no --branch, an empty default branch, a push to draft: draft is checked", "E", None, PRE[:4], stdin=f"{ZERO} {{code}} refs/heads/draft\n", cwd="empty-repo", where="generator/__main__.py"),
    Case("hook-releases-not-writable", HOOKS, "the publish path's folder is a file", "E", None, ("hooks", "post-receive", "--publish", "{repo}/../not-a-folder/archive", "--branch", "refs/heads/main"), stdin=f"{ZERO} {{main}} refs/heads/main\n", cwd="repo", where="the post-receive hook could not run"),
    Case("hook-post-receive-other-branch", HOOKS, "post-receive for an unpublished branch", "A", None, ("hooks", "post-receive", "--publish", "{www}", "--branch", "refs/heads/main"), stdin=f"{ZERO} {{main}} refs/heads/draft\n", cwd="repo", probe=nothing_at("../www.releases")),
]
# fmt: on


# --- the runner -------------------------------------------------------------------------------------


def _signature(site: Path) -> list[tuple[str, int, int, int]]:
    """What tells two states of site/ apart cheaply: every entry's path, inode, size and time
    (the copies share the built site's files as hard links, so an untouched site/ is the same)."""
    out = []
    for path in sorted(site.rglob("*")):
        stat = path.lstat()
        out.append((path.relative_to(site).as_posix(), stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return out


def _clone(base: Path, dest: Path) -> None:
    """A copy of the built archive *base*: sources, docs and cache copied, ``site/`` hard-linked."""
    shutil.copytree(base, dest, symlinks=True, ignore=lambda folder, names: ["site"] if Path(folder) == base else [])
    shutil.copytree(base / "site", dest / "site", symlinks=True, copy_function=os.link)


def _git(*args: str, cwd: Path) -> str:
    return git(*args, cwd=cwd).stdout.strip()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled archive plus the probe article, built once."""
    root = copy_project(tmp_path_factory.mktemp("catalogue") / "archive")
    w(PROBE, f"---\n{PROBE_FRONT}---\n\n{PROBE_BODY}")(root)
    run_archive("build", cwd=root, check=True)
    return root


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """A bare repository holding the archive on ``main`` and one branch per code change; an empty
    bare repository (its default branch has no commits); the commits, by name."""
    top = tmp_path_factory.mktemp("catalogue-repos")
    bare, empty, work = top / "archive.git", top / "empty.git", top / "work"
    _git("init", "-q", "--bare", "-b", "main", str(bare), cwd=top)
    _git("init", "-q", "--bare", "-b", "main", str(empty), cwd=top)
    _git("init", "-q", "-b", "main", str(work), cwd=top)
    copy_project(work)
    _git("add", "-A", cwd=work)
    _git("commit", "-q", "-m", "The archive", cwd=work)
    shas = {"main": _git("rev-parse", "HEAD", cwd=work)}
    marker = top / "PUSHED-CODE-RAN"
    config = (work / MK).read_text(encoding="utf-8")
    changes = {
        "code": {
            "generator/__init__.py": "",
            "generator/__main__.py": f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n",
        },
        "hooks": {"hooks/archive.py": (work / "hooks/archive.py").read_text() + "\nimport os  # a pushed change\n"},
        "overrides": {"overrides/main.html": (work / "overrides/main.html").read_text() + "\n{# a pushed change #}\n"},
        "mkhooks": {
            MK: config.replace("  - hooks/archive.py\n", "  - hooks/archive.py\n  - hooks/extra.py\n"),
            "hooks/extra.py": "import os\n",
        },
        "plugins": {MK: config.replace("  - archive\n", "  - archive\n  - offline\n")},
        "inherit": {MK: "INHERIT: base.yml\n" + config, "base.yml": "hooks: [hooks/extra.py]\n"},
        "extension": {MK: config.replace("  - admonition\n", "  - admonition\n  - abbr\n")},
    }
    for name, files in changes.items():
        _git("checkout", "-q", "-b", name, "main", cwd=work)
        for rel, text in files.items():
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            (work / rel).write_text(text, encoding="utf-8")
        _git("add", "-A", cwd=work)
        _git("commit", "-q", "-m", name, cwd=work)
        shas[name] = _git("rev-parse", "HEAD", cwd=work)
    _git("push", "-q", str(bare), "--all", cwd=work)
    (top / "not-a-folder").write_text("a file where the publish path's folder should be\n")
    _git("push", "-q", str(empty), "code:draft", cwd=work)
    return bare, empty, shas


def _invoke(args: list[str], cwd: Path, stdin: str | None) -> tuple[int, str]:
    from click.testing import CliRunner

    from generator.cli import cli

    before = os.getcwd()
    os.chdir(cwd)
    try:
        outcome = CliRunner().invoke(cli, args, prog_name="archive", input=stdin)
    finally:
        os.chdir(before)
    output = outcome.stdout + outcome.stderr
    if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
        output += "".join(traceback.format_exception(outcome.exception))
    return outcome.exit_code, output


def _verdict(case: Case, code: int, output: str) -> str | None:
    """What is wrong with the run of *case*, or None."""
    if "Traceback (most recent call last)" in output:
        return "a traceback"
    named = case.where is None or case.where in output
    if case.expect == "A":
        return None if code == 0 else "refused"
    if case.expect == "W":
        warned = code == 0 and re.search(r"^warning: .*" + re.escape(case.where or ""), output, re.M)
        return None if warned or (code != 0 and named) else "no warning naming " + repr(case.where)
    if code == 0:
        return "accepted"
    if case.expect == "E:line":
        return None if re.search(re.escape(case.where or "") + r":\d+", output) else f"no {case.where}:<line>"
    return None if named else f"the message does not name {case.where!r}"


def _params() -> list[object]:
    return [pytest.param(case, id=case.id) for case in CASES]


def test_the_catalogue_covers_every_channel() -> None:
    assert len(CASES) >= 150
    assert len({case.id for case in CASES}) == len(CASES)
    assert {case.channel for case in CASES} == {
        ARTICLES,
        FRONT,
        NOTES,
        REGISTRY,
        RULES_CH,
        MKDOCS,
        CLI,
        CACHE_CH,
        ENV,
        HOOKS,
    }


@pytest.mark.parametrize("case", _params())
def test_hostile_input(
    case: Case, base: Path, repos: tuple[Path, Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare, empty, shas = repos
    root = tmp_path / "archive"
    _clone(base, root)
    before = _signature(root / "site")
    if case.setup is not None:
        case.setup(root)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    places = {"root": root, "parent": tmp_path, "repo": bare, "empty-repo": empty}
    hook = case.cwd in ("repo", "empty-repo")
    # The hook cases share the repositories' folder: the pushed code's marker and the publish path are there.
    probe_root = bare.parent / "archive" if hook else root
    args = [a.format(root=root, repo=bare, www=probe_root.parent / "www") for a in case.args]
    stdin = case.stdin.format(**shas) if case.stdin is not None else None
    if hook:
        (bare.parent / "PUSHED-CODE-RAN").unlink(missing_ok=True)
    old_umask = os.umask(case.umask) if case.umask is not None else None
    try:
        code, output = _invoke(args, places[case.cwd], stdin)
    finally:
        if old_umask is not None:
            os.umask(old_umask)
    wrong = _verdict(case, code, output)
    assert wrong is None, f"{case.value}: {wrong} (exit {code})\n{output[-3000:]}"
    if not (code == 0 and args[0] == "build"):  # a build that succeeded replaces site/
        assert _signature(root / "site") == before, f"{case.value}: site/ changed\n{output[-2000:]}"
    if case.probe is not None:
        found = case.probe(probe_root, output)
        assert found is None, f"{case.value}: {found}\n{output[-2000:]}"
