# ruff: noqa: E501  (the catalogue reads best as one case per line)
"""A catalogue of malformed inputs: each stops the build with a message naming the file (and the
line, where there is one), without a traceback, and leaves the previously built site untouched,
byte for byte."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import REPO, copy_project, run_archive

pytestmark = pytest.mark.slow

A = "articles/us-military-considers-re-establishing-presence-in-libya.md"
"""A bundled article the cases break."""


def _write(rel: str, data: str | bytes) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return setup


def _article(front: str, body: str = "Some text of the article, long enough to be kept.\n") -> str:
    return f"---\n{front}---\n\n{body}"


def _edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return setup


def _symlink(rel: str, target: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        os.symlink(root / target, root / rel)

    return setup


def _fifo(rel: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        os.mkfifo(root / rel)

    return setup


def _remove(rel: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / rel
        shutil.rmtree(path) if path.is_dir() else path.unlink()

    return setup


def _fifo_instead(rel: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        (root / rel).unlink()
        os.mkfifo(root / rel)

    return setup


def _both(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        for step in setups:
            step(root)

    return setup


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
RULES = "rules/newsroom.yml"
GR = "rules/globalresearch.yml"


def _line(rel: str, text: str) -> int:
    """The line of the bundled file *rel* holding *text* (so that the cases follow the rules files)."""
    lines = (REPO / rel).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def _rule(rel: str, text: str, *lines: str) -> str:
    """A rules file *rel* whose blocks are *lines* (each a rule given as one YAML flow mapping)."""
    return text + "".join(f"  - {line}\n" for line in lines)


LOCK = A.replace(".md", ".anchors.yml")
"""The bundled article's anchors lock file, as the build wrote it."""
FIX_LOCK = "restore it from git, or delete it and run 'archive generate' again"


@dataclass(frozen=True)
class Case:
    """One malformed input and what the build must say about it."""

    id: str
    setup: Callable[[Path], None]
    message: str
    """Expected in the output, starting with the location (``path:line:`` where there is a line)."""
    args: tuple[str, ...] = ()


