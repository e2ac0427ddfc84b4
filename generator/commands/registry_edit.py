"""Changing the entity registry (``entities.yml``): add an entity, or a name to leave unlinked.

The editing studio's "add to registry" and "ignore" call these functions. Like
:mod:`generator.commands.notes_edit`, each change

1. takes the registry's lock (``.entities.lock`` beside it), so two editors never lose an entry;
2. reads the file with the build's own reader — a registry the build would refuse is not changed;
3. adds the text of one entry only, every other line (comments, order, quoting) kept: a new
   entity goes after the last entity of its type (so it lands in that type's section), or at the
   end of ``entities:``; an ignored name at the end of ``ignore:``;
4. reads the result back with the build's reader — an entry it would refuse is not written;
5. writes the file atomically.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.commands.entities import clean_name, slug
from generator.errors import ErrorList, RegistryError
from generator.inputs.registry import ENTITY_TYPES, NER_LABELS, EntitySchema, IgnoreSchema, Registry, read_registry
from generator.inputs.yaml_errors import field as field_words
from generator.settings import Settings
from generator.util.files import atomic_write, locked


@dataclass(frozen=True)
class RegistryChange:
    """What one call added to the registry."""

    path: Path
    what: str
    """``entity`` or ``ignore``."""
    key: str
    """The new entity's id, or the ignored words."""
    line: int
    """The first line of the new entry in the file."""


def add_entity(
    settings: Settings,
    *,
    name: str,
    type: str,
    description: str,
    aliases: Sequence[str] = (),
    wikipedia: str | None = None,
    wikidata: str | None = None,
    entity_id: str | None = None,
) -> RegistryChange:
    """Add an entity to the registry after the last entity of its *type*."""
    name = clean_name(name)
    fields: dict[str, Any] = {
        "id": entity_id or slug(name),
        "name": name,
        "type": type,
        "aliases": [a.strip() for a in aliases if a.strip() and a.strip() != name],
        "description": description.strip(),
        "wikidata": (wikidata or "").strip() or None,
        "wikipedia": (wikipedia or "").strip() or None,
    }
    path = settings.registry
    _validated(EntitySchema, fields, path)
    with locked(path):
        text, registry, data = _current(path)
        if registry.get(fields["id"]) is not None:
            other = registry.get(fields["id"])
            raise RegistryError(
                f"an entity with the id {fields['id']!r} is already in the registry ({other.name}, line {other.line}); "
                "give this one another id, or add the name to that entity's aliases",
                path,
            )
        for form in (name, *fields["aliases"]):
            owner = registry.lookup(form)
            if owner is not None:
                entity = registry.get(owner)
                raise RegistryError(
                    f"the name {form!r} is already in the registry, on entity {owner!r} (line {entity.line})",  # type: ignore[union-attr]
                    path,
                )
        entities = data.get("entities") if isinstance(data, CommentedMap) else None
        new, line = _insert(text, entities, "entities", _entity_text(fields), _after_type(entities, type))
        after, errors = read_registry(new.encode("utf-8"), path)
        if errors or after.get(fields["id"]) is None or len(after) != len(registry) + 1:
            raise ErrorList([*errors, RegistryError("the entry would not read back; the registry was left unchanged")])
        atomic_write(path, new)
    return RegistryChange(path, "entity", fields["id"], line)


def add_ignore(settings: Settings, *, text: str, reason: str, label: str | None = None) -> RegistryChange:
    """Add *text* (optionally only for the model's *label*) to the registry's ``ignore:`` list."""
    fields = {"text": text.strip(), "label": label or None, "reason": reason.strip()}
    path = settings.registry
    if fields["label"] is not None and fields["label"] not in NER_LABELS:
        raise RegistryError(f"unknown label {label!r}; use one of: {', '.join(NER_LABELS)}", path)
    _validated(IgnoreSchema, fields, path)
    with locked(path):
        old, registry, data = _current(path)
        if registry.is_ignored(fields["text"], fields["label"] or ""):
            raise RegistryError(f"{fields['text']!r} is already in the ignore list", path)
        ignore = data.get("ignore") if isinstance(data, CommentedMap) else None
        entry = [f"- text: {_q(fields['text'])}"]
        if fields["label"]:
            entry.append(f"  label: {fields['label']}")
        entry.append(f"  reason: {_q(fields['reason'])}")
        new, line = _insert(old, ignore, "ignore", "\n".join(entry) + "\n", None)
        after, errors = read_registry(new.encode("utf-8"), path)
        if errors or len(after.ignore) != len(registry.ignore) + 1:
            raise ErrorList([*errors, RegistryError("the entry would not read back; the registry was left unchanged")])
        atomic_write(path, new)
    return RegistryChange(path, "ignore", fields["text"], line)


