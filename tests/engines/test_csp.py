"""The Content-Security-Policy: only the site's script files and the theme's own inline scripts
run; the theme still works under it (search, palette toggle) and reports no violation."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.engines import mkdocs_hooks

from ..conftest import run_archive, serve
from ..security import hostile

CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
RECORD_VIOLATIONS = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation', "
    "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')))"
)


def test_every_page_has_the_policy(built_site: Path) -> None:
    pages = list(hostile.site_pages(built_site / "site"))
    assert len(pages) >= 6  # home, articles index, two articles, about, guide pages, 404
    for rel, path in pages:
        html = path.read_text(encoding="utf-8")
        found = CSP.findall(html)
        assert len(found) == 1, rel
        policy = found[0]
        for directive in ("object-src 'none'", "base-uri 'self'", "default-src 'self'"):
            assert directive in policy, rel
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "http" not in policy  # no external host
        # The policy comes before any script, right after the charset.
        assert html.index("Content-Security-Policy") < html.index("<script")


def test_theme_scripts_are_all_hashed(built_site: Path) -> None:
    import material

    shapes = mkdocs_hooks.theme_script_shapes([Path(material.__file__).parent / "templates"])
    assert len(shapes) >= 5
    for rel, path in hostile.site_pages(built_site / "site"):
        html = path.read_text(encoding="utf-8")
        hashes, foreign = mkdocs_hooks.script_hashes(html, shapes)
        assert not foreign, rel
        assert len(hashes) >= 2, rel
        policy = CSP.search(html).group(1)
        assert all(h in policy for h in hashes), rel


def test_a_script_outside_the_theme_gets_no_hash() -> None:
    import material

    shapes = mkdocs_hooks.theme_script_shapes([Path(material.__file__).parent / "templates"])
    scope = '__md_scope=new URL("../..",location),__md_hash=e=>'
    page = "<script>window.__xss=1</script><script>" + scope + "</script>"
    hashes, foreign = mkdocs_hooks.script_hashes(page, shapes)
    assert hashes == [] and len(foreign) == 2  # the second is cut short: not the theme's script
    twisted = '<script>__md_scope=new URL("x",alert(1)),location)</script>'
    assert mkdocs_hooks.script_hashes(twisted, shapes)[0] == []


def test_policy_goes_after_the_charset() -> None:
    out = mkdocs_hooks.add_policy('<html><head><meta charset="utf-8"><title>t</title></head></html>', "x", False)
    assert out.startswith('<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy"')


@pytest.mark.browser
def test_theme_works_under_the_policy_without_violations(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        for rel in (
            "",
            "articles/",
            "articles/2017-07-12-us-looks-to-escalate-involvement-in-libya/",
            "about/",
            "404.html",
        ):
            page.goto(site_url + rel, wait_until="load")
            assert page.evaluate("window.__csp") == [], rel
            assert page.evaluate("typeof __md_scope") == "object", rel  # the theme's inline script ran
        # Palette toggle
        page.goto(site_url, wait_until="load")
        before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        page.locator("form[data-md-component=palette] label:visible").first.click()
        page.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') !== '{before}'")
        # Search (the worker and the index load under the policy)
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator(".md-search__input").press_sequentially("Tobruk", delay=20)
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()
    assert not errors


@pytest.mark.browser
def test_policy_blocks_an_injected_script(browser, built_site: Path, tmp_path: Path) -> None:
    # Suppose every other layer failed and a script reached a page: the policy still blocks it.
    site = tmp_path / "site"
    shutil.copytree(built_site / "site", site)
    page_file = site / "about" / "index.html"
    html = page_file.read_text(encoding="utf-8")
    page_file.write_text(
        html.replace("</article>", "<script>window.__xss=1</script><img src=x onerror=window.__xss=2></article>", 1),
        encoding="utf-8",
    )
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    try:
        with serve(site) as url:
            page.goto(url + "about/", wait_until="load")
            page.wait_for_function("() => window.__csp.length >= 2")
            assert page.evaluate("window.__xss") is None
            violations = page.evaluate("window.__csp")
    finally:
        context.close()
    assert all(v.startswith("script-src") for v in violations)


def test_the_mkdocs_hook_cleans_generated_pages_too(project: Path) -> None:
    """A generated page edited after ``generate`` (by hand, or by a tool that skips the generator's
    own check) and built by MkDocs directly is still cleaned: the plugin puts the page's HTML back
    before the sanitiser reads it, and marks it for search only after."""
    run_archive("generate", cwd=project, check=True)
    page = project / "site_src" / "articles" / "us-military-considers-re-establishing-presence-in-libya" / "index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace("</p>", '<script>alert("x")</script><img src="x" onerror="alert(2)"></p>', 1), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(project / "direct")],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "the sanitiser removed markup: removed <script>" in result.stderr
    built = (project / "direct" / "articles" / page.parent.name / "index.html").read_text(encoding="utf-8")
    body = built.split("<div data-pagefind-body>", 1)[1]
    assert 'alert("x")' not in body and "onerror" not in body
    assert '<img src="x">' in body
