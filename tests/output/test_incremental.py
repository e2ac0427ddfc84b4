"""A build that recomputes only what changed gives, byte for byte, what a cold build gives.

One archive is edited step by step (a note's body, a note's quote, an entity's description, an
article's text, an article's date moved to another year, a title, an article added, one removed,
a note removed) and built after each edit with ``archive build``, which reads only the articles
whose files changed, renders only the pages whose inputs changed and has MkDocs and Pagefind
build only those. After each step a copy of the same sources is built cold, without the record
of any earlier run, and both docs folders and both sites must be identical (the search index
aside: the incremental one holds the changed pages in its delta bundle, see
``test_delta_bundle_holds_the_changed_pages``). A dependency missing from a page's record makes
these differ: it cannot pass as a stale page.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic

from generator.commands.synth import make_archive, make_article
from generator.engines.mkdocs_dirty import LASTMOD
from generator.output.generations import STANDBY

from ..conftest import REPO, run_archive

pytestmark = pytest.mark.slow

ARTICLES = 10
SOURCES = ("articles", "entities.yml", "rules", "mkdocs.yml", "site_src", "hooks", "overrides")


def tree(folder: Path, skip: Callable[[str], bool] = lambda rel: False) -> dict[str, bytes]:
    return {
        rel: path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not skip(rel := path.relative_to(folder).as_posix())
    }


def search_index(rel: str) -> bool:
    return rel.split("/", 1)[0].startswith("pagefind")


def cold_copy(source: Path, dest: Path) -> Path:
    """The sources of *source* (and what the model found, which is keyed by content), without
    the record of any run and without its output."""
    dest.mkdir(parents=True)
    for name in SOURCES:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, dest / name)
        elif path.is_file():
            shutil.copy2(path, dest / name)
    for generated in ("index.md", "articles", "entities", "corrections", "annotations", "originals", "browse"):
        target = dest / "site_src" / generated
        shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
    shutil.copytree(source / ".archive-cache" / "mentions", dest / ".archive-cache" / "mentions")
    return dest


class Editor:
    """Edits of the kinds editors make, chosen by a seeded random generator."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.added = 0

    def articles(self) -> list[Path]:
        return sorted(self.root.glob("articles/*.md"))

    def pick(self, with_notes: bool = False) -> Path:
        found = [p for p in self.articles() if not with_notes or p.with_suffix(".notes.yml").is_file()]
        return self.rng.choice(found)

    def note_body(self) -> str:
        notes = self.pick(True).with_suffix(".notes.yml")
        text = notes.read_text(encoding="utf-8")
        weeks = self.rng.randint(4, 99)
        notes.write_text(re.sub(r"\*[a-z0-9 ]*weeks\*", f"*{weeks} weeks*", text, count=1), encoding="utf-8")
        return f"note body in {notes.name}"

    def note_quote(self) -> str:
        # As an editor changes a quote: with ``archive note edit``, which records the note's new
        # place in the article's anchors lock file too.
        notes = self.pick(True).with_suffix(".notes.yml")
        text = notes.read_text(encoding="utf-8")
        quote = re.search(r"quote: (The hearing of case \d+)( was adjourned)?\n", text)
        assert quote is not None, text
        new = quote.group(1) if quote.group(2) else quote.group(1) + " was adjourned"  # still unique
        slug = notes.name.removesuffix(".notes.yml")
        run_archive("note", "edit", "adjourned", "--article", slug, "--quote", new, cwd=self.root, check=True)
        return f"note quote in {notes.name}"

    def entity_description(self) -> str:
        registry = self.root / "entities.yml"
        lines = registry.read_text(encoding="utf-8").split("\n")
        described = [i for i, line in enumerate(lines) if line.strip().startswith("description: ")]
        index = self.rng.choice(described)
        line, added = lines[index].rstrip(), f" Reviewed {self.rng.randint(1, 999)}."
        lines[index] = line[:-1] + added + '"' if line.endswith('"') else line + added
        registry.write_text("\n".join(lines), encoding="utf-8")
        return f"entity description, line {index + 1}"

    def article_text(self) -> str:
        article = self.pick()
        text = article.read_text(encoding="utf-8")
        head, _, body = text.partition("\n---\n")
        paragraphs = body.split("\n\n")
        paragraphs[2] = paragraphs[2] + f" The council met again on day {self.rng.randint(1, 28)}."
        article.write_text(head + "\n---\n" + "\n\n".join(paragraphs), encoding="utf-8")
        return f"text of {article.name}"

    def article_date(self) -> str:
        article = self.pick()
        text = article.read_text(encoding="utf-8")
        year = int(re.search(r"^date: (\d{4})", text, re.M).group(1))  # type: ignore[union-attr]
        other = self.rng.choice([y for y in range(2012, 2026) if y != year])
        article.write_text(re.sub(r"^date: \d{4}", f"date: {other}", text, count=1, flags=re.M), encoding="utf-8")
        return f"date of {article.name}: {year} → {other}"

    def title(self) -> str:
        article = self.pick()
        text = article.read_text(encoding="utf-8")
        title = re.search(r"^title: (.*)$", text, re.M).group(1)  # type: ignore[union-attr]
        # In the front matter and in the headline above the text, which cleaning removes as a
        # repetition of the title: the words the model reads do not change.
        article.write_text(text.replace(title, f"{title}, revisited"), encoding="utf-8")
        return f"title of {article.name}"

    def new_article(self) -> str:
        from generator.commands.synth import _registry_names

        self.added += 1
        slug, text, _notes = make_article(self.rng, 900 + self.added, _registry_names(self.root / "entities.yml"), 120)
        (self.root / "articles" / f"{slug}.md").write_text(text, encoding="utf-8")
        return f"new article {slug}"

    def remove_article(self) -> str:
        article = self.pick()
        article.unlink()
        article.with_suffix(".notes.yml").unlink(missing_ok=True)
        article.with_suffix(".anchors.yml").unlink(missing_ok=True)  # as the build asks
        return f"removed {article.name}"

    def remove_note(self) -> str:
        notes = self.pick(True).with_suffix(".notes.yml")
        text = notes.read_text(encoding="utf-8")
        entries = text.split("\n- ")
        if len(entries) > 1:
            notes.write_text("\n- ".join(entries[:-1]) + "\n", encoding="utf-8")
        else:
            notes.unlink()
        return f"a note of {notes.name} removed"


