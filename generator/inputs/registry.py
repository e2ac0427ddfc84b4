"""The entity registry (``entities.yml``): the people, organisations and places the archive links.

The registry is data an editor reads and extends. Each entry is validated with a typed schema;
every problem is reported with the file and line it concerns, all of them in one run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
from pydantic_core import PydanticCustomError

from generator.errors import Problem, RegistryError
from generator.inputs.yamlio import line_of, parse, validate

ENTITY_TYPES: dict[str, str] = {
    "person": "People",
    "organisation": "Organisations",
    "place": "Places",
    "event": "Events",
    "group": "Groups",
    "office": "Offices",
    "work": "Works",
}
"""The allowed entity types, in the order the index lists them, with their headings."""

NER_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE")
"""The labels of the language model that name something (not dates, numbers or amounts)."""

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ONE_LINE = r"^[^\n\r]*\S[^\n\r]*$"
WIKIDATA = r"Q[1-9][0-9]*"
WIKIPEDIA = r"https://[a-z-]+\.wikipedia\.org/wiki/[^\s<>\"'`]+"


COMMON_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each either else ever every few for from
    further had has have having he her here hers herself him himself his how however i if in into is it its
    itself just may me might mine more most much must my myself neither no nor not now of off often on once
    only or other our ours ourselves out over own per same shall she should since so some such than that the
    their theirs them themselves then there these they this those though through thus to too under until up
    upon us very via was we were what when where whether which while who whom whose why will with within
    without would yet you your yours yourself yourselves one two three first new said says year years
    """.split()
)
"""Words found in nearly every English article. A registry form that is one of them (in any case
but all capitals: ``US`` is a name, ``us`` and ``Us`` are not) would link the first such word of
every article, so it is refused unless the entity lists it under ``on_purpose``."""
MIN_NAME_CHARACTERS = 2
"""Fewest letters and digits a form needs (``G7`` has two) unless listed under ``on_purpose``."""


def common_form_problem(form: str) -> str | None:
    """Why *form* would link ordinary words of every article, or None: no letter or digit at all,
    fewer than :data:`MIN_NAME_CHARACTERS` of them, or a common word (:data:`COMMON_WORDS`)."""
    letters = sum(1 for char in form if char.isalnum())
    if letters == 0:
        return "has no letter or digit; it would link punctuation in every article"
    if letters < MIN_NAME_CHARACTERS:
        return f"is only {letters} letter or digit long; it would link that character wherever it stands alone"
    if form.lower() in COMMON_WORDS and not (form.isupper() and len(form) > 1):
        return f"is a common word; the first {form!r} of every article would link to this entity"
    return None


def _check_type(value: Any) -> Any:
    if value not in ENTITY_TYPES:
        raise PydanticCustomError(
            "entity_type",
            "unknown entity type {value}; use one of: {allowed}",
            {"value": repr(value), "allowed": ", ".join(ENTITY_TYPES)},
        )
    return value


class EntitySchema(pydantic.BaseModel):
    """One entry of ``entities:`` as written in the file."""

    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = pydantic.Field(pattern=ID_PATTERN, max_length=80)
    name: str = pydantic.Field(pattern=ONE_LINE, max_length=200)
    type: str
    aliases: list[pydantic.constr(pattern=ONE_LINE, max_length=200, strip_whitespace=True)] = []  # type: ignore[valid-type]
    misspellings: list[pydantic.constr(pattern=ONE_LINE, max_length=200, strip_whitespace=True)] = []  # type: ignore[valid-type]
    description: str = pydantic.Field(pattern=ONE_LINE, max_length=300)
    wikidata: str | None = None
    wikipedia: str | None = None
    on_purpose: list[pydantic.constr(max_length=200, strip_whitespace=True)] = []  # type: ignore[valid-type]
    """Forms that are also common words or very short (``May``, ``X``), linked on purpose."""

    @pydantic.field_validator("wikidata", mode="before")
    @classmethod
    def _wikidata(cls, value: Any) -> Any:
        if value is not None and not (isinstance(value, str) and re.fullmatch(WIKIDATA, value.strip())):
            raise PydanticCustomError(
                "wikidata",
                "{value} is not a Wikidata id; write Q and its digits (e.g. Q1016), or null",
                {"value": repr(value)},
            )
        return value.strip() if isinstance(value, str) else value

    @pydantic.field_validator("wikipedia", mode="before")
    @classmethod
    def _wikipedia(cls, value: Any) -> Any:
        if value is not None and not (isinstance(value, str) and re.fullmatch(WIKIPEDIA, value.strip())):
            raise PydanticCustomError(
                "wikipedia",
                "{value} is not a Wikipedia address; write https://en.wikipedia.org/wiki/Title, or null",
                {"value": repr(value)},
            )
        return value.strip() if isinstance(value, str) else value

    @pydantic.field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        return _check_type(value)


