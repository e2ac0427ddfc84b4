"""Invisible characters that make text read differently from how it displays.

Bidirectional overrides (U+202A–202E, U+2066–2069) reorder what a reader sees ("Trojan Source");
zero-width characters (U+200B–200D, U+2060, U+FEFF after the start of a file) hide inside words,
so a quote, a name or a search no longer matches what is shown; other control characters are
debris of a bad copy. The archive keeps them (the text is evidence) but reports each one as a
warning naming ``file:line:column``, so an editor can decide.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from generator.errors import Problem

BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
CONTROL = {chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))} - {"\t", "\n", "\r"}
SUSPECT = re.compile("[" + re.escape("".join(sorted(BIDI | ZERO_WIDTH | CONTROL))) + "]")


def _kind(char: str) -> str:
    if char in BIDI:
        return "bidirectional control character"
    if char in ZERO_WIDTH:
        return "zero-width character"
    return "control character"


def _advice(char: str) -> str:
    if char in BIDI:
        return "it can make the text display in another order than it reads; remove it unless the source has it"
    if char in ZERO_WIDTH:
        return "it is invisible and splits words for search and quotes; remove it unless the script needs it"
    return "it is invisible; remove it"


def scan_text(text: str, path: Path | str, first_line: int = 1) -> list[Problem]:
    """One warning per suspect character of *text* (a leading byte order mark is allowed)."""
    warnings = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        for found in SUSPECT.finditer(line):
            char = found.group(0)
            if char == "\ufeff" and number == 1 and found.start() == 0:
                continue
            name = unicodedata.name(char, "")
            label = f"U+{ord(char):04X}" + (f" ({name})" if name else "")
            warnings.append(Problem(f"{_kind(char)} {label}; {_advice(char)}", path, number, found.start() + 1))
    return warnings


def check_files(paths: Iterable[Path]) -> list[Problem]:
    """Warnings for every readable UTF-8 file among *paths*; files that cannot be read are skipped
    (reading them is reported as an error elsewhere)."""
    warnings: list[Problem] = []
    for path in paths:
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        warnings.extend(scan_text(text.replace("\r\n", "\n").replace("\r", "\n"), path))
    return warnings
