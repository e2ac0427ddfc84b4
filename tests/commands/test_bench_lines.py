"""What ``archive build`` prints about an incremental build is what ``make bench`` reads back."""

from __future__ import annotations

import pytest

from generator.commands import report
from generator.commands.bench import SITE_LINE, STEPS_LINE, bracketed
from generator.engines.incremental import EngineReport


def test_the_bench_reads_the_site_line_and_the_steps(capsys: pytest.CaptureFixture[str]) -> None:
    done = EngineReport(
        full=False,
        rendered=["a/index.html", "b/index.html", "c/index.html"],
        indexed_pages=1,
        indexed_bytes=39_400,
        seconds={"standby": 0.2, "mkdocs": 4.06, "pagefind": 0.15, "swap": 0.3},
        given=(31, 56_020),
    )
    report.engine(done)
    line = capsys.readouterr().out.strip()
    assert line == (
        "Site: built only what changed (3 pages rendered; 1 indexed by Pagefind (39 KB); "
        "standby copy 0.2 s, MkDocs 4.1 s (given 31 of 56,020 files), Pagefind 0.1 s, feeds and swap 0.3 s)."
    )
    found = SITE_LINE.search(line)
    assert found is not None
    assert found.group(1, 3, 4, 5, 6, 7) == ("3", "1", "39", "4.1", "31", "56,020")
    steps = STEPS_LINE.search(f"… in 9.0 s ({report.steps({'generate': 4.42, 'site': 4.58})}).")
    assert steps is not None and steps.groups() == ("4.4", "4.6")


def test_a_full_build_says_why_without_steps(capsys: pytest.CaptureFixture[str]) -> None:
    report.engine(EngineReport(full=True, why="no earlier build is recorded", seconds={"build": 200.0}))
    assert capsys.readouterr().out.strip() == "Site: built in full (no earlier build is recorded)."


def test_raw_spacy_before_and_after_the_generate_counts_as_their_mean_time() -> None:
    before = {"articles": 10, "words": 60_000, "seconds": 2.0, "wps": 30_000.0, "cpu_s": 4.0, "cpu_wps": 15_000.0}
    after = {**before, "seconds": 4.0, "wps": 15_000.0, "cpu_s": 6.0, "cpu_wps": 10_000.0}
    mean = bracketed(before, after)
    # the mean of the times, not of the rates (which would say 22,500 words/s)
    assert mean["seconds"] == 3.0 and mean["wps"] == 20_000.0
    assert mean["cpu_s"] == 5.0 and mean["cpu_wps"] == 12_000.0
    assert mean["articles"] == 10 and mean["words"] == 60_000
