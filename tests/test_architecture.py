"""The house's shape, as ARCHITECTURE.md draws it: which package may import which, where the
environment is read, how large a module may grow."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "generator"
BELOW_ENGINES = {"util", "model", "errors", "paths", "inputs", "settings", "stages", "render", "output"}
ALLOWED: dict[str, set[str]] = {
    "util": set(),
    "model": {"util"},
    "errors": {"util"},
    "paths": {"util"},
    "inputs": {"model", "errors", "util"},
    "settings": {"inputs", "errors", "util"},
    "stages": {"inputs", "model", "errors", "settings", "util"},
    "render": {"stages", "inputs", "model", "paths", "errors", "util"},
    "output": {"stages", "inputs", "model", "paths", "settings", "errors", "util"},
    "engines": BELOW_ENGINES,
    "pipeline": BELOW_ENGINES | {"engines"},
    "commands": BELOW_ENGINES | {"engines", "pipeline"},
    "cli": {"commands", "pipeline", "output", "settings", "errors", "__init__"},
    "__main__": {"cli"},
    "__init__": set(),
}
"""What each part of the package may import (ARCHITECTURE.md's table)."""
TOP_LEVEL = {"__init__", "__main__", "cli", "errors", "model", "paths", "pipeline", "settings"}
MAX_LINES = 500


def part_of(module: str) -> str:
    """``generator.render.notes`` → ``render``; ``generator.settings`` → ``settings``."""
    parts = module.split(".")
    known = {path.stem for path in PACKAGE.glob("*.py")} | {p.name for p in PACKAGE.iterdir() if p.is_dir()}
    return parts[1] if len(parts) > 1 and parts[1] in known else "__init__"


def modules() -> dict[str, Path]:
    return {
        ".".join(path.relative_to(REPO).with_suffix("").parts): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def imports(path: Path) -> set[str]:
    """Every module of the package that *path* imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "generator":
            if node.module == "generator":
                found.update(f"generator.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "generator")
    return found


def test_each_package_imports_only_what_the_architecture_allows() -> None:
    wrong = []
    for name, path in modules().items():
        source = part_of(name)
        for imported in sorted(imports(path)):
            target = part_of(imported)
            if target != source and target not in ALLOWED[source]:
                wrong.append(f"{name} imports {imported} ({source} may not import {target})")
    assert not wrong, "\n".join(wrong)


def test_only_the_pipeline_and_its_frame_are_top_level_modules() -> None:
    top = {path.stem for path in PACKAGE.glob("*.py")}
    assert top == TOP_LEVEL
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == {
        "commands", "engines", "inputs", "output", "render", "stages", "util",
    }  # fmt: skip


def test_no_module_is_longer_than_a_few_screens() -> None:
    long = {name: n for name, path in modules().items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert not long, long


def reads_environment(path: Path) -> bool:
    """Whether *path* touches ``os.environ`` or ``os.getenv`` (or imports them from ``os``)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv"):
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                return True
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            if {alias.name for alias in node.names} & {"environ", "getenv", "putenv"}:
                return True
    return False


def test_the_environment_is_read_in_settings_only() -> None:
    assert [name for name, path in modules().items() if reads_environment(path)] == ["generator.settings"]


def test_architecture_names_every_package() -> None:
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for part in ALLOWED:
        if not part.startswith("__"):
            assert f"`{part}" in text, part