GIVEN = re.compile(r"MkDocs [\d.]+ s \(given ([\d,]+) of ([\d,]+) files\)")
SAME_PAGES = ("note_body", "note_quote", "entity_description")
EDITS = (
    "note_body", "note_quote", "entity_description", "article_text", "article_date", "title",
    "new_article", "remove_article", "remove_note", "note_body",
)  # fmt: skip


@pytest.fixture
def small_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Pages of three items, so that listings are split by year and numbered; Pagefind from the
    # first article, so that the search index is built the way large archives build it.
    monkeypatch.setenv("ARCHIVE_PAGE_SIZE", "3")
    monkeypatch.setenv("ARCHIVE_PAGEFIND_THRESHOLD", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "archive"
    make_archive(root, ARTICLES, REPO, words=120)
    run_archive("build", "--strict", cwd=root, check=True)
    return root


def test_incremental_builds_equal_cold_builds(
    small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_site
    editor = Editor(root, seed=21)
    edits = list(EDITS)
    editor.rng.shuffle(edits)
    for step, name in enumerate(edits):
        what = getattr(editor, name)()
        # A new commit each time, and a new date every other time (the sitemap's dates change).
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1700000000 + 43200 * (step + 1)))
        built = run_archive("build", "--strict", cwd=root, check=True)
        assert "the language model read" not in built.stdout or name in ("article_text", "new_article"), what
        assert "built only what changed" in built.stdout, (what, built.stdout)
        given, files = (int(n.replace(",", "")) for n in GIVEN.search(built.stdout).groups())  # type: ignore[union-attr]
        # With the same pages as before, MkDocs is given only what the changed pages need; with
        # pages added or removed, every file (the sitemap lists them all).
        if name in SAME_PAGES:
            assert given < files / 2, (what, given, files)
        elif name in ("new_article", "remove_article"):
            assert given == files, (what, given, files)
        cold = cold_copy(root, tmp_path / f"cold-{step}")
        run_archive("build", "--strict", cwd=cold, check=True)
        assert tree(root / "site_src") == tree(cold / "site_src"), what
        ours, theirs = tree(root / "site", search_index), tree(cold / "site", search_index)
        assert sorted(ours) == sorted(theirs), what
        different = [rel for rel in ours if ours[rel] != theirs[rel]]
        assert different == [], (what, different)


