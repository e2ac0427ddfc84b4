"""MkDocs hooks of the archive (named in mkdocs.yml): sanitising and Content-Security-Policy.

The code lives in the generator package (generator/engines/mkdocs_hooks.py), where it is tested.
"""

from generator.engines.mkdocs_hooks import (  # noqa: F401
    on_config,
    on_files,
    on_page_content,
    on_post_page,
    on_post_template,
)
