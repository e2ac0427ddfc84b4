"""The site engines that turn ``site_src/`` and ``mkdocs.yml`` into HTML: MkDocs (the default)
and Zensical (Material's successor, which reads the same configuration).

Each runs as a subprocess into a folder of the caller's choosing, so the caller can swap the
result into place only when it succeeded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.errors import BuildError
from generator.inputs import yamlio
from generator.settings import Engine, child_environment
from generator.util.process import die_with_parent

DISK_FULL = "No space left on device"


def run_engine(engine: Engine, config: Path, dest: Path, strict: bool, env: dict[str, str] | None = None) -> None:
    """Build the site described by *config* into *dest*; raise :class:`BuildError` with the
    engine's own messages if it fails."""
    env = child_environment(**(env or {}))
    if engine == "mkdocs":
        # No --quiet: it hides MkDocs' warnings from --strict too; the output is shown on failure.
        # -P: the archive's folder is not put on sys.path, so no module of it can be imported by
        # name (a Markdown extension named in mkdocs.yml); absolute paths, whatever the --root.
        command = [
            sys.executable,
            "-P",
            "-m",
            "mkdocs",
            "build",
            "-f",
            str(config.resolve()),
            "-d",
            str(dest.resolve()),
        ]
        if strict:
            command.append("--strict")
        _run(command, config, env, "MkDocs")
        return
    executable = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
    if executable is None:
        raise BuildError(
            "the Zensical engine is not installed; install it with: pip install -r requirements.lock "
            "(or pip install zensical)",
            config,
        )
    from generator.engines.handwritten import check_hand_written
    from generator.errors import ErrorList

    data = yamlio.plain(yamlio.parse(config.read_text(encoding="utf-8"), config, BuildError)) or {}
    problems = check_hand_written(config.parent / str(data.get("docs_dir", "docs")), config)
    if problems:
        raise ErrorList(problems)
    # Zensical has no option for the output folder: build from a copy of the configuration that
    # names it, placed beside the original so that relative paths keep their meaning.
    data = yamlio.parse(config.read_text(encoding="utf-8"), config, BuildError)
    data["site_dir"] = str(dest)
    temp_config = config.with_name(f".zensical-{os.getpid()}.yml")
    try:
        with temp_config.open("w", encoding="utf-8") as handle:
            yamlio.dump(data, handle)
        command = [executable, "build", "-f", str(temp_config)]
        if strict:
            command.append("--strict")
        _run(command, config, env, "Zensical")
    finally:
        temp_config.unlink(missing_ok=True)


def _run(command: list[str], config: Path, env: dict[str, str], name: str) -> None:
    # The engine dies with the build that started it: killed, it leaves no engine writing on.
    result = subprocess.run(
        command,
        cwd=config.parent.resolve(),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # one stream, in the order the engine wrote it
        text=True,
        preexec_fn=die_with_parent,
    )
    if result.returncode != 0:
        raise BuildError(failure_message(name, result.stdout), config)


def failure_message(name: str, output: str) -> str:
    """What an engine's failed run means, for an editor: the disk being full said in words, an
    internal error as its last line instead of a traceback, and the engine's own warnings and
    errors (its INFO lines left out)."""
    lines = engine_messages(output)
    if DISK_FULL in output:
        return (
            f"the disk is full: {name} could not write the site. Free some space and build again; "
            "the published site was not changed"
        )
    head = f"{name} could not build the site; the previous site is kept."
    if "Traceback (most recent call last)" in output:
        last = next((line for line in reversed(output.splitlines()) if line.strip()), "")
        return "\n".join([head, *lines, f"{name} stopped with an internal error: {last.strip()}"])
    return "\n".join([head, *lines])


def engine_messages(output: str) -> list[str]:
    """The lines of an engine's output that say what went wrong: its warnings and errors, without
    the INFO lines and without the lines of a Python traceback."""
    kept, in_traceback = [], False
    for line in output.splitlines():
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
        elif in_traceback and not line.startswith((" ", "\t")):
            in_traceback = False
            continue  # the exception's own line: given once, at the end
        if in_traceback or not line.strip() or line.lstrip().startswith("INFO"):
            continue
        kept.append(line.rstrip())
    return kept


# ---------------------------------------------------------------------------------------------
# The live preview's builds (``archive serve``)


def preview_build(engine: Engine, config: Path, dest: Path, dirty: bool) -> None:
    """Build into *dest* for the live preview. MkDocs runs in this process, so the interpreter and
    MkDocs stay loaded between builds, and with *dirty* it rebuilds only the pages whose files
    changed (about 0.8 s instead of 1.4 s for a separate process on the bundled archive); the
    other engine builds as :func:`run_engine` does. Raises :class:`BuildError` with MkDocs' words."""
    if engine != "mkdocs":
        run_engine(engine, config, dest, strict=False)
        return
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        build(load_config(str(config), site_dir=str(dest)), dirty=dirty)
    except (MkDocsException, OSError) as exc:
        raise BuildError(f"MkDocs could not build the preview: {exc}", config) from None
