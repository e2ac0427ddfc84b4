# ruff: noqa: E501 (test data: whole paragraphs and messages on one line)
"""``archive add``: importing saved web pages and texts, with their provenance.

The saved pages in ``tests/fixtures/import/`` wrap a real article body in a news site's chrome
(navigation, cookie banners, share buttons, related lists, comments, newsletter and app prompts,
photo credits); ``<name>.expected.txt`` holds the article's paragraphs, written out by hand from
the page. An import followed by the cleaner must give exactly those paragraphs, in order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.commands.add import archived_today, make_slug
from generator.inputs.articles import SLUG
from generator.inputs.extract import escape
from generator.inputs.inline import parse_inline
from generator.model import Article, Meta
from generator.pipeline import load
from generator.render.article import provenance_line
from generator.settings import Settings

from ..conftest import REPO, copy_project, run_archive

FIXTURES = REPO / "tests" / "fixtures" / "import"
PAGES = sorted(FIXTURES.glob("*.html"))
CHROME = {
    "globalresearch-libya": [
        "cookies", "Latest News", "Share on Facebook", "Tweet", "Related Articles", "Seven Years After",
        "Observer77", "Same playbook", "Leave a Reply", "Become a Member", "Articles by", "Disclaimer",
        "Most Popular", "Featured image", "original source", "Copyright", "Comment on Global Research",
    ],
    "harbour-herald-tram": [
        "cookies", "Herald app", "Manage settings", "Subscribe", "Related stories", "Basel trams", "tramfan_zh",
        "Shameful communication", "Read more", "transport budget", "Sign up", "Photo:", "Keystone", "Tags:",
        "Share this article", "Download the free", "All rights reserved",
    ],
    "harbour-herald-ferries": [
        "cookies", "Manage settings", "Subscribe", "Facebook", "Related stories", "new pier", "Share this article",
        "All rights reserved", "Terms",
    ],
    "valley-gazette-council": [
        "Weather", "We value your privacy", "I accept", "WhatsApp", "Image: Valley Gazette", "Read more",
        "bin collection", "Have your say", "Comments are closed", "Advertise", "tracker.example",
    ],
}  # fmt: skip
"""Page chrome of each fixture that must not reach the article."""


def expected(name: str) -> list[str]:
    return (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8").strip().split("\n\n")


def add(
    *args: str, cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``archive add …`` as a user runs it, with bytes on standard input if given."""
    environ = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000", **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "add", *args], cwd=cwd, env=environ, input=stdin or b"", capture_output=True
    )
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(), result.stderr.decode())


def articles_of(root: Path) -> dict[str, Article]:
    loaded = load(Settings.load(root))
    assert not loaded.errors, loaded.errors
    return {article.slug: article for article in loaded.articles}


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / "articles").rglob("*") if p.is_file()}


# --- Slugs, escaping, provenance: pure functions --------------------------------------------------


def test_slug_from_date_and_title() -> None:
    title = "US Looks to Dramatically Escalate Involvement in Libya, Setting Up a Permanent Military Base"
    slug = make_slug(title, dt.date(2017, 7, 12))
    assert slug == "2017-07-12-us-looks-to-dramatically-escalate-involvement"
    assert len(slug) <= 60 and SLUG.match(slug)


def test_slug_is_ascii_folded_and_safe() -> None:
    assert make_slug("Café owners on the Limmatquai fear Zürich’s new tram timetable", None) == (
        "cafe-owners-on-the-limmatquai-fear-zurichs-new-tram"
    )
    assert (
        make_slug("Straße, Łódź & Ærø: «quoted» <script>", dt.date(2024, 1, 2))
        == "2024-01-02-strasse-lodz-aero-quoted-script"
    )
    assert make_slug("مرحبا بالعالم", dt.date(2024, 1, 2)) == "2024-01-02"
    assert make_slug("???", None) == "article"
    long = make_slug("Supercalifragilisticexpialidocious" * 3, None)
    assert len(long) == 60 and SLUG.match(long)


def test_slug_does_not_end_on_a_small_word() -> None:
    slug = make_slug("Trams of lines 4 and 15 will no longer stop at the Rathaus in the old town", dt.date(2023, 3, 9))
    assert slug == "2023-03-09-trams-of-lines-4-and-15-will-no-longer-stop"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1).map(str.strip))
