"""Docs that the tests keep true: every command has help and appears in the README."""

from __future__ import annotations

import re

import click
import pytest

from generator.cli import cli

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize(("name", "command"), commands(cli), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_has_help_and_is_in_the_readme(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"'archive {name}' has no help text"
    assert f"archive {name}" in README, f"'archive {name}' is not described in README.md"


def test_readme_opens_with_the_two_commands() -> None:
    first_block = re.search(r"```console\n(.*?)```", README, re.S).group(1)
    assert first_block.splitlines()[0].startswith("make site")
    assert first_block.splitlines()[1].startswith("make test")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.strip().splitlines()[-1] == "make test"
