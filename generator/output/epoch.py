"""The build's timestamp, so that two builds of the same sources are byte-identical.

MkDocs writes the build date into ``sitemap.xml`` (``lastmod``) and into the gzip header of
``sitemap.xml.gz``; both honour ``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/
source-date-epoch/). The archive sets it from the last commit's time, so a page's date is that of
the sources it was built from, never that of the machine that built it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.settings import Settings, child_environment

FIXED_EPOCH = 0
"""The timestamp outside git (1970-01-01; gzip reads an mtime of 0 as "no time stamp")."""


def commit_epoch(root: Path, rev: str = "HEAD") -> int | None:
    """The committer time of *rev* in the git repository holding *root*, or None outside git."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct", rev, "--"],
            env=child_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:  # git is not installed
        return None
    text = result.stdout.strip()
    return int(text) if result.returncode == 0 and text.isdigit() else None


def source_date_epoch(settings: Settings) -> str:
    """``$SOURCE_DATE_EPOCH`` if set, else the last commit's time, else :data:`FIXED_EPOCH`."""
    if settings.source_date_epoch and settings.source_date_epoch.isdigit():
        return settings.source_date_epoch
    epoch = commit_epoch(settings.root)
    return str(FIXED_EPOCH if epoch is None else epoch)
