"""The registry file: valid entries load, every mistake names file:line and says what to do."""

from __future__ import annotations

from pathlib import Path

from generator.inputs.registry import ENTITY_TYPES, load_registry

from ..conftest import REPO, run_archive

GOOD = """\
entities:
  - id: libya
    name: Libya
    type: place
    description: "A country."
  - id: khalifa-haftar
    name: Khalifa Haftar
    type: person
    aliases: [Haftar]
    misspellings: [Kalifa Haftar]
    description: "A Libyan officer."
    wikidata: null
    wikipedia: https://en.wikipedia.org/wiki/Khalifa_Haftar
ignore: []
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "entities.yml"
    path.write_text(text, encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    return [e.format_message() for e in load_registry(path)[1]]


def test_the_bundled_registry_is_valid() -> None:
    registry, errors = load_registry(REPO / "entities.yml")
    assert errors == []
    assert len(registry) >= 30
    assert {e.type for e in registry} <= set(ENTITY_TYPES)
    assert registry.lookup("Kalifa Haftar") == "khalifa-haftar"
    assert registry.lookup("al Sarraj") == registry.lookup("Serraj") == "fayez-al-sarraj"


def test_a_good_file_loads(tmp_path: Path) -> None:
    registry, errors = load_registry(write(tmp_path, GOOD))
    assert errors == []
    haftar = registry.get("khalifa-haftar")
    assert haftar is not None and haftar.forms == ("Khalifa Haftar", "Haftar", "Kalifa Haftar")
    assert haftar.line == 6
    assert registry.version != load_registry(write(tmp_path, GOOD.replace("A country.", "A state.")))[0].version


def test_missing_file_is_an_empty_registry(tmp_path: Path) -> None:
    registry, errors = load_registry(tmp_path / "entities.yml")
    assert len(registry) == 0 and errors == []


def test_unknown_type_names_line_and_allowed_types(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("type: person", "type: persn"))
    assert messages(path) == [
        f"{path}:8: entity 'khalifa-haftar': type: unknown entity type 'persn'; "
        "use one of: person, organisation, place, event, group, office, work"
    ]


def test_duplicate_id(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("id: khalifa-haftar", "id: libya"))
    assert messages(path) == [
        f"{path}:6: duplicate entity id 'libya' (first defined at line 2); give each entity its own id"
    ]


def test_alias_claimed_by_two_entities(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("aliases: [Haftar]", "aliases: [Haftar, Libya]"))
    assert messages(path) == [
        f"{path}:9: entity 'khalifa-haftar': the name 'Libya' is already claimed by entity 'libya' (line 2); "
        "keep each name on one entity"
    ]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("type: place", "type: country").replace("wikidata: null", "wikidata: 12345")
    found = messages(write(tmp_path, text))
    assert len(found) == 2
    assert ":4: entity 'libya': type: unknown entity type 'country'" in found[0]
    assert (
        ":12: entity 'khalifa-haftar': wikidata: 12345 is not a Wikidata id; "
        "write Q and its digits (e.g. Q1016), or null" in found[1]
    )


def test_unknown_field_and_bad_wikipedia(tmp_path: Path) -> None:
    found = messages(write(tmp_path, GOOD.replace("ignore: []", "ignore: []\nextra: 1")))
    assert found == [
        f"{tmp_path / 'entities.yml'}:15: extra: unknown field (a misspelling?); the fields are: entities, ignore"
    ]
    found = messages(
        write(tmp_path, GOOD.replace("https://en.wikipedia.org/wiki/Khalifa_Haftar", "javascript:alert(1)"))
    )
    assert (
        len(found) == 1
        and ":13: entity 'khalifa-haftar': wikipedia: 'javascript:alert(1)' is not a Wikipedia address; "
        "write https://en.wikipedia.org/wiki/Title, or null"
        in found[0]
    )


def test_build_stops_on_a_registry_error(project: Path) -> None:
    path = project / "entities.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("type: person", "type: human", 1), encoding="utf-8")
    result = run_archive("check", "--quiet", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "entities.yml:" in result.stderr and "unknown entity type 'human'; use one of: person," in result.stderr


def test_forms_that_are_common_words_or_punctuation_are_refused_unless_on_purpose(tmp_path: Path) -> None:
    text = GOOD.replace("aliases: [Haftar]", "aliases: [Haftar, the, '.', X, May, US, G7]")
    found = messages(write(tmp_path, text))
    assert [m.split(": ", 1)[0].rsplit(":", 1)[1] for m in found] == ["9"] * 4
    assert "the form 'the' is a common word; the first 'the' of every article would link to this entity" in found[0]
    assert "the form '.' has no letter or digit" in found[1]
    assert "the form 'X' is only 1 letter or digit long" in found[2]
    assert "the form 'May' is a common word" in found[3] and "list it under on_purpose: ['May']" in found[3]
    # Listed on purpose, 'May' and 'X' are linked; 'US' and 'G7' were never refused.
    text = text.replace("aliases: [Haftar, the, '.', X,", "on_purpose: [May, X]\n    aliases: [Haftar, X,")
    registry, errors = load_registry(write(tmp_path, text))
    assert errors == [] and registry.lookup("May") == registry.lookup("US") == "khalifa-haftar"
    wrong = text.replace("on_purpose: [May, X]", "on_purpose: [May, X, Mayor]")
    assert "on_purpose lists 'Mayor', which is not its name" in messages(write(tmp_path, wrong))[0]


def test_a_registry_that_is_a_folder_or_lists_nothing(tmp_path: Path) -> None:
    from generator.inputs.registry import registry_warnings

    (tmp_path / "entities.yml").mkdir()
    assert messages(tmp_path / "entities.yml") == [
        f"{tmp_path / 'entities.yml'}: this is a folder; the registry is a plain file of that name "
        "(see the guide's entities page)"
    ]
    path = write(tmp_path / "x", "") if (tmp_path / "x").mkdir() is None else None
    assert path is not None
    registry, errors = load_registry(path)
    assert [str(w) for w in registry_warnings(path, registry, errors)] == [
        f"{path}: the registry lists no entities: no names are linked; add entries under 'entities:'"
    ]