def test_escaped_text_reads_back_as_the_same_words(text: str) -> None:
    assert parse_inline(escape(text))[0] == text


def test_archived_date_from_source_date_epoch() -> None:
    assert archived_today("1700000000") == dt.date(2023, 11, 14)
    assert archived_today(None) == dt.date.today()


def test_provenance_line_is_escaped() -> None:
    meta = Meta(title="t", url="https://example.org/a?x=1&y=<2>", archived=dt.date(2024, 5, 1), sha256="ab" * 32)
    article = Article("s", Path("articles/s.md"), meta, ())
    line = provenance_line(article, "../../originals/s.html.txt")
    assert line == (
        '<details class="archive-meta archive-provenance">\n'
        '<summary>Archived on <time datetime="2024-05-01">1 May 2024</time> · provenance</summary>\n<ul>\n'
        f'<li>sha256 <code class="archive-sha256">{"ab" * 32}</code> (of the file as received)</li>\n'
        '<li><a href="../../originals/s.html.txt" type="text/plain">the original as received (plain text)</a></li>\n'
        "</ul>\n</details>"
    )  # the unsafe address is left out, not written
    meta = Meta(title="t", url="https://example.org/a?x=1&y=2")
    assert provenance_line(Article("s", Path("s.md"), meta, ())) == (
        '<details class="archive-meta archive-provenance">\n<summary>Archived from example.org · provenance</summary>\n'
        '<ul>\n<li>Address: <a href="https://example.org/a?x=1&amp;y=2" '
        'rel="nofollow noopener">https://example.org/a?x=1&amp;y=2</a></li>\n</ul>\n</details>'
    )
    assert provenance_line(Article("s", Path("s.md"), Meta(title="t"), ())) == ""


# --- Saved web pages: the body kept whole, the chrome gone ----------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The archive with every fixture page added, then built with ``archive build --strict``."""
    root = copy_project(tmp_path_factory.mktemp("imported") / "archive")
    outputs = {}
    for page in PAGES:
        result = add(str(page), cwd=root)
        assert result.returncode == 0, result.stderr
        outputs[page.stem] = result.stdout
    run_archive("build", "--strict", cwd=root, check=True)
    return root, outputs


def _slug_of(output: str) -> str:
    found = re.search(r"as articles/([a-z0-9-]+)\.md", output)
    assert found, output
    return found.group(1)


@pytest.mark.parametrize("name", [page.stem for page in PAGES])
def test_page_body_is_kept_whole_and_chrome_is_gone(imported: tuple[Path, dict[str, str]], name: str) -> None:
    root, outputs = imported
    article = articles_of(root)[_slug_of(outputs[name])]
    assert [block.text for block in article.blocks] == expected(name)
    text = article.text
    for chrome in CHROME[name]:
        assert chrome not in text, chrome


@pytest.mark.parametrize("name", [page.stem for page in PAGES])
def test_built_page_shows_the_body_in_order_and_its_provenance(
    imported: tuple[Path, dict[str, str]], name: str
) -> None:
    root, outputs = imported
    slug = _slug_of(outputs[name])
    html = (root / "site" / "articles" / slug / "index.html").read_text(encoding="utf-8")
    # Paragraphs, headings and tables (a table's text: cells apart by tabs, rows by line breaks).
    paragraphs = re.findall(
        r'<(?:p|h[2-6]|div class="archive-table") id="p\d+"[^>]*>(.*?)</(?:p|h[2-6]|div)>', html, re.S
    )
    plain = [
        re.sub(r"<[^>]+>", "", p).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") for p in paragraphs
    ]
    assert plain == expected(name)
    for chrome in CHROME[name]:
        assert chrome not in "\n".join(plain), chrome
    original = next((root / "articles" / "originals").glob(f"{slug}.*"))
    sha = hashlib.sha256(original.read_bytes()).hexdigest()
    assert f'sha256 <code class="archive-sha256">{sha}</code>' in html
    assert 'Archived on <time datetime="2023-11-14">14 November 2023</time>' in html
    link = f"../../originals/{slug}.html.txt"
    assert f'<a href="{link}" type="text/plain">the original as received (plain text)</a>' in html
    # The original is published as inert text, byte for byte, and never as a web page.
    published = root / "site" / "originals" / f"{slug}.html.txt"
    assert published.read_bytes() == original.read_bytes()
    assert not list((root / "site" / "originals").glob("*.html"))


