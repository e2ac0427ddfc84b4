"""The archive's problems: errors (exceptions) and warnings (values), each naming file and line.

Every error a user can cause is an :class:`ArchiveError`. The command line prints its message
(which names the file and line and says what to do) without a traceback. A warning is a
:class:`Problem`: the same message and place, but the run goes on. A :class:`Report` collects
both over a whole run, so one run names every problem; :meth:`Report.problems` is the one place
where ``--strict`` turns warnings into errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

STRICT_SUFFIX = " (a warning, made an error by --strict)"
"""How a warning reads when ``--strict`` makes it an error."""


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


class ConfigError(ArchiveError):
    """The site's configuration (``mkdocs.yml``) is malformed, or would publish an unsafe site."""


class NoteError(ArchiveError):
    """A notes file is malformed."""


class NoteAnchorError(NoteError):
    """A note's quote cannot be anchored in its article (missing or ambiguous)."""

    outcome: str = "orphan"
    """Why: ``orphan`` (the words are not there), ``ambiguous`` (two places are about as good) or
    ``moved`` (the note would leave the place it was at the last build)."""


class LockError(NoteError):
    """An anchors lock file (``articles/<slug>.anchors.yml``) is malformed or does not fit its article."""


class ModelMissingError(ArchiveError):
    """The spaCy model package is not installed."""


class BuildError(ArchiveError):
    """The site could not be built (MkDocs failed)."""


class WriteError(ArchiveError):
    """A file the archive writes cannot be written: the disk is full, a file is in the way, no permission."""


class PublishError(ArchiveError):
    """The site cannot be published: a bad repository or publish path, a commit that cannot be exported."""


class PreviewError(ArchiveError):
    """The live preview cannot start (e.g. its port is taken)."""


class ErrorList(ArchiveError):
    """Several problems found in one run; the message lists them all."""

    def __init__(self, errors: list[ArchiveError]) -> None:
        from generator.util.text import plural

        self.errors = errors
        lines = [e.format_message() for e in errors]
        super().__init__("\n".join(lines) + f"\n{plural(len(errors), 'problem')} found.")


@dataclass(frozen=True)
class Problem:
    """A warning: something an editor should look at, and where it is. The run goes on."""

    message: str
    """What is wrong and what to do, in the editor's words."""
    path: Path | str | None = None
    """The file it concerns."""
    line: int | None = None
    """1-based line in :attr:`path`."""
    column: int | None = None
    """1-based column in :attr:`line`."""

    def __str__(self) -> str:
        return f"{where(self.path, self.line, self.column)}: {self.message}" if self.path is not None else self.message

    def as_error(self) -> ArchiveError:
        """This warning as the error ``--strict`` makes of it."""
        return ArchiveError(self.message + STRICT_SUFFIX, self.path, self.line, self.column)


@dataclass
class Report:
    """Every problem of a run: errors (the run cannot publish) and warnings."""

    errors: list[ArchiveError] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def problems(self, strict: bool) -> list[ArchiveError]:
        """What stops the run: the errors and, with *strict*, every warning made an error."""
        return [*self.errors, *(w.as_error() for w in self.warnings)] if strict else list(self.errors)

    def check(self, strict: bool) -> None:
        """Raise :class:`ErrorList` naming every problem that stops the run, if there is any."""
        problems = self.problems(strict)
        if problems:
            raise ErrorList(problems)


class AddError(ArchiveError):
    """An article cannot be added: unreadable input, no text found, or its place is taken."""