# fmt: off
CASES = [
    # --- article files: encoding, size, kind
    Case("invalid-utf8", _write("articles/bad.md", b"---\ntitle: x\n---\n\ncaf\xe9 latin-1 text\n"), "articles/bad.md:5: invalid UTF-8 at byte 21; save the file as UTF-8"),
    Case("latin1-title", _write("articles/bad.md", b"---\ntitle: Caf\xe9\n---\n\nText.\n"), "articles/bad.md:2: invalid UTF-8"),
    Case("nul-byte", _write("articles/bad.md", b"---\ntitle: x\n---\n\nText\x00more\n"), "articles/bad.md:5: the file is binary (it contains NUL bytes)"),
    Case("png-file", _write("articles/bad.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "articles/bad.md:3: the file is binary"),
    Case("utf16-file", _write("articles/bad.md", "---\ntitle: x\n---\n\nText\n".encode("utf-16")), "articles/bad.md:1: the file is binary"),
    Case("empty-file", _write("articles/bad.md", b""), "articles/bad.md: the file is empty"),
    Case("blank-file", _write("articles/bad.md", b"  \n\n\t\n"), "articles/bad.md: the file is empty"),
    Case("huge-file", _write("articles/bad.md", b"word " * 500_000), "articles/bad.md: the file is 2,500,000 bytes, larger than the limit of 2,000,000"),
    Case("fifo", _fifo("articles/pipe.md"), "articles/pipe.md: not a regular file"),
    Case("symlinked-article", _symlink("articles/link.md", A), "articles/link.md: symbolic links are not read"),
    Case("symlink-loop", _symlink("articles/loop.md", "articles/loop.md"), "articles/loop.md: symbolic links are not read"),
    Case("folder-in-articles", _write("articles/sub/x.md", "x"), "articles/sub: unexpected folder"),
    Case("wrong-extension", _write("articles/x.html", "<p>x</p>"), "articles/x.html: not an article file"),
    Case("upper-extension", _write("articles/x.MD", "x"), "articles/x.MD: not an article file"),
    Case("orphan-notes", _write("articles/ghost.notes.yml", "notes: []\n"), "articles/ghost.notes.yml: notes file for a missing article"),
    Case("no-articles-folder", _remove("articles"), "articles: the articles folder does not exist"),
    # --- slugs
    Case("slug-uppercase", _write("articles/Bad-Name.md", _article("title: x\n")), "articles/Bad-Name.md: file name 'Bad-Name.md' is not a valid slug"),
    Case("slug-space", _write("articles/bad name.md", _article("title: x\n")), "articles/bad name.md: file name 'bad name.md' is not a valid slug"),
    Case("slug-dots", _write("articles/bad..name.md", _article("title: x\n")), "is not a valid slug"),
    Case("slug-unicode", _write("articles/café.md", _article("title: x\n")), "articles/café.md: file name 'café.md' is not a valid slug"),
    Case("slug-leading-hyphen", _write("articles/-x.md", _article("title: x\n")), "articles/-x.md: file name '-x.md' is not a valid slug"),
    Case("slug-reserved", _write("articles/index.md", _article("title: x\n")), "articles/index.md: the slug 'index' is reserved"),
    Case("slug-twice", _write(A.replace(".md", ".txt"), _article("title: x\n")), "us-military-considers-re-establishing-presence-in-libya.txt: two article files have the slug"),
    # --- front matter
    Case("front-unclosed", _write("articles/bad.md", "---\ntitle: x\n\nText.\n"), "articles/bad.md:1: front matter is not closed"),
    Case("front-list", _write("articles/bad.md", _article("- a\n- b\n")), "articles/bad.md:2: front matter must be a mapping"),
    Case("front-syntax", _write("articles/bad.md", _article("title: x\n  author: : y\n")), "articles/bad.md:3: the value of 'author' contains a colon followed by a space"),
    Case("front-duplicate-key", _write("articles/bad.md", _article("title: a\nauthor: b\ntitle: c\n")), "articles/bad.md:4: 'title' is written twice in the file; keep one"),
    Case("front-unknown-key", _write("articles/bad.md", _article("title: x\nautor: y\n")), "articles/bad.md:3: front matter: autor: unknown field (a misspelling?); the fields are: title, date"),
    Case("front-empty-title", _write("articles/bad.md", _article('title: ""\n')), "articles/bad.md:2: front matter: title: empty; write its value after the colon"),
    Case("front-long-title", _write("articles/bad.md", _article(f"title: {'x' * 301}\n")), "articles/bad.md:2: front matter: title: String should have at most 300 characters"),
    Case("front-bad-date", _write("articles/bad.md", _article("title: x\ndate: 2017-13-45\n")), "articles/bad.md:3: invalid date '2017-13-45': month must be in 1..12"),
    Case("front-javascript-url", _write("articles/bad.md", _article("title: x\nurl: javascript:alert(1)\n")), "articles/bad.md:3: front matter: url: Value error, must be an http:// or https:// address"),
    Case("front-quote-in-url", _write("articles/bad.md", _article("title: x\nurl: 'https://e.org/\"onmouseover=\"x'\n")), "articles/bad.md:3: front matter: url: Value error, must be an http"),
    Case("front-ftp-original-url", _write("articles/bad.md", _article("title: x\noriginal_url: ftp://e.org/x\n")), "articles/bad.md:3: front matter: original_url: Value error"),
    Case("front-bad-language", _write("articles/bad.md", _article('title: x\nlanguage: "EN US"\n')), "articles/bad.md:3: front matter: language: String should match pattern"),
    Case("front-bad-sha256", _write("articles/bad.md", _article("title: x\nsha256: abc\n")), "articles/bad.md:3: front matter: sha256: String should match pattern"),
    Case("front-tags-not-list", _write("articles/bad.md", _article("title: x\ntags: libya\n")), "articles/bad.md:3: front matter: tags: must be a list: write [\"first\", \"second\"]"),
    Case("front-python-tag", _write("articles/bad.md", _article('title: !!python/object/apply:os.system ["id"]\n')), "articles/bad.md:2: YAML tags such as 'tag:yaml.org,2002:python/object/apply:os.system' are not allowed"),
    Case("front-custom-tag", _write("articles/bad.md", _article("title: !shout x\n")), "articles/bad.md:2: YAML tags such as '!shout' are not allowed"),
    Case("front-binary-tag", _write("articles/bad.md", _article("title: !!binary PHNjcmlwdD4=\n")), "articles/bad.md:2: YAML tags such as 'tag:yaml.org,2002:binary' are not allowed"),
    Case("front-alias-bomb", _write("articles/bad.md", _article(BOMB)), "articles/bad.md:2: YAML anchors and aliases (&name, *name, <<) are not allowed"),
    Case("front-anchor", _write("articles/bad.md", _article("title: &t x\nauthor: *t\n")), "articles/bad.md:2: YAML anchors and aliases"),
    Case("front-deep-nesting", _write("articles/bad.md", _article("title: " + "[" * 5000 + "]" * 5000 + "\n")), "articles/bad.md:2: YAML is nested more than 32 levels deep"),
    Case("front-too-large", _write("articles/bad.md", _article("title: x\n" + "# padding\n" * 110_000)), "articles/bad.md: YAML is larger than 1000000 bytes"),
    Case("front-no-body", _write("articles/bad.md", "---\ntitle: x\n---\n\n"), "articles/bad.md:4: the article has front matter but no text below it"),
    Case("no-title", _write("articles/bad.md", _article("author: x\n", "Then text, not a headline.\n")), "articles/bad.md:1: the article has no title", ("--strict",)),
    Case("nothing-left", _write("articles/bad.md", _article("title: x\n", "Copyright © 2017 Somebody\n")), "articles/bad.md:4: nothing is left of the article after cleaning (removed by 'copyright' 1 passage)"),
    # --- rules files
    Case("rules-syntax", _edit(RULES, "header_max_words: 25", "header_max_words: [25"), f"rules/newsroom.yml:{_line(RULES, 'header_max_words: 25')}: the value of 'header_max_words' starts with ["),
    Case("rules-bad-regex", _edit(GR, "match: '^Articles by:\\s'", "match: '^Articles by:(\\s'"), f"rules/globalresearch.yml:{_line(GR, 'id: articles-by')}: rule 'articles-by': invalid regular expression: missing ) at position 16"),
    Case("rules-unknown-group", _edit(GR, "(?P<publisher>", "(?P<writer>"), f"rules/globalresearch.yml:{_line(GR, 'id: publisher-dateline')}: rule 'publisher-dateline': unknown group 'writer'; use one of title, author"),
    Case("rules-bad-id", _edit(GR, "id: copyright", "id: Copyright"), f"rules/globalresearch.yml:{_line(GR, 'id: copyright')}: blocks.3.id: 'Copyright' is not a valid id"),
    Case("rules-unknown-key", _edit(GR, "    match: '^Disclaimer:\\s'", "    matches: '^Disclaimer:\\s'"), f"rules/globalresearch.yml:{_line(GR, 'id: disclaimer')}: blocks.7.match: missing; add this field"),
    Case("rules-duplicate-key", _edit(RULES, "header_max_words: 25", "header_max_words: 25\nheader_max_words: 30"), f"rules/newsroom.yml:{_line(RULES, 'header_max_words: 25') + 1}: 'header_max_words' is written twice in the file; keep one"),
    Case("rules-folder-missing", _remove("rules"), "rules: the cleaning rules folder does not exist"),
    Case("rules-not-utf8", _write(RULES, b"header: []\n# caf\xe9\n"), "rules/newsroom.yml: the cleaning rules are not UTF-8 text"),
    Case("rules-alias", _write(RULES, "x: &r {id: a}\nblocks: [*r]\n"), "rules/newsroom.yml:1: YAML anchors and aliases"),
    Case("rules-too-large", _write(RULES, "# padding\n" * 110_000), "rules/newsroom.yml: the cleaning rules are larger than 1,000,000 bytes"),
    Case("rules-symlink", _symlink("rules/linked.yml", RULES), "rules/linked.yml: symbolic links are not read"),
    Case("rules-empty-match", _write("rules/probe.yml", _rule("", "blocks:\n", "{id: probe-empty, description: d, match: 'x*'}")), "rules/probe.yml:2: rule 'probe-empty' matches an empty text"),
    Case("rules-example-unmatched", _write("rules/probe.yml", _rule("", "blocks:\n", "{id: probe, description: d, match: '^Share$', examples: [Share this]}")), "rules/probe.yml:2: rule 'probe' does not match its own example 'Share this'"),
    Case("rules-keep-matched", _write("rules/probe.yml", _rule("", "blocks:\n", "{id: probe, description: d, match: '^Share', keep: [Share prices fell.]}")), "rules/probe.yml:2: rule 'probe' matches 'Share prices fell.', which it must keep"),
    Case("rules-duplicate-id", _write("rules/probe.yml", _rule("", "blocks:\n", "{id: comments, description: d, match: '^Talk back$'}")), f"rules/probe.yml:2: rule id 'comments' is also used at rules/newsroom.yml:{_line(RULES, 'id: comments')}"),
    Case("rules-built-in-id", _write("rules/probe.yml", _rule("", "blocks:\n", "{id: byline, description: d, match: '^By '}")), "rules/probe.yml:2: rule id 'byline' is the cleaner's own"),
    Case("rules-group-in-blocks", _write("rules/probe.yml", _rule("", "blocks:\n", "{id: probe, description: d, match: '^By (?P<author>.+)$'}")), "rules/probe.yml:2: rule 'probe': only header rules read metadata"),
    Case("rules-empty-file", _write("rules/probe.yml", "# nothing yet\n"), "rules/probe.yml: this rules file has no rules: nothing is removed by it", ("--strict",)),
    Case("rules-empty-lists", _write("rules/probe.yml", "header: []\nblocks: []\ninline: []\n"), "rules/probe.yml: this rules file has no rules", ("--strict",)),
    Case("rules-not-yml", _write("rules/newsroom.yml.orig", "blocks: []\n"), "rules/newsroom.yml.orig: not a rules file (rules files are .yml files); it is not read", ("--strict",)),
    Case("rules-header-max-twice", _write("rules/probe.yml", "header_max_words: 40\nblocks: []\n"), "rules/probe.yml:1: header_max_words is 40 here but 25 in rules/newsroom.yml; give it in one rules file only"),
    # --- rules that change the article's words (warnings, errors under --strict)
    Case("rule-inline-inside-word", _write("rules/probe.yml", _rule("", "inline:\n", "{id: probe-on, description: d, match: 'on'}")), "rule 'probe-on' (rules/probe.yml:2) removed 'on' from inside the word", ("--strict",)),
    Case("rule-inline-mid-sentence", _write("rules/probe.yml", _rule("", "inline:\n", "{id: probe-states, description: d, match: '\\bStates\\b'}")), "rule 'probe-states' (rules/probe.yml:2) removed 'States' from the middle of a sentence", ("--strict",)),
    Case("rule-block-takes-paragraphs", _write("rules/probe.yml", _rule("", "blocks:\n", "{id: probe-libya, description: d, match: '\\bLibya\\b'}")), "rule 'probe-libya' (rules/probe.yml:2) removed", ("--strict",)),
    Case("rule-header-impossible-date", _write("articles/probe.md", "Probe headline about the harbour\n\nGlobal Research, February 30, 2017\n\n" + "The harbour reopened on Friday after a long winter of repairs, and the ferries returned to their old timetable at last.\n"), "articles/probe.md:3: rule 'publisher-dateline' read the date 'February 30, 2017', which is not a date of the calendar; the article is published without a date. Add date: YYYY-MM-DD to its front matter", ("--strict",)),
    Case("header-impossible-date", _write("articles/probe.md", "Probe headline about the harbour\n\nBy Probe Writer\nFebruary 30, 2017\n\n" + "The harbour reopened on Friday after a long winter of repairs, and the ferries returned to their old timetable at last.\n"), "articles/probe.md:4: the header gives the date 'February 30, 2017', which is not a date of the calendar; the article is published without a date", ("--strict",)),
    Case("rule-header-ambiguous-date", _write("articles/probe.md", "Probe headline about the harbour\n\nPublished 03/04/2024\n\n" + "The harbour reopened on Friday after a long winter of repairs, and the ferries returned to their old timetable at last.\n"), "articles/probe.md:3: the header gives the date '03/04/2024', but it reads as 3 April 2024 or as 4 March 2024", ("--strict",)),
    # --- anchors lock files (written by the build, committed, read by the next one: never trusted blindly)
    Case("lock-syntax", _write(LOCK, "version: 1\nnotes: [\n"), f"{LOCK}:3:1: YAML cannot read this"),
    Case("lock-merge-conflict", _edit(LOCK, "notes:\n", "<<<<<<< HEAD\nnotes:\n"), f"{LOCK}:9: this line is indented differently"),
    Case("lock-not-utf8", _write(LOCK, b"version: 1\nnotes: {}\n# caf\xe9\n"), f"{LOCK}: invalid UTF-8 at byte 26; the file is written by 'archive generate': {FIX_LOCK}"),
    Case("lock-not-a-mapping", _write(LOCK, "- version: 1\n"), f"{LOCK}:1: not an anchors file (a mapping with 'version' and 'notes')"),
    Case("lock-other-version", _edit(LOCK, "version: 1", "version: 7"), f"{LOCK}:7: version 7: this archive reads anchors files of version 1"),
    Case("lock-negative-offset", _edit(LOCK, "position: 95\n", "position: -95\n"), f"{LOCK}:16: note 'garbled-policy-sentence': position: Input should be greater than or equal to 0"),
    Case("lock-unknown-field", _edit(LOCK, "position: 95\n", "position: 95\n    trusted: yes\n"), f"{LOCK}:17: note 'garbled-policy-sentence': trusted: unknown field (a misspelling?)"),
    Case("lock-python-tag", _write(LOCK, "version: 1\nnotes: !!python/object/apply:os.system [id]\n"), f"{LOCK}:2: YAML tags such as"),
    Case("lock-alias-bomb", _write(LOCK, "version: 1\n" + BOMB), f"{LOCK}:2: YAML anchors and aliases"),
    Case("lock-edited-by-hand", _edit(LOCK, "position: 95\n", "position: 96\n"), f"{LOCK}:9: note 'garbled-policy-sentence': the entry does not fit the article text it was recorded on"),
    Case("lock-for-missing-article", _write("articles/ghost.anchors.yml", "version: 1\nnotes: {}\n"), "articles/ghost.anchors.yml: anchors file for a missing article"),
    Case("lock-symlinked", _both(_remove(LOCK), _symlink(LOCK, RULES)), f"{LOCK}: symbolic links are not read"),
    Case("lock-fifo", _fifo_instead(LOCK), f"{LOCK}: not a regular file"),
    Case("note-would-move", _both(_edit(A, "and Kalifa Haftar who", "and Marshal Haftar who"), _edit(A, "Sarraj and Haftar are", "Sarraj and Kalifa Haftar are")), f"{A.replace('.md', '.notes.yml')}:230:10: note 'haftar-spelling': the note would move: its place, line 19, now reads \"Marshal Haftar\""),
    Case("note-moved-strict", _edit(A, "Kalifa Haftar", "Khalifa Haftar"), "note 'haftar-spelling': moved: the note now marks \"Khalifa Haftar\"", ("--strict",)),
    Case("yaml-escape-beyond-unicode", _edit(A.replace(".md", ".notes.yml"), 'quote: "Kalifa Haftar"', 'quote: "Kalifa \\U0011ffff Haftar"'), f"{A.replace('.md', '.notes.yml')}: YAML cannot read this file (chr() arg not in range(0x110000))"),
    # --- docs folder
    Case("docs-symlink", _symlink("site_src/linked.md", RULES), "site_src/linked.md: symbolic links are not allowed in the docs folder"),
    Case("docs-svg", _write("site_src/assets/logo.svg", "<svg onload='alert(1)'/>"), "site_src/assets/logo.svg: files of type '.svg' are not published"),
    Case("docs-html", _write("site_src/page.html", "<script>alert(1)</script>"), "site_src/page.html: files of type '.html' are not published"),
    # --- invisible characters (warnings, errors under --strict)
    Case("bidi-override", _write("articles/bad.md", _article("title: x\n", "Pay \u202eredro\u202c now.\n")), "articles/bad.md:5:5: bidirectional control character U+202E (RIGHT-TO-LEFT OVERRIDE)", ("--strict",)),
    Case("bidi-isolate-title", _write("articles/bad.md", _article("title: a \u2066b\u2069\n")), "articles/bad.md:2:10: bidirectional control character U+2066", ("--strict",)),
    Case("zero-width", _write("articles/bad.md", _article("title: x\n", "Hid\u200bden words.\n")), "articles/bad.md:5:4: zero-width character U+200B (ZERO WIDTH SPACE)", ("--strict",)),
    Case("word-joiner-in-rules", _edit(GR, "description: Copyright line", "description: Copy\u2060right line"), f"rules/globalresearch.yml:{_line(GR, 'description: Copyright line')}:22: zero-width character U+2060 (WORD JOINER)", ("--strict",)),
]
# fmt: on


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The bundled archive, built once; returns its root and a digest of its site."""
    root = copy_project(tmp_path_factory.mktemp("malformed") / "archive")
    run_archive("build", cwd=root, check=True)
    return root, _digest(root / "site")


def _digest(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        digest.update(path.relative_to(site).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_catalogue_is_large() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_malformed_input_is_refused_clearly(case: Case, built: tuple[Path, str], tmp_path: Path) -> None:
    base, digest = built
    root = tmp_path / "archive"
    shutil.copytree(base, root, symlinks=True)
    case.setup(root)
    result = run_archive("build", *case.args, cwd=root)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert case.message in output, output
    assert "Traceback" not in output
    assert _digest(root / "site") == digest
