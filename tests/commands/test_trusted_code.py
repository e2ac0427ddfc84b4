"""What of a pushed tree is code the server would run, compared with the archive installed here."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.commands.trusted_code import INSTALLED, code_changes

from ..conftest import REPO, copy_project


def test_the_installed_archive_is_this_checkout() -> None:
    assert INSTALLED == REPO


def test_a_tree_of_data_changes_no_code(tmp_path: Path) -> None:
    tree = copy_project(tmp_path / "tree")
    (tree / "articles" / "new.md").write_text("---\ntitle: New\n---\n\nWords.\n", encoding="utf-8")
    (tree / "entities.yml").write_text("entities: []\n", encoding="utf-8")
    assert code_changes(tree) == []
    shutil.copytree(REPO / "generator", tree / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    assert code_changes(tree) == [], "the same generator is no change"


def test_every_kind_of_code_change_is_named(tmp_path: Path) -> None:
    tree = copy_project(tmp_path / "tree")
    (tree / "generator").mkdir()
    (tree / "generator" / "__main__.py").write_text("print('pushed')\n", encoding="utf-8")
    (tree / "hooks" / "archive.py").write_text("import os\n", encoding="utf-8")
    (tree / "overrides" / "main.html").write_text("{{ 7 * 7 }}\n", encoding="utf-8")
    config = (tree / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - archive\n", "  - archive\n  - offline\n").replace(
        "custom_dir: overrides", "custom_dir: t"
    )
    (tree / "mkdocs.yml").write_text("INHERIT: base.yml\n" + config, encoding="utf-8")
    (tree / "t").mkdir()
    (tree / "t" / "main.html").write_text("{{ config }}\n", encoding="utf-8")
    changed = code_changes(tree)
    for expected in (
        "generator/__main__.py",
        "generator/cli.py",  # missing from the pushed generator/: a different generator
        "hooks/archive.py",
        "overrides/main.html",
        "t/main.html",
        "mkdocs.yml (INHERIT)",
        "mkdocs.yml (plugins)",
        "mkdocs.yml (theme)",
    ):
        assert expected in changed, (expected, changed)
    assert "mkdocs.yml (hooks)" not in changed
