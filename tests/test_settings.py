"""The settings from the environment: a typo or a value out of range is an error naming the
variable, never ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ArchiveError
from generator.settings import Settings


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ARCHIVE_PAGE_SIZE", "abc"),
        ("ARCHIVE_PAGE_SIZE", "-5"),
        ("ARCHIVE_PAGE_SIZE", "1"),
        ("ARCHIVE_PAGE_SIZE", "9" * 5000),
        ("ARCHIVE_PAGE_SIZE", "１０"),  # full-width digits
        ("ARCHIVE_PROCESSES", "0"),
        ("ARCHIVE_PAGEFIND_THRESHOLD", "2e3"),
        ("ARCHIVE_PAGEFIND_SHARD", "0"),
        ("SOURCE_DATE_EPOCH", "abc"),
        ("SOURCE_DATE_EPOCH", "99999999999999"),
        ("SOURCE_DATE_EPOCH", "-1"),
    ],
)
def test_a_bad_value_is_an_error_naming_the_variable(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ArchiveError) as caught:
        Settings.load(tmp_path, environ={name: value})
    message = caught.value.format_message()
    assert message.startswith(f"{name}={value!r} is not "), message
    assert "unset it" in message


def test_good_values_and_unset_ones() -> None:
    settings = Settings.load(Path("."), environ={"ARCHIVE_PAGE_SIZE": " 10 ", "SOURCE_DATE_EPOCH": "253402300799"})
    assert settings.page_size == 10 and settings.source_date_epoch == "253402300799"
    default = Settings.load(Path("."), environ={"ARCHIVE_PAGE_SIZE": "", "ARCHIVE_PROCESSES": ""})
    assert default.page_size == 50 and default.processes is None and default.source_date_epoch is None