class IgnoreSchema(pydantic.BaseModel):
    """One entry of ``ignore:``: words the model reports that are deliberately left unlinked."""

    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = pydantic.Field(pattern=ONE_LINE, max_length=200)
    label: str | None = None
    reason: str = pydantic.Field(pattern=ONE_LINE, max_length=300)

    @pydantic.field_validator("label")
    @classmethod
    def _label(cls, value: str | None) -> str | None:
        if value is not None and value not in NER_LABELS:
            raise PydanticCustomError(
                "ner_label",
                "unknown label {value}; use one of: {allowed}",
                {"value": repr(value), "allowed": ", ".join(NER_LABELS)},
            )
        return value


class FileSchema(pydantic.BaseModel):
    """The file's top level (entries are validated one by one, to report every problem)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    entities: list[Any] = []
    ignore: list[Any] = []


@dataclass(frozen=True)
class Entity:
    """A person, organisation, place, event or group the archive links to its own page."""

    id: str
    """Lowercase words joined by hyphens; the page's address is ``entities/<id>/``."""
    name: str
    """The canonical name, as the page's heading."""
    type: str
    """One of :data:`ENTITY_TYPES`."""
    description: str
    """One line, shown as the tooltip of every link to the entity."""
    aliases: tuple[str, ...] = ()
    """Other names matched in articles (exact words, case-sensitive)."""
    misspellings: tuple[str, ...] = ()
    """Wrong spellings found in articles, matched like aliases and listed as misspellings."""
    wikidata: str | None = None
    """The Wikidata item (``Q…``), when one was checked."""
    wikipedia: str | None = None
    """The English Wikipedia article's address."""
    line: int = 0
    """1-based line of the entry in the registry file."""

    @property
    def forms(self) -> tuple[str, ...]:
        """Every surface form matched in articles: the name, the aliases, the misspellings."""
        return tuple(dict.fromkeys((self.name, *self.aliases, *self.misspellings)))

    @property
    def wikidata_url(self) -> str | None:
        return f"https://www.wikidata.org/wiki/{self.wikidata}" if self.wikidata else None


@dataclass(frozen=True)
class Ignored:
    """Words the model reports as a name that the editors chose not to link."""

    text: str
    label: str | None
    """The model's label it applies to, or None for any label."""
    reason: str


@dataclass(frozen=True)
class Registry:
    """The validated registry."""

    entities: tuple[Entity, ...] = ()
    """Every entity, in file order."""
    ignore: tuple[Ignored, ...] = ()
    version: str = "empty"
    """A hash of the file's bytes: part of the key of anything computed from the registry."""

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities)

    def __len__(self) -> int:
        return len(self.entities)

    def get(self, entity_id: str) -> Entity | None:
        return self._by_id().get(entity_id)

    def lookup(self, text: str) -> str | None:
        """The id of the entity one of whose forms is exactly *text*, or None."""
        return self._by_form().get(text)

    def is_ignored(self, text: str, label: str) -> bool:
        return any(item.text == text and item.label in (None, label) for item in self.ignore)

    @property
    def matching(self) -> str:
        """A hash of what finding mentions reads of the registry: each entity's id, type and forms,
        in file order (the entity ruler's patterns). Descriptions, identifiers and the ignore list
        are left out, so editing them does not send every article through the model again."""
        cached = self.__dict__.get("_matching")
        if cached is None:
            digest = hashlib.sha256()
            for entity in self.entities:
                digest.update("\x00".join((entity.id, entity.type, *entity.forms)).encode("utf-8") + b"\x01")
            cached = digest.hexdigest()[:16]
            object.__setattr__(self, "_matching", cached)
        return cached

    def _by_id(self) -> dict[str, Entity]:
        cached = self.__dict__.get("_ids")
        if cached is None:
            cached = {entity.id: entity for entity in self.entities}
            object.__setattr__(self, "_ids", cached)
        return cached

    def _by_form(self) -> dict[str, str]:
        cached = self.__dict__.get("_forms")
        if cached is None:
            cached = {form: entity.id for entity in self.entities for form in entity.forms}
            object.__setattr__(self, "_forms", cached)
        return cached


def load_registry(path: Path) -> tuple[Registry, list[RegistryError]]:
    """Read and validate the registry at *path*; a missing file is an empty registry.

    Returns the registry built from the valid entries and every problem found (each naming
    ``path:line``). Duplicate ids and a form claimed by two entities are problems.
    """
    if not (path.exists() or path.is_symlink()):
        return Registry(), []
    if path.is_symlink() or not path.is_file():
        kind = "a symbolic link" if path.is_symlink() else "a folder" if path.is_dir() else "not a regular file"
        return Registry(), [
            RegistryError(
                f"this is {kind}; the registry is a plain file of that name (see the guide's entities page)", path
            )
        ]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Registry(), [RegistryError(f"cannot read the registry: {exc.strerror}", path)]
    return read_registry(raw, path)


