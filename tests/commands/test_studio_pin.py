"""'This one': a note whose words occur more than once is pinned, from the needs-attention panel,
to the place the editor picks; the notes file then holds the context that tells the places apart,
and the build anchors the note there and nowhere else."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.testclient import TestClient

from generator.commands import notes_edit
from generator.commands.studio.app import studio_app
from generator.commands.studio.attention import places
from generator.commands.studio.guard import Guard
from generator.commands.studio.preview import Preview
from generator.pipeline import load
from generator.settings import Settings

PORT = 8124
ORIGIN = f"http://127.0.0.1:{PORT}"
TEXT = (
    "On Monday the council agreed to repair the harbour wall before the storms.\n\n"
    "On Friday the mayor said that the council agreed to repair the old pier as well.\n"
)
NOTE = """- id: twice
  kind: context
  quote: "agreed to repair"
  body: "Both repairs were agreed in one vote."
  sources:
    - title: "Council minutes"
      url: "https://example.org/minutes"
      accessed: 2026-12-01
  author: Archive editors
  date: 2026-12-01
"""


def test_an_ambiguous_note_is_pinned_to_the_place_chosen(project: Path, tmp_path: Path) -> None:
    (project / "articles" / "council.md").write_text(f"---\ntitle: Council\n---\n\n{TEXT}", encoding="utf-8")
    notes = project / "articles" / "council.notes.yml"
    notes.write_text(NOTE, encoding="utf-8")
    settings = Settings.load(project)
    # The build cannot tell the two places apart: it stops and names both.
    assert any("occurs 2 times" in error.format_message() for error in load(settings).errors)
    article = notes_edit.locate(settings, "council").article
    found = places(article, "agreed to repair")
    assert [place["words"] for place in found] == ["agreed to repair", "agreed to repair"]
    assert found[0]["line"] != found[1]["line"]
    second = found[1]

    guard = Guard.new(PORT)
    (tmp_path / "preview").mkdir()
    (tmp_path / "preview" / "index.html").write_text("<html><head></head><body>home</body></html>")
    http = TestClient(studio_app(Preview(settings, tmp_path / "preview"), guard), base_url=ORIGIN)
    headers = {"Content-Type": "application/json", "X-Archive-Token": guard.token, "Origin": ORIGIN}
    body = {"article": "council", "id": "twice", "start": second["start"], "end": second["end"]}
    response = http.post("/_studio/notes/pin", content=json.dumps(body), headers=headers)
    assert response.status_code == 200, response.text
    assert "anchored at the place chosen" in response.json()["message"]

    written = notes.read_text(encoding="utf-8")
    assert 'body: "Both repairs were agreed in one vote."' in written  # the rest of the note as it was
    assert "mayor said that the council" in written  # the context of the place chosen
    loaded = load(Settings.load(project))
    assert not loaded.errors, [error.format_message() for error in loaded.errors]
    (anchored,) = loaded.notes["council"]
    assert (anchored.anchor.start, anchored.anchor.end) == (second["start"], second["end"])