def test_delta_bundle_holds_the_changed_pages(small_site: Path) -> None:
    root = small_site
    site = root / "site"
    before = {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    editor = Editor(root, seed=3)
    editor.note_body()
    built = run_archive("build", "--strict", cwd=root, check=True)
    assert "built only what changed" in built.stdout
    listing = json.loads((site / "pagefind" / "bundles.json").read_text(encoding="utf-8"))
    assert listing["bundles"] == ["pagefind-delta/"] and listing["each_word"] is True
    entry = json.loads((site / "pagefind-delta" / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = sum(language["page_count"] for language in entry["languages"].values())
    # The article whose note changed is indexed again (the year pages of the corrections, which
    # changed too, are not searched: their notes are on the article pages); its old entry is hidden.
    changed = [rel for rel in before if rel.endswith(".html") and (site / rel).stat().st_ino != before[rel]]
    assert any(rel.startswith("corrections/") for rel in changed), changed
    searched = [rel for rel in changed if "data-pagefind-body" in (site / rel).read_text(encoding="utf-8")]
    assert pages == len(searched) >= 1, (pages, changed)
    assert all(rel.startswith("articles/") for rel in searched), searched
    assert len(listing["hidden"]) == len(searched)
    # Every other file of the site is the very file the last build wrote (a hard link to it).
    kept = [rel for rel in before if (site / rel).exists() and (site / rel).stat().st_ino == before[rel]]
    assert len(kept) >= len(before) - len(changed) - 6  # sitemap, 404, feeds, the search listing


@pytest.mark.parametrize("damage", ["a page missing", "a sitemap of two dates"])
def test_a_site_not_as_the_last_build_left_it_gives_mkdocs_every_file(small_site: Path, damage: str) -> None:
    """MkDocs is given only what the changed pages need when the site it writes into is whole;
    a page gone from it, or a sitemap whose dates cannot be renewed as MkDocs would, and MkDocs
    is given every file, as a build of every file would."""
    root = small_site
    standby = root / STANDBY  # the copy of the site the next build writes into
    page = sorted((standby / "articles").glob("*/index.html"))[0]
    rel = page.relative_to(standby).as_posix()
    if damage == "a page missing":
        page.unlink()
    else:
        sitemap = standby / "sitemap.xml"
        text = sitemap.read_text(encoding="utf-8")
        sitemap.unlink()  # a file of its own: the live site shares the other one
        sitemap.write_text(LASTMOD.sub("<lastmod>1999-01-01</lastmod>", text, count=1), encoding="utf-8")
    Editor(root, seed=5).note_body()
    built = run_archive("build", "--strict", cwd=root, check=True)
    given, files = (int(n.replace(",", "")) for n in GIVEN.search(built.stdout).groups())  # type: ignore[union-attr]
    assert given == files, built.stdout
    site = root / "site"
    assert (site / rel).is_file()
    assert len(set(LASTMOD.findall((site / "sitemap.xml").read_text(encoding="utf-8")))) == 1


def test_an_archive_named_by_a_relative_root_is_built_incrementally(small_site: Path) -> None:
    """``archive build --root archive`` from the folder above: the engine's child runs in the
    archive's folder, and the paths it is given still lead to its files (they did not: MkDocs
    looked for ``archive/.pagefind-….yml`` inside ``archive/``)."""
    root = small_site
    Editor(root, seed=7).note_body()
    built = run_archive("build", "--strict", "--root", root.name, cwd=root.parent, check=True)
    assert "built only what changed" in built.stdout, built.stdout
    given, files = (int(n.replace(",", "")) for n in GIVEN.search(built.stdout).groups())  # type: ignore[union-attr]
    assert given < files
    assert not (root / root.name).exists()
    again = run_archive("build", "--strict", cwd=root, check=True)
    assert "Nothing changed since the last run" in again.stdout, again.stdout  # the same archive, whatever its name


def test_a_damaged_cache_of_templates_is_compiled_again(small_site: Path) -> None:
    """The theme's compiled templates are kept between builds (``.archive-cache/templates/``);
    an entry that is not what Jinja wrote is compiled again, and the page is as before."""
    root, site = small_site, small_site / "site"
    notes = sorted((root / "articles").glob("*.notes.yml"))[0]
    page = site / "articles" / notes.name.removesuffix(".notes.yml") / "index.html"
    first = notes.read_text(encoding="utf-8")
    notes.write_text(first.replace("weeks", "days", 1), encoding="utf-8")
    run_archive("build", "--strict", cwd=root, check=True)
    made = page.read_bytes()
    notes.write_text(first, encoding="utf-8")
    run_archive("build", "--strict", cwd=root, check=True)
    entries = sorted((root / ".archive-cache" / "templates").rglob("*.cache"))
    assert entries
    for number, entry in enumerate(entries):
        entry.write_bytes(b"j2" + bytes(range(number % 200)))  # Jinja's mark, then nothing it wrote
    notes.write_text(first.replace("weeks", "days", 1), encoding="utf-8")
    built = run_archive("build", "--strict", cwd=root, check=True)
    assert "built only what changed" in built.stdout
    assert page.read_bytes() == made
    assert all(entry.read_bytes().startswith(bc_magic) for entry in entries)  # written again
