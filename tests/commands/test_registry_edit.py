"""Adding to the registry from the studio: an entity lands in its type's section, a name in the
ignore list, every other line of entities.yml kept; refusals are in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.commands.entities import clean_name
from generator.commands.registry_edit import add_entity, add_ignore
from generator.errors import ArchiveError, RegistryError
from generator.inputs.registry import load_registry
from generator.settings import Settings

from ..conftest import run_archive


def test_an_entity_goes_after_the_last_of_its_type(project: Path) -> None:
    path = project / "entities.yml"
    before = path.read_text()
    change = add_entity(
        Settings.load(project), name="the Presidential Council's", type="organisation",
        description="Libya's collective head of state under the 2015 Skhirat agreement.",
        aliases=["Presidency Council", ""], wikipedia="https://en.wikipedia.org/wiki/Presidential_Council_(Libya)",
    )  # fmt: skip
    assert change.key == "presidential-council"
    registry, errors = load_registry(path)
    assert not errors
    entity = registry.get("presidential-council")
    assert entity.name == "Presidential Council" and entity.aliases == ("Presidency Council",)
    # right after the last organisation (the publishers' section), before the places
    ids, types = [e.id for e in registry], [e.type for e in registry]
    at = ids.index("presidential-council")
    assert types[at - 1] == "organisation" and "organisation" not in types[at + 1 :]
    after = path.read_text()
    # only the new entry's lines were added: every other line, comments included, is as it was
    lines = after.splitlines(keepends=True)
    assert lines[change.line - 1] == "  - id: presidential-council\n" and lines[change.line - 2] == "\n"
    assert "".join(lines[: change.line - 2] + lines[change.line + 6 :]) == before
    assert lines[change.line : change.line + 6] == [
        '    name: "Presidential Council"\n',
        "    type: organisation\n",
        '    aliases: ["Presidency Council"]\n',
        '    description: "Libya\'s collective head of state under the 2015 Skhirat agreement."\n',
        "    wikidata: null\n",
        "    wikipedia: https://en.wikipedia.org/wiki/Presidential_Council_(Libya)\n",
    ]


def test_a_name_goes_to_the_ignore_list(project: Path) -> None:
    path = project / "entities.yml"
    add_ignore(Settings.load(project), text="Region", label="GPE", reason="A label of the publisher's site.")
    add_ignore(Settings.load(project), text="Theme", reason="Another label.")
    registry, errors = load_registry(path)
    assert not errors
    assert registry.is_ignored("Region", "GPE") and registry.is_ignored("Theme", "ORG")
    assert "# Names the language model reports that are deliberately not linked." in path.read_text()
    with pytest.raises(RegistryError, match="already in the ignore list"):
        add_ignore(Settings.load(project), text="Region", label="GPE", reason="again")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "Khalifa Haftar", "type": "person", "description": "x"}, "already in the registry"),
        (
            {"name": "Haftar", "type": "person", "description": "x", "entity_id": "haftar-2"},
            "on entity 'khalifa-haftar'",
        ),
        ({"name": "Zliten", "type": "town", "description": "x"}, "type 'town' is not a type of entity"),
        ({"name": "Zliten", "type": "place", "description": ""}, "description is empty"),
        ({"name": "Zliten", "type": "place", "description": "x", "wikipedia": "javascript:alert(1)"}, "wikipedia"),
        ({"name": "  ", "type": "place", "description": "x"}, "the name is empty"),
    ],
)
def test_refusals_leave_the_registry_unchanged(project: Path, fields: dict, message: str) -> None:
    path = project / "entities.yml"
    before = path.read_bytes()
    with pytest.raises(RegistryError, match=message):
        add_entity(Settings.load(project), **fields)
    assert path.read_bytes() == before


def test_a_broken_registry_is_not_changed(project: Path) -> None:
    path = project / "entities.yml"
    path.write_text(path.read_text().replace("ignore: []", "ignore: [\n"))
    before = path.read_bytes()
    with pytest.raises(ArchiveError, match="fix the registry as said above first"):
        add_ignore(Settings.load(project), text="Region", reason="x")
    assert path.read_bytes() == before


def test_a_missing_registry_is_created(tmp_path: Path) -> None:
    add_entity(Settings.load(tmp_path), name="Zliten", type="place", description="A town in Libya.")
    registry, errors = load_registry(tmp_path / "entities.yml")
    assert not errors and [e.id for e in registry] == ["zliten"]


@pytest.mark.parametrize(
    ("given", "name"),
    [("the Pentagon", "Pentagon"), ("Haftar's", "Haftar"), ("The  Pentagon’s", "Pentagon"), ("Reuters'", "Reuters"),
     ("Theresa May", "Theresa May")],
)  # fmt: skip
def test_stub_names_drop_the_and_possessives(given: str, name: str) -> None:
    assert clean_name(given) == name


@pytest.mark.slow
def test_entities_stubs_name_prints_one_stub(project: Path) -> None:
    out = run_archive("entities", "--stubs", "the Pentagon's", cwd=project, check=True).stdout
    assert out.startswith('  - id: pentagon\n    name: "Pentagon"\n    type: ')
    assert out.count("- id:") == 1