# ---------------------------------------------------------------------------------------------


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(value, ensure_ascii=False)


def _entity_text(fields: dict[str, Any]) -> str:
    lines = [
        f"- id: {fields['id']}",
        f"  name: {_q(fields['name'])}",
        f"  type: {fields['type']}",
        f"  aliases: [{', '.join(_q(a) for a in fields['aliases'])}]",
        f"  description: {_q(fields['description'])}",
        f"  wikidata: {fields['wikidata'] or 'null'}",
        f"  wikipedia: {fields['wikipedia'] or 'null'}",
    ]
    return "\n".join(lines) + "\n"


def _validated(model: type[pydantic.BaseModel], fields: dict[str, Any], path: Path) -> None:
    if not fields.get("name", fields.get("text")):
        raise RegistryError("the name is empty; give the words as the articles write them", path)
    if "type" in fields and fields["type"] not in ENTITY_TYPES:
        raise RegistryError(f"type {fields['type']!r} is not a type of entity; use one of: {', '.join(ENTITY_TYPES)}")
    try:
        model.model_validate(fields)
    except pydantic.ValidationError as exc:
        problem = exc.errors()[0]
        where = str(problem["loc"][0]) if problem["loc"] else "entry"
        if where == "description" and not fields.get("description"):
            raise RegistryError("description is empty; give one line saying who or what this is", path) from None
        if where in ("description", "reason") and "\n" in str(fields.get(where, "")):
            raise RegistryError(f"{where} must be one line", path) from None
        if where == "id":
            raise RegistryError(
                f"the id {fields['id']!r} (made from the name) is not valid; give an id of lowercase letters, "
                "digits and hyphens",
                path,
            ) from None
        raise RegistryError(f"{where}: {field_words(problem)}", path) from None


def _current(path: Path) -> tuple[str, Registry, Any]:
    """The registry file's text, as the build reads it, and its round-trip data (lines kept)."""
    if not path.is_file():
        return "entities: []\n\nignore: []\n", Registry(), CommentedMap(entities=CommentedSeq(), ignore=CommentedSeq())
    raw = path.read_bytes()
    registry, errors = read_registry(raw, path)
    if errors:
        raise ErrorList([*errors, RegistryError("fix the registry as said above first; nothing was changed", path)])
    text = raw.decode("utf-8")
    data = YAML(typ="rt").load(text)
    if data is None:
        return "entities: []\n\nignore: []\n", registry, CommentedMap()
    return text, registry, data


def _after_type(entities: Any, kind: str) -> int | None:
    """Index of the last entity of *kind* in the list (None: none has it)."""
    if not isinstance(entities, CommentedSeq):
        return None
    found = [i for i, item in enumerate(entities) if isinstance(item, CommentedMap) and item.get("type") == kind]
    return found[-1] if found else None


def _insert(text: str, items: Any, key: str, entry: str, after: int | None) -> tuple[str, int]:
    """*text* with *entry* (a list item written at column 0) added to the list under *key*: after
    item *after*, else at the list's end. Returns the new text and the entry's first line (1-based)."""
    lines = text.split("\n")
    if not isinstance(items, CommentedSeq) or not items or items.fa.flow_style():
        # No block list yet: `key: []` (or no key) becomes a block list holding the entry.
        indented = _indent(entry, 2)
        for number, line in enumerate(lines):
            if line.split("#", 1)[0].rstrip() in (f"{key}:", f"{key}: []"):
                new = [*lines[:number], f"{key}:", indented.rstrip("\n"), *lines[number + 1 :]]
                return "\n".join(new), number + 2
        body = text.rstrip("\n") + "\n\n" if text.strip() else ""
        return body + f"{key}:\n" + indented, len(body.split("\n")) + 1
    index = len(items) - 1 if after is None else after
    first = items.lc.item(index)[0]
    dash = lines[first].index("-") if "-" in lines[first] else 2
    following = items.lc.item(index + 1)[0] if index + 1 < len(items) else len(lines)
    end = first
    for number in range(first, following):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#") and _indent_of(lines[number]) >= dash:
            end = number
    new = [*lines[: end + 1], "", _indent(entry, dash).rstrip("\n"), *lines[end + 1 :]]
    return "\n".join(new), end + 3


def _indent(text: str, width: int) -> str:
    return "".join((" " * width + line if line else line) for line in text.splitlines(keepends=True))


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
