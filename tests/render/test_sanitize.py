"""The allow-list sanitiser, the generator's own check with it, and the MkDocs hook's refusals."""

from __future__ import annotations

import os
from pathlib import Path

import markdown
import pytest
import yaml

from generator.errors import BuildError
from generator.render import markup as render
from generator.render import sanitize

from ..conftest import REPO, run_archive


def _markdown_extensions() -> tuple[list[str], dict]:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    return names, {}


def test_sanitiser_keeps_every_generated_page(built_site: Path) -> None:
    pages = sorted((built_site / "site_src").rglob("*.md"))
    generated = [p for p in pages if p.relative_to(built_site / "site_src").parts[0] in ("index.md", "articles")]
    assert len(generated) >= 4
    for path in generated:
        body = sanitize.page_body(path.read_text(encoding="utf-8"))
        assert sanitize.differences(body) == [], path


def test_sanitiser_keeps_every_hand_written_page() -> None:
    names, configs = _markdown_extensions()
    pages = sorted((REPO / "site_src").glob("*.md")) + sorted((REPO / "site_src" / "guide").glob("*.md"))
    assert len(pages) >= 4
    for path in pages:
        html = markdown.markdown(path.read_text(encoding="utf-8"), extensions=["fenced_code", *names])
        assert sanitize.differences(html) == [], path


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>a <script>x()</script>b</p>", "<p>a b</p>"),
        ('<p onclick="x()">a</p>', "<p>a</p>"),
        ('<a href="javascript:x()">a</a>', "<a>a</a>"),
        ('<a href=" JaVa&#x09;Script:x()">a</a>', "<a>a</a>"),
        ('<a href="data:text/html,x">a</a>', "<a>a</a>"),
        (
            '<a href="https://e.org/" rel="nofollow noopener">a</a>',
            '<a href="https://e.org/" rel="nofollow noopener">a</a>',
        ),
        ('<a href="../../about/">a</a>', '<a href="../../about/">a</a>'),
        ('<p class="archive-meta md-header">a</p>', '<p class="archive-meta">a</p>'),
        ('<div id="__config">a</div>', "<div>a</div>"),
        (
            '<mark class="note-anchor" id="anchor-n1" data-note="1">a</mark>',
            '<mark class="note-anchor" id="anchor-n1" data-note="1">a</mark>',
        ),
        ("<svg><a href='#'>a</a></svg>", ""),
        ('<img src="x" onerror="y()">', '<img src="x">'),
        ("<style>p{}</style><p>a</p>", "<p>a</p>"),
        ('<p style="position:fixed">a</p>', "<p>a</p>"),
        ("<iframe src=x></iframe><form><input></form>", ""),
        ("<!-- c --><p>a</p>", "<p>a</p>"),
    ],
)
def test_sanitiser_allow_list(html: str, expected: str) -> None:
    assert sanitize.clean_html(html) == expected


def test_a_class_decided_once_is_decided_again_for_its_element() -> None:
    # Class values are decided once and remembered; a short token class (Pygments') is allowed on
    # a span only, so what was decided on one element must not carry over to another.
    for html, expected in [
        ('<code><span class="k">a</span></code>', '<code><span class="k">a</span></code>'),
        ('<p class="k">a</p>', "<p>a</p>"),
        ('<div class="k archive-x">a</div>', '<div class="archive-x">a</div>'),
        ('<span class="k archive-x">a</span>', '<span class="k archive-x">a</span>'),
        ('<p class="k">a</p><span class="k">b</span>', '<p>a</p><span class="k">b</span>'),
        ('<span class="md-x">a</span><span class="md-x">b</span>', "<span>a</span><span>b</span>"),
    ] * 2:
        assert sanitize.clean_html(html) == expected, html


def test_json_ld_is_kept_only_as_json() -> None:
    block = render.json_ld({"@type": "Claim", "text": "</script><script>x()</script> & <!--"})
    assert "</script><script>" not in block[:-9] and "<!--" not in block
    assert sanitize.clean_html("<p>a</p>" + block) == "<p>a</p>" + block
    assert sanitize.differences("<p>a</p>\n\n" + block) == []
    # A block that is not valid JSON is dropped with its content.
    assert sanitize.clean_html('<script type="application/ld+json">x()</script>') == ""
    # A valid block is written back in the safe form, whatever form it came in.
    loose = '<script type="application/ld+json">{"a": "<b>"}</script>'
    assert sanitize.clean_html(loose) == render.json_ld({"a": "<b>"})
    # Page text cannot pose as a placeholder.
    assert "archive-json-ld" in sanitize.clean_html("<p>archive-json-ld-0</p>")