def test_emphasis_links_and_headings_are_kept(imported: tuple[Path, dict[str, str]]) -> None:
    root, outputs = imported
    articles = articles_of(root)
    lead = articles[_slug_of(outputs["globalresearch-libya"])].blocks[0]
    spans = {(span.kind, lead.text[span.start : span.end], span.target) for span in lead.spans}
    assert ("em", lead.text, "") in spans
    assert ("strong", "setting up a permanent US military presence in the nation", "") in spans
    assert (
        "link",
        "dramatic “ramping up” of US involvement in Libya",
        "https://www.washingtonpost.com/world/national-security/us-libya-policy/2017/07/09/",
    ) in spans
    tram = articles[_slug_of(outputs["harbour-herald-tram"])]
    heading = next(block for block in tram.blocks if block.kind == "heading")
    assert (heading.text, heading.level) == ("A narrow platform", 2)


def test_globalresearch_page_gives_the_same_words_as_the_seed_article(imported: tuple[Path, dict[str, str]]) -> None:
    root, outputs = imported
    articles = articles_of(root)
    seed = articles["2017-07-12-us-looks-to-escalate-involvement-in-libya"]
    page = articles[_slug_of(outputs["globalresearch-libya"])]
    # The seed keeps its subtitle line ("Permanent US Military Presence Considered"); the page
    # has it as a header element, which the extractor leaves out with the byline.
    assert [b.text for b in seed.blocks][1:] == [b.text for b in page.blocks]


def test_hostile_page_is_never_served_as_html(imported: tuple[Path, dict[str, str]]) -> None:
    root, outputs = imported
    slug = _slug_of(outputs["valley-gazette-council"])
    html = (root / "site" / "articles" / slug / "index.html").read_text(encoding="utf-8")
    assert '<script src="//evil.example/x.js">' not in html
    assert (
        "&lt;script src=&quot;//evil.example/x.js&quot;&gt;" in html
        or '&lt;script src="//evil.example/x.js"&gt;' in html
    )
    assert "onerror" not in html and "tracker.example" not in html
    assert b"onerror=" in (root / "site" / "originals" / f"{slug}.html.txt").read_bytes()


def test_page_import_reports_metadata_and_what_was_left_out(imported: tuple[Path, dict[str, str]]) -> None:
    root, outputs = imported
    out = outputs["harbour-herald-tram"]
    words = re.search(r"extracted: ([\d,]+) words of article text from about ([\d,]+) words on the page", out)
    assert words and int(words.group(1)) < int(words.group(2).replace(",", ""))
    for line in (
        "  title:     Café owners on the Limmatquai fear Zürich’s new tram timetable  (the page)",
        "  author:    Renate Möller  (the page)",
        "  date:      2023-03-09  (the page)",
        "  publisher: The Harbour Herald  (the page)",
    ):
        assert line + "\n" in out
    # What the extractor left out is said, and so is each removal of the rules: never "0 removals".
    assert (
        "removed: 22 passages (167 words) of the page by the extractor, 5 passages (31 words) by the cleaner's" in out
    )
    assert "removed by read-more: Read more: Zürich sets out its transport budget for 2024" in out
    assert "removed by share-buttons: Share this article" in out
    assert "removed by tag-list: Tags: Zürich, Transport, Small business" in out
    assert "removed by photo-credit: Photo: Keystone/Ennio Leanza" in out
    # ... and each passage the extractor left out is listed: those that read as sentences one a
    # line (the reader comments here), the chrome on one line
    assert re.search(r"\n    left out by the extractor: \d+ passages \(\d+ words\)\n", out), out
    assert "of them read as sentences; check that none is the article's:\n" in out
    assert "      - “The leaflet was indeed the first I heard of it. Shameful communication" in out
    assert "    page chrome: “OK Manage settings”" in out
    assert "removed by app-prompt: Download the free Harbour Herald app" in out
    front = (root / "articles" / f"{_slug_of(out)}.md").read_text(encoding="utf-8").split("---")[1]
    assert "\nauthor: Renate Möller\ndate: 2023-03-09\npublisher: The Harbour Herald\n" in front
    assert "\nlanguage: en-GB\narchived: 2023-11-14\n" in front
    # A page that says nothing about itself: the missing metadata is named.
    assert "not found: author, date, publisher, url" in outputs["valley-gazette-council"]


