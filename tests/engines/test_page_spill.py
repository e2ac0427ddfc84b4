"""MkDocs' memory stays flat: page HTML waits on disk between MkDocs' read loop and its write loop,
and the site is byte for byte what MkDocs writes when it holds every page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.engines.page_spill import AnchorIds, PageSpill

from ..conftest import copy_project, run_archive
from ..output.test_reproducible import site_files

PROBE = '''"""Records, between MkDocs' two loops, what the pages hold and where the spilled HTML is."""
import json, pathlib

_seen = {}


def on_env(env, config, files):
    pages = [f.page for f in files.documentation_pages() if f.page is not None]
    _seen["pages"] = len(pages)
    _seen["content_chars"] = sum(len(p.content or "") for p in pages)
    _seen["id_types"] = sorted({type(p.present_anchor_ids).__name__ for p in pages})
    _seen["on_disk"] = config.plugins["archive"].spill.on_disk
    beside = pathlib.Path(config.site_dir).parent.iterdir()
    _seen["left_beside"] = sorted(p.name for p in beside if "archive-pages" in p.name)
    return env


def on_post_build(config):
    pathlib.Path(config.config_file_path).with_name("probe.json").write_text(json.dumps(_seen))
'''


def test_anchor_ids_answer_in_as_a_set_does() -> None:
    ids = AnchorIds(["p1", "note-a", "p10", "p1"])
    assert "p1" in ids and "p10" in ids and "note-a" in ids
    assert "p" not in ids and "p1\np10" not in ids and "" not in ids and 1 not in ids
    assert len(ids) == 3 and sorted(ids) == ["note-a", "p1", "p10"]
    assert list(AnchorIds([])) == [] and "x" not in AnchorIds([])


def test_the_spill_gives_each_page_back_once_from_a_file_that_has_no_name(tmp_path: Path) -> None:
    spill = PageSpill(tmp_path)
    spill.put("articles/a/index.md", "<p>Tripoli · Benghazi — “quoted” \U0001f600</p>")
    spill.put("index.md", "")
    spill.put("b.md", "<p>b</p>")
    assert len(spill) == 3 and spill.on_disk == 3
    assert list(tmp_path.iterdir()) == []  # nothing to leave behind, however the build ends
    assert spill.take("articles/a/index.md") == "<p>Tripoli · Benghazi — “quoted” \U0001f600</p>"
    spill.put("c.md", "<p>c</p>")  # written after a take: each page keeps its own bytes
    assert spill.take("b.md") == "<p>b</p>" and spill.take("c.md") == "<p>c</p>" and spill.take("index.md") == ""
    assert spill.take("articles/a/index.md") is None and spill.take("never-put.md") is None
    spill.close()
    assert len(spill) == 0


def test_where_no_file_can_be_made_the_pages_stay_in_memory(tmp_path: Path) -> None:
    spill = PageSpill(tmp_path / "no-such-folder")
    spill.put("a.md", "<p>a</p>")
    assert spill.on_disk == 0 and len(spill) == 1 and spill.take("a.md") == "<p>a</p>"


@pytest.mark.slow
def test_mkdocs_holds_no_page_html_between_its_loops_and_writes_the_same_site(tmp_path: Path) -> None:
    sites = {}
    for spill in (True, False):
        root = copy_project(tmp_path / f"spill-{spill}" / "archive")
        (root / "probe.py").write_text(PROBE, encoding="utf-8")
        config = (root / "mkdocs.yml").read_text(encoding="utf-8")
        config = config.replace("  - archive\n", f"  - archive:\n      spill: {str(spill).lower()}\n", 1)
        config = re.sub(r"(?m)^hooks:\n", "hooks:\n  - probe.py\n", config, count=1)
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
        run_archive("build", "--strict", cwd=root, check=True)
        probe = json.loads((root / "probe.json").read_text(encoding="utf-8"))
        assert probe["pages"] > 20
        if spill:
            # every page's HTML is on disk, none in memory; the ids are one string a page
            assert probe["content_chars"] == 0, probe
            assert probe["id_types"] == ["AnchorIds"], probe
            assert probe["on_disk"] == probe["pages"] and probe["left_beside"] == [], probe
        else:
            assert probe["content_chars"] > 100_000, probe  # MkDocs' own way: the whole site's HTML held
        sites[spill] = site_files(root)
    assert sorted(sites[True]) == sorted(sites[False])
    assert [name for name in sites[True] if sites[True][name] != sites[False][name]] == []
