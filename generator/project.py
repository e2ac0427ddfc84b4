"""Where an archive's files are. Kept apart from the pipeline so the command line can name
them without importing it (``--help`` stays instant)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """Where an archive's files are, by convention, under its root folder."""

    root: Path

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def rules(self) -> Path:
        return self.root / "rules" / "cleaning.yml"

    @property
    def registry(self) -> Path:
        return self.root / "entities.yml"

    @property
    def docs(self) -> Path:
        return self.root / "site_src"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"