# --- Texts, standard input, slugs, refusals ---------------------------------------------------------

TEXT = """Trams to skip the Rathaus stop from December

By Renate Möller

Two tram lines will no longer stop at the Rathaus on the Limmatquai from December, the city's transport authority said on Thursday, after a safety review found the platform too narrow for today's longer trams.

Shop owners have collected more than 3,000 signatures against the change.

Share this article
"""


def test_text_import_keeps_the_body_as_received_and_prints_the_cleaning_report(project: Path) -> None:
    source = project.parent / "tram.txt"
    source.write_text(TEXT, encoding="utf-8")
    result = add(str(source), "--url", "https://example.org/tram", "--date", "2023-03-09", cwd=project)
    assert result.returncode == 0, result.stderr
    slug = "2023-03-09-trams-to-skip-the-rathaus-stop-from-december"
    path = project / "articles" / f"{slug}.md"
    written = path.read_text(encoding="utf-8")
    sha = hashlib.sha256(TEXT.encode()).hexdigest()
    assert written == (
        "---\ntitle: Trams to skip the Rathaus stop from December\nauthor: Renate Möller\ndate: 2023-03-09\n"
        f"url: https://example.org/tram\narchived: 2023-11-14\nsha256: {sha}\n---\n\n" + TEXT
    )
    assert (project / "articles" / "originals" / f"{slug}.txt").read_bytes() == TEXT.encode()
    assert "  line 10: removed by title: Trams to skip the Rathaus stop from December" in result.stdout
    assert "  line 12: removed by byline: By Renate Möller" in result.stdout
    assert "  line 18: removed by share-buttons: Share this article" in result.stdout
    assert "  title:     Trams to skip the Rathaus stop from December  (the text's headline)\n" in result.stdout
    assert "  author:    Renate Möller  (the text's byline)\n" in result.stdout
    assert "  date:      2023-03-09  (the command line)\n" in result.stdout
    assert "not found: publisher" in result.stdout
    article = articles_of(project)[slug]
    assert article.meta.author == "Renate Möller" and article.meta.sha256 == sha
    assert [b.text for b in article.blocks] == [TEXT.split("\n\n")[2], TEXT.split("\n\n")[3]]


def test_markdown_heading_is_the_title(project: Path) -> None:
    source = project.parent / "note.md"
    source.write_text("# A *headline* in Markdown\n\n" + TEXT.split("\n\n", 2)[2], encoding="utf-8")
    result = add(str(source), "--archived", "2024-02-29", cwd=project)
    assert result.returncode == 0, result.stderr
    written = (project / "articles" / "a-headline-in-markdown.md").read_text(encoding="utf-8")
    assert written.startswith("---\ntitle: A headline in Markdown\narchived: 2024-02-29\n")
    assert "removed by title: A headline in Markdown" in result.stdout


def test_stdin_import_of_text_and_of_a_page(project: Path) -> None:
    result = add("-", "--title", "Trams to skip the Rathaus", cwd=project, stdin=TEXT.encode())
    assert result.returncode == 0, result.stderr
    assert "Added <stdin> (text," in result.stdout
    assert (project / "articles" / "originals" / "trams-to-skip-the-rathaus.txt").read_bytes() == TEXT.encode()
    page = (FIXTURES / "harbour-herald-tram.html").read_bytes()
    result = add("-", cwd=project, stdin=page)
    assert result.returncode == 0, result.stderr
    assert "Added <stdin> (web page," in result.stdout
    slug = "2023-03-09-cafe-owners-on-the-limmatquai-fear-zurichs-new"
    assert (project / "articles" / "originals" / f"{slug}.html").read_bytes() == page
    assert [b.text for b in articles_of(project)[slug].blocks] == expected("harbour-herald-tram")


