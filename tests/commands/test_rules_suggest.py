"""``archive rules suggest``: lines repeated across a publisher's articles, proposed as rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import regex

from generator.commands.rules import normal, proposed_pattern

from ..conftest import REPO, run_archive

CORPUS = REPO / "tests" / "fixtures" / "corpus"
BODY = "The bridge over the river will open next year, the council said after a meeting that ran late on {day}."


def test_numbers_and_dates_are_set_aside() -> None:
    assert normal("© 2024 Harbour Times Media Ltd.  All rights reserved.") == normal(
        "© 2023 Harbour Times Media Ltd. All rights reserved."
    )
    assert normal("Updated March 4, 2024") == normal("Updated 1 June 2023")
    pattern = regex.compile(proposed_pattern(normal("© 2024 Harbour Times, March 4, 2024 (3 of 12)")))
    assert pattern.search("© 2021 Harbour Times, June 1, 2021 (10 of 40)")
    assert not pattern.search("© 2021 Harbour Times, June 1, 2021 (10 of 40) and more")


def test_the_corpus_repeats_exactly_three_lines_all_removed_already(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    (root / "articles").mkdir(parents=True)
    shutil.copytree(REPO / "rules", root / "rules")
    for path in CORPUS.glob("*.txt"):
        shutil.copy(path, root / "articles" / path.name)
    result = run_archive("rules", "suggest", cwd=root)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("  ") and not line.startswith("      ")]
    assert lines == [
        '  Harbour Times: "Harbour Times | News | Sport | Opinion | What\'s On"',
        "  The National Ledger: 'The National Ledger'",
        "  The National Ledger: 'The National Ledger · About us · Complaints & corrections · Privacy · Terms'",
    ]
    assert (
        "in 3 articles, e.g. articles/hard-by-first-paragraph.txt:1; already removed by 'navigation'" in result.stdout
    )
    assert "Every one of them is removed already; no rule to propose." in result.stdout


def test_a_kept_repeated_line_is_proposed_and_the_proposal_works(project: Path) -> None:
    for day in ("Monday", "Tuesday", "Friday"):
        number = {"Monday": 12345, "Tuesday": 12399, "Friday": 7}[day]
        (project / "articles" / f"echo-{day.lower()}.md").write_text(
            f"---\ntitle: Bridge story {day}\npublisher: Valley Echo\n---\n\n{BODY.format(day=day)}\n\n"
            f"Valley Echo is part of Northshire Media. Reg. no. {number}\n\n"
            f"| Lane | Cars a day |\n|---|---|\n| North | {number} |\n",
            encoding="utf-8",
        )
    before = {p: p.read_bytes() for p in (project / "articles").glob("*")}
    result = run_archive("rules", "suggest", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (
        "  Valley Echo: 'Valley Echo is part of Northshire Media. Reg. no. 7'\n"
        "      in 3 articles, e.g. articles/echo-friday.md:8; kept in 3 of them: a rule is proposed below\n"
    ) in result.stdout
    proposal = result.stdout.split("# for a rules file of rules/ named after the publisher, e.g. valley-echo.yml\n", 1)[
        1
    ]
    assert proposal.startswith("blocks:\n  - id: valley-echo-repeated-1\n")
    assert "Lane" not in result.stdout  # a table is kept or removed whole: its repeated header row is no chrome
    assert r"match: '^Valley Echo is part of Northshire Media\. Reg\. no\. \d+$'" in proposal
    # Nothing was removed or written: the articles are as they were.
    assert before == {p: p.read_bytes() for p in (project / "articles").glob("*")}
    # Pasted into a rules file, the proposal removes the line from the three articles, and only it.
    (project / "rules" / "valley-echo.yml").write_text(proposal, encoding="utf-8")
    check = run_archive("check", "--strict", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("removed by valley-echo-repeated-1: Valley Echo is part of Northshire Media.") == 3
    again = run_archive("rules", "suggest", cwd=project)
    assert "already removed by 'valley-echo-repeated-1'" in again.stdout