def test_differences_names_what_goes() -> None:
    found = sanitize.differences('<p>a<script>x()</script><a href="javascript:y()" onclick="z">b</a></p>')
    assert "removed <script>" in found
    assert any("javascript:y()" in f and "to <a>" in f for f in found)
    assert sanitize.differences('<p id="p1">Plain &amp; "quoted" text\u00a0here</p>') == []


def test_generator_refuses_a_page_outside_the_allow_list() -> None:
    pages = {
        "articles/x.md": '---\ntitle: "x"\n---\n\n<p>ok</p>\n\n<p onclick="y()">bad</p>\n',
        "articles/y.md": "<p>ok</p>",
    }
    with pytest.raises(BuildError) as error:
        sanitize.check_pages(pages)
    assert error.value.format_message().startswith("articles/x.md: internal error: the page holds markup outside")
    assert "onclick" in error.value.format_message()


def test_mkdocs_config_has_no_snippets_and_runs_the_hook() -> None:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names = [e if isinstance(e, str) else next(iter(e)) for e in config.get("markdown_extensions", [])]
    assert not [n for n in names if "snippets" in n]
    assert config["hooks"] == ["hooks/archive.py"]
    assert {"nav", "theme"} <= set(config)
    guide = [next(iter(item.values())) for item in config["nav"] if "Guide" in item][0]
    assert {"Safety": "guide/safety.md"} in guide


def test_hook_refuses_snippets(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "  - pymdownx.snippets\n", encoding="utf-8")
    result = run_archive("build", cwd=project)
    assert result.returncode == 1
    assert "the Markdown extension pymdownx.snippets is not allowed" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_hand_written_page_with_script_fails_strict_and_is_cleaned_otherwise(project: Path) -> None:
    (project / "site_src" / "bad.md").write_text(
        "# Bad\n\n<script>window.__xss=1</script>\n\nText.\n", encoding="utf-8"
    )
    strict = run_archive("build", "--strict", cwd=project)
    assert strict.returncode == 1
    assert "bad.md: the sanitiser removed markup: removed <script>" in strict.stderr
    run_archive("build", cwd=project, check=True)
    html = (project / "site" / "bad" / "index.html").read_text(encoding="utf-8")
    assert "__xss" not in html and "Text." in html


def test_hand_written_title_is_inert(project: Path) -> None:
    page = project / "site_src" / "titled.md"
    page.write_text('---\ntitle: "</title><script>window.__xss=1</script>"\n---\n\nText.\n', encoding="utf-8")
    run_archive("build", "--strict", cwd=project, check=True)
    html = (project / "site" / "titled" / "index.html").read_text(encoding="utf-8")
    assert "<title>&lt;/title&gt;&lt;script&gt;window.__xss=1&lt;/script&gt; - " in html
    assert "<script>window.__xss" not in html


@pytest.mark.parametrize("name", ["evil.svg", "evil.html", "assets/evil.xml", "evil.pdf"])
def test_script_capable_files_are_refused(project: Path, name: str) -> None:
    path = project / "site_src" / name
    path.write_text("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", encoding="utf-8")
    result = run_archive("build", cwd=project)
    assert result.returncode == 1
    assert f"site_src/{name}: files of type '{path.suffix}' are not published" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("target", ["file", "folder"])
def test_symlinks_in_docs_are_refused(project: Path, tmp_path: Path, target: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("SECRET\n", encoding="utf-8")
    link = project / "site_src" / "linked"
    os.symlink(
        outside / "secret.md" if target == "file" else outside, link.with_suffix(".md") if target == "file" else link
    )
    result = run_archive("build", cwd=project)
    assert result.returncode == 1
    assert "symbolic links are not allowed in the docs folder" in result.stderr
    assert not (project / "site").exists()