def test_slugs_are_unique(project: Path) -> None:
    slugs = []
    for number in range(3):
        source = project.parent / f"t{number}.txt"
        source.write_text(TEXT.replace("3,000", f"{3000 + number:,}"), encoding="utf-8")
        result = add(str(source), "--date", "2023-03-09", cwd=project)
        assert result.returncode == 0, result.stderr
        slugs.append(_slug_of(result.stdout))
    base = "2023-03-09-trams-to-skip-the-rathaus-stop-from-december"
    assert slugs == [base, f"{base}-2", f"{base}-3"]
    assert len(articles_of(project)) == 5


def test_an_article_is_never_overwritten_without_force(project: Path) -> None:
    page = FIXTURES / "valley-gazette-council.html"
    assert add(str(page), cwd=project).returncode == 0
    path = project / "articles" / "council-website-defaced-after-attack-on-its-contact-form.md"
    before, listing = path.read_bytes(), files(project)

    again = add(str(page), "--title", "Another title", cwd=project)
    assert again.returncode == 1
    assert (
        "this article is already in the archive as articles/council-website-defaced-after-attack-on-its-contact-form.md"
        " — it has the same sha256: the same file as received; add --force to replace it"
    ) in again.stderr
    assert "Traceback" not in again.stderr
    assert path.read_bytes() == before and files(project) == listing

    taken = add(str(FIXTURES / "harbour-herald-tram.html"), "--slug", path.stem, cwd=project)
    assert taken.returncode == 1 and f"articles/{path.stem}.md already exists" in taken.stderr
    assert path.read_bytes() == before and files(project) == listing

    forced = add(str(page), "--force", "--date", "2024-03-05", cwd=project)
    assert forced.returncode == 0, forced.stderr
    assert f"replaced: articles/{path.name}" in forced.stdout
    assert files(project) == listing  # replaced in place, no "-2" copy
    assert "\ndate: 2024-03-05\n" in path.read_text(encoding="utf-8")


def test_a_failed_import_leaves_nothing_behind(project: Path) -> None:
    page = project.parent / "chrome.html"
    page.write_text("<html><body><article><p>Share this article</p><p>Tags: Nothing, Here</p></article></body></html>")
    listing = files(project)
    result = add(str(page), "--title", "Only chrome", cwd=project)
    assert result.returncode == 1
    assert (
        "chrome.html:1: the text cannot be read as an article: nothing is left of the article after cleaning "
        "(removed by 'share-buttons' 1 passage, 'topic-labels' 1 passage)" in result.stderr
    )
    assert files(project) == listing


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty.txt: the input is empty"),
        ("blank.html", b"  \n\n ", "blank.html: the input is empty"),
        ("photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.html: this is a PNG image, not a web page or a text"),
        ("scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "scan.txt: this is a PDF document"),
        ("data.bin", b"abc\ndef\x00\x01\x02", "data.bin:2: the input is binary (it contains NUL bytes)"),
        ("latin1.txt", "Title\n\nCaf\xe9 society".encode("latin-1"), "latin1.txt:3: invalid UTF-8 at byte 10; save the text as UTF-8"),
    ],
)  # fmt: skip
def test_unreadable_input_gets_a_clear_error(project: Path, name: str, data: bytes, message: str) -> None:
    (project.parent / name).write_bytes(data)
    listing = files(project)
    result = add(str(project.parent / name), cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert message.split(":", 1)[1] in result.stderr and name in result.stderr, result.stderr
    assert files(project) == listing


def test_bad_option_is_refused_before_anything_is_written(project: Path) -> None:
    listing = files(project)
    result = add(str(FIXTURES / "harbour-herald-tram.html"), "--url", "javascript:alert(1)", cwd=project)
    assert result.returncode == 1
    assert (
        "url 'javascript:alert(1)': Value error, must be an http:// or https:// address; correct it with --url"
        in result.stderr
    )
    assert files(project) == listing


def test_extraction_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from generator.inputs.extract import extract_html

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the extractor tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    page = (FIXTURES / "globalresearch-libya.html").read_bytes()
    extracted = extract_html(page, url="https://www.globalresearch.ca/x/5599061")
    assert extracted is not None
    assert [parse_inline(block)[0] for block in extracted.markdown.strip().split("\n\n")][:5] == expected(
        "globalresearch-libya"
    )
