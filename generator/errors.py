"""The archive's exceptions.

Every error a user can cause is an :class:`ArchiveError`. The command line prints its message
(which names the file and line and says what to do) without a traceback.
"""

from __future__ import annotations

from pathlib import Path

import click


def where(path: Path | str, line: int | None = None, column: int | None = None) -> str:
    """Format a source location as ``path:line:column`` (line and column are 1-based)."""
    text = str(path)
    if line is not None:
        text += f":{line}"
        if column is not None:
            text += f":{column}"
    return text


class ArchiveError(click.ClickException):
    """Base of every error the archive reports to its user."""

    exit_code = 1

    def __init__(
        self, message: str, path: Path | str | None = None, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.reason = message
        prefix = f"{where(path, line, column)}: " if path is not None else ""
        super().__init__(prefix + message)


class SourceError(ArchiveError):
    """An article file cannot be read: bad encoding, front matter, size, name."""


class RulesError(ArchiveError):
    """The cleaning rules file is malformed."""


class RegistryError(ArchiveError):
    """The entity registry is malformed."""


class NoteError(ArchiveError):
    """A notes file is malformed."""


class NoteAnchorError(NoteError):
    """A note's quote cannot be anchored in its article (missing or ambiguous)."""


class ModelMissingError(ArchiveError):
    """The spaCy model package is not installed."""


class BuildError(ArchiveError):
    """The site could not be built (MkDocs failed)."""


class PublishError(ArchiveError):
    """The site cannot be published: a bad repository or publish path, a commit that cannot be exported."""


class PreviewError(ArchiveError):
    """The live preview cannot start (e.g. its port is taken)."""


class ErrorList(ArchiveError):
    """Several problems found in one run; the message lists them all."""

    def __init__(self, errors: list[ArchiveError]) -> None:
        self.errors = errors
        lines = [e.format_message() for e in errors]
        count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found"
        super().__init__("\n".join(lines) + f"\n{count}.")


class AddError(ArchiveError):
    """An article cannot be added: unreadable input, no text found, or its place is taken."""
