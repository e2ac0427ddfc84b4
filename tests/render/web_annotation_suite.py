"""The W3C Web Annotation test suite's JSON Schemas, run as its harness runs them.

The suite (github.com/w3c/web-annotation-tests, vendored in ``tests/fixtures/web-annotation-tests``
with its licence and PROVENANCE.md) is a set of ``.test`` manifests, each listing assertion schemas
(JSON Schema draft 4) with an ``assertionType`` (must, should, may) and an ``expectedResult``. The
harness (web-platform-tests ``annotation-model/scripts/JSONtest.js``) validates the whole document
against each listed schema on its own, with the seven ``definitions/*.json`` schemas available by
their ids; an assertion passes when the result is the one expected. Every assertion in the suite
expects "valid", and every one continues after a failure, so nothing is ever skipped.

The id, source and date assertions rest on ``"format": "uri"`` and ``"format": "date-time"``, which
python-jsonschema checks only with ``rfc3986-validator`` and ``rfc3339-validator`` installed:
:func:`format_checker` refuses to run without them, since the assertions would then pass whatever
the document says.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Literal

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SUITE = Path(__file__).resolve().parents[1] / "fixtures" / "web-annotation-tests"
Kind = Literal["annotation", "collection", "page"]
Level = Literal["must", "should", "may"]
MANIFESTS: dict[Kind, tuple[str, ...]] = {
    "annotation": (
        "annotations/annotationMusts.test",
        "annotations/annotationOptionals.test",
        "annotations/annotationsAgentOptionals.test",
    ),
    "collection": ("collections/collectionMusts.test", "collections/collectionOptionals.test"),
    "page": ("collections/pages/pageMusts.test", "collections/pages/pageOptionals.test"),
}


def format_checker() -> FormatChecker:
    """Draft 4's format checker, refusing to go on when "uri" or "date-time" would not be checked."""
    checker = Draft4Validator.FORMAT_CHECKER
    missing = {"uri", "date-time"} - set(checker.checkers)
    if missing:
        raise RuntimeError(
            f"jsonschema cannot check the format(s) {sorted(missing)}: install rfc3986-validator and "
            "rfc3339-validator (requirements.lock has them); without them the suite's id, source and "
            "date assertions pass whatever the annotations say"
        )
    return checker


@cache
def _registry() -> Registry:
    # The assertion schemas refer to "bodyTarget.json#/definitions/…" relative to their own relative
    # ids ("3.3.5-bodyEWRNoPurpose.json"), so the definitions are registered under their bare ids.
    resources = []
    for path in sorted((SUITE / "definitions").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["id"], Resource(contents=contents, specification=DRAFT4)))
    return Registry().with_resources(resources)


@cache
def assertions(kind: Kind) -> tuple[tuple[str, str, Draft4Validator], ...]:
    """Every assertion of *kind*'s manifests: (file, assertion type, validator), in order."""
    checker = format_checker()
    found: dict[str, tuple[str, str, Draft4Validator]] = {}
    for manifest in MANIFESTS[kind]:
        test = json.loads((SUITE / manifest).read_text(encoding="utf-8"))
        for entry in test["assertions"]:
            if not isinstance(entry, str):
                raise NotImplementedError(f"{manifest}: nested assertion lists are not in this suite")
            schema = json.loads((SUITE / entry).read_text(encoding="utf-8"))
            if schema.get("expectedResult", "valid") != "valid":
                raise NotImplementedError(f"{entry}: an assertion expecting 'invalid' is not in this suite")
            if not schema.get("onUnexpectedResult", "failAndContinue").endswith("AndContinue"):
                raise NotImplementedError(f"{entry}: an assertion that stops the run is not in this suite")
            level = schema.get("assertionType", "must").lower()
            found.setdefault(
                entry, (entry, level, Draft4Validator(schema, registry=_registry(), format_checker=checker))
            )
    return tuple(found.values())


def failures(document: Any, kind: Kind, level: Level = "must") -> list[str]:
    """The assertions of *level* that *document* (one *kind* of object) fails, each with the
    suite's own message."""
    failed = []
    for entry, assertion_level, validator in assertions(kind):
        if assertion_level == level and not validator.is_valid(document):
            schema = validator.schema
            failed.append(f"{entry}: {schema.get('errorMessage') or schema.get('title', '')}")
    return failed


def parts(collection: dict[str, Any]) -> dict[str, tuple[Kind, Any]]:
    """A published collection as the parts the suite checks one by one: the collection itself, its
    embedded first page as a page, and each of the page's items as an annotation (each as it is:
    an embedded object must carry its own ``@context``)."""
    found: dict[str, tuple[Kind, Any]] = {"collection": ("collection", collection)}
    first = collection.get("first")
    if isinstance(first, dict):
        found["page"] = ("page", first)
        for number, item in enumerate(first.get("items", [])):
            name = item.get("id", number) if isinstance(item, dict) else number
            found[f"annotation {name}"] = ("annotation", item)
    return found


def collection_failures(collection: dict[str, Any], level: Level = "must") -> dict[str, list[str]]:
    """:func:`failures` of every part of a published collection, by part; parts that pass are left out."""
    out = {}
    for name, (kind, part) in parts(collection).items():
        failed = failures(part, kind, level)
        if failed:
            out[name] = failed
    return out
