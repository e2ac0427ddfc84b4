"""mkdocs.yml as the build relies on it: the bundled one passes, and each thing that would publish a
wrong or unsafe site is named with its line (the catalogue, tests/security/test_catalogue.py, runs
these and more through the command line)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.inputs.config import check_config, read_config

from ..conftest import REPO


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    for name in ("mkdocs.yml", "hooks", "overrides"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, tmp_path / name)
    return tmp_path


def messages(root: Path) -> list[str]:
    return [error.format_message().replace(str(root) + "/", "") for error in check_config(root)]


def edit(root: Path, old: str, new: str) -> None:
    path = root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_bundled_configuration_passes() -> None:
    assert check_config(REPO) == []
    assert read_config(REPO / "mkdocs.yml")["site_name"] == "Annotated reading archive"


def test_a_site_name_with_markup_is_refused_at_its_line(archive: Path) -> None:
    edit(archive, "site_name: Annotated reading archive", 'site_name: \'<meta http-equiv="refresh" content="0">\'')
    assert messages(archive) == [
        "mkdocs.yml:1: site_name holds '<': the theme writes it into every page as it is, where it could become "
        "markup; write plain text"
    ]


def test_without_the_hooks_a_page_could_run_scripts(archive: Path) -> None:
    edit(archive, "hooks:\n  - hooks/archive.py\n", "")
    [message] = messages(archive)
    assert message.startswith("mkdocs.yml: hooks must include hooks/archive.py: it sanitises every page")


def at(text: str) -> int:
    """The line of the bundled mkdocs.yml that starts with *text*."""
    lines = (REPO / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(text))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "site_url: https://archive.example.org/",
            "site_url: ftp://x.org/",
            f"mkdocs.yml:{at('site_url:')}: site_url 'ftp://x.org/'",
        ),
        (
            "  name: material",
            "  name: readthedocs",
            f"mkdocs.yml:{at('  name: material')}: theme 'readthedocs' is not supported",
        ),
        ("  - archive\n", "", f"mkdocs.yml:{at('plugins:')}: plugins must include archive"),
        (
            "docs_dir: site_src",
            "docs_dir: ..",
            f"mkdocs.yml:{at('docs_dir:')}: docs_dir '..' is not a folder inside the archive",
        ),
        (
            "use_directory_urls: true",
            "use_directory_urls: false",
            f"mkdocs.yml:{at('use_directory_urls:')}: use_directory_urls must be true",
        ),
        ("site_name:", "INHERIT: other.yml\nsite_name:", "mkdocs.yml:1: INHERIT is not supported"),
        (
            "  - admonition",
            "  - admonition\n  - pymdownx.snippets",
            f"mkdocs.yml:{at('  - admonition') + 1}: the Markdown extension pymdownx",
        ),
        (
            "  - assets/notes.js",
            "  - https://cdn.example/x.js",
            f"mkdocs.yml:{at('  - assets/notes.js')}: extra_javascript 'https://cdn",
        ),
    ],
)
def test_each_rule_names_its_line(archive: Path, old: str, new: str, expected: str) -> None:
    edit(archive, old, new)
    found = messages(archive)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_a_broken_or_missing_file(archive: Path) -> None:
    (archive / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    assert messages(archive)[0].startswith("mkdocs.yml:1: the value of 'site_name' starts with [")
    assert read_config(archive / "mkdocs.yml") == {}
    (archive / "mkdocs.yml").unlink()
    assert messages(archive) == [
        "mkdocs.yml: the site's configuration is missing; restore it (git checkout mkdocs.yml) and try again"
    ]