def read_registry(raw: bytes, path: Path) -> tuple[Registry, list[RegistryError]]:
    """The registry whose file content is *raw* (from *path*), and every problem found."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Registry(), [RegistryError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", path)]
    try:
        data = parse(text, path, RegistryError)
    except RegistryError as exc:
        return Registry(), [exc]
    if data is None:
        return Registry(version=_version(raw)), []
    if not isinstance(data, dict):
        return Registry(), [
            RegistryError("the registry must be a mapping with 'entities:' and 'ignore:' lists", path, 1)
        ]
    errors: list[RegistryError] = []
    try:
        validate(FileSchema, data, path, RegistryError)
    except RegistryError as exc:
        return Registry(), [exc]
    entities = _entities(data.get("entities") or [], path, errors)
    ignore = _ignored(data.get("ignore") or [], path, errors)
    return Registry(tuple(entities), tuple(ignore), _version(raw)), errors


def registry_warnings(path: Path, registry: Registry, errors: list[RegistryError]) -> list[Problem]:
    """A warning when a valid registry links nothing (the file is missing, empty, or lists no
    entities): every name in the archive would then stay unlinked without a word."""
    if errors or len(registry):
        return []
    if not path.exists():
        return [
            Problem(
                "there is no registry: no names are linked; create it to link people, places and organisations", path
            )
        ]
    return [Problem("the registry lists no entities: no names are linked; add entries under 'entities:'", path)]


def _version(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def _entities(items: list[Any], path: Path, errors: list[RegistryError]) -> list[Entity]:
    entities: list[Entity] = []
    ids: dict[str, int] = {}
    forms: dict[str, tuple[str, int]] = {}
    for index, node in enumerate(items):
        line = line_of(items, [index]) or 0
        label = f"entity {node.get('id')!r}" if isinstance(node, dict) and node.get("id") else f"entity #{index + 1}"
        try:
            entry = validate(EntitySchema, node, path, RegistryError, what=label)
        except RegistryError as exc:
            errors.append(exc)
            continue
        if entry.id in ids:
            errors.append(
                RegistryError(
                    f"duplicate entity id {entry.id!r} (first defined at line {ids[entry.id]}); "
                    "give each entity its own id",
                    path,
                    line,
                )
            )
            continue
        ids[entry.id] = line
        if _common_forms(entry, node, path, line, errors):
            continue
        entity = Entity(
            id=entry.id,
            name=entry.name,
            type=entry.type,
            description=entry.description,
            aliases=tuple(dict.fromkeys(a for a in entry.aliases if a != entry.name)),
            misspellings=tuple(dict.fromkeys(m for m in entry.misspellings if m != entry.name)),
            wikidata=entry.wikidata,
            wikipedia=entry.wikipedia,
            line=line,
        )
        clash = False
        for form in entity.forms:
            if form in forms and forms[form][0] != entity.id:
                other, other_line = forms[form]
                form_line = _form_line(node, form) or line
                errors.append(
                    RegistryError(
                        f"entity {entity.id!r}: the name {form!r} is already claimed by entity {other!r} "
                        f"(line {other_line}); keep each name on one entity",
                        path,
                        form_line,
                    )
                )
                clash = True
            forms.setdefault(form, (entity.id, line))
        if not clash:
            entities.append(entity)
    return entities


def _common_forms(entry: EntitySchema, node: Any, path: Path, line: int, errors: list[RegistryError]) -> bool:
    """Report the forms of *entry* that would link ordinary words (see :func:`common_form_problem`)
    and are not listed under ``on_purpose``; True if there is any."""
    forms = dict.fromkeys((entry.name, *entry.aliases, *entry.misspellings))
    found = False
    for extra in entry.on_purpose:
        if extra not in forms:
            errors.append(
                RegistryError(
                    f"entity {entry.id!r}: on_purpose lists {extra!r}, which is not its name, an alias or a "
                    "misspelling; list there only forms of the entity that are common words or very short",
                    path,
                    _form_line(node, extra, ("on_purpose",)) or line,
                )
            )
            found = True
    for form in forms:
        problem = common_form_problem(form)
        if problem and form not in entry.on_purpose:
            errors.append(
                RegistryError(
                    f"entity {entry.id!r}: the form {form!r} {problem}. Remove it, or if it is meant, "
                    f"list it under on_purpose: [{form!r}]",
                    path,
                    _form_line(node, form) or line,
                )
            )
            found = True
    return found


def _form_line(node: Any, form: str, keys: tuple[str, ...] = ("name", "aliases", "misspellings")) -> int | None:
    """The line where *form* is written inside an entity entry (under *keys*)."""
    for key in keys:
        value = node.get(key)
        if value == form:
            return line_of(node, [key])
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str) and item.strip() == form:
                    return line_of(node, [key, index])
    return None


def _ignored(items: list[Any], path: Path, errors: list[RegistryError]) -> list[Ignored]:
    ignored = []
    for index, node in enumerate(items):
        try:
            entry = validate(IgnoreSchema, node, path, RegistryError, what=f"ignore #{index + 1}")
        except RegistryError as exc:
            errors.append(exc)
            continue
        ignored.append(Ignored(entry.text, entry.label, entry.reason))
    return ignored
