"""Record validation results in a file-mode GE context and keep its Data Docs readable offline.

Layout under ``settings.paths().quality`` (``$MINZHENG_DATA_DIR/quality``):

- ``gx/``: the file context (suites, validation results, ``great_expectations.yml``);
- ``gx/uncommitted/data_docs/local_site/``: the Data Docs site GE builds;
- ``index.html``: a stable landing page that forwards to the site.

After each build the vendored assets (``expectations/data_docs_static``) are copied into the site's
``static/`` and every page's CDN ``<script>``/``<link>``/``<img>`` is pointed at them or removed,
so the site opens from a file path with no network. Checks may run in parallel processes: a file
lock serialises recording and building.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import great_expectations as gx
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

from expectations.runner import SuiteOutcome
from minzheng import settings

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

STATIC_DIR = Path(__file__).resolve().parent / "data_docs_static"
SITE = Path("gx") / "uncommitted" / "data_docs" / "local_site"
# Results kept per suite; older ones (and their pages) are pruned so builds stay fast: the index
# page reads every stored result (~4 s at 660 results, ~2 s at 330).
KEEP_PER_SUITE = 10
_STORED = ".docs_stored"  # generation counters for coalescing index builds
_INDEXED = ".docs_indexed"

# CDN asset (matched on the URL) -> file under the site's static/ dir, or None to drop the tag.
_ASSETS: list[tuple[re.Pattern[str], str | None]] = [
    (
        re.compile(r"bootstrap@?/?4\.3\.1/css/bootstrap\.min\.css"),
        "vendor/bootstrap/bootstrap.min.css",
    ),
    (
        re.compile(r"bootstrap@?/?4\.3\.1/js/bootstrap\.min\.js"),
        "vendor/bootstrap/bootstrap.min.js",
    ),
    (re.compile(r"jquery-3\.7\.1\.min\.js"), "vendor/jquery/jquery.min.js"),
    (re.compile(r"popper\.js/1\.12\.9/umd/popper\.min\.js"), "vendor/popper.js/popper.min.js"),
    (
        re.compile(r"bootstrap-table@1\.19\.\d/dist/bootstrap-table\.min\.js"),
        "vendor/bootstrap-table/bootstrap-table.min.js",
    ),
    (
        re.compile(r"bootstrap-table@1\.19\.\d/dist/bootstrap-table\.min\.css"),
        "vendor/bootstrap-table/bootstrap-table.min.css",
    ),
    (
        re.compile(r"filter-control/bootstrap-table-filter-control(\.min)?\.js"),
        "vendor/bootstrap-table/bootstrap-table-filter-control.min.js",
    ),
    (
        re.compile(r"filter-control/bootstrap-table-filter-control(\.min)?\.css"),
        "vendor/bootstrap-table/bootstrap-table-filter-control.min.css",
    ),
    (
        re.compile(r"bootstrap-datepicker/1\.9\.0/js/bootstrap-datepicker\.min\.js"),
        "vendor/bootstrap-datepicker/bootstrap-datepicker.min.js",
    ),
    (
        re.compile(r"bootstrap-datepicker/1\.9\.0/css/bootstrap-datepicker\.min\.css"),
        "vendor/bootstrap-datepicker/bootstrap-datepicker.min.css",
    ),
    (re.compile(r"font-awesome/.*\.css"), "icons.css"),
    (re.compile(r"great-expectations-web-assets.*\.(png|svg)"), "images/logo-long.png"),
    (re.compile(r"/npm/vega(-lite|-embed)?@"), None),
    (re.compile(r"bootstrap-dark"), None),
]

# A stylesheet/script/image tag whose src or href is remote.
_REMOTE_TAG = re.compile(
    r"<(?P<tag>script|link|img)\b(?P<attrs>[^>]*?)\b(?:src|href)=[\"'](?P<url>https?://[^\"']+)[\"']"
    r"(?P<rest>[^>]*)>(?:\s*</script>)?",
    re.IGNORECASE,
)
_REMOTE_CSS_URL = re.compile(r"url\(\s*['\"]?(https?://[^'\")]+)['\"]?\s*\)")
_SRI = re.compile(r"\s(?:integrity|crossorigin)=(?:\"[^\"]*\"|'[^']*'|\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class Recorded:
    """Where one recorded validation can be read."""

    landing_page: Path
    validation_page: Path | None


def quality_root() -> Path:
    return settings.paths().quality


def site_dir(root: Path | None = None) -> Path:
    return (root or quality_root()) / SITE


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _context(root: Path) -> Any:
    context = gx.get_context(mode="file", project_root_dir=str(root))
    context.variables.progress_bars = {"globally": False}  # type: ignore[assignment]
    return context


def _suite_from_result(outcome: SuiteOutcome) -> gx.ExpectationSuite:
    """The suite as it ran (for SQL, with regex rewritten), without the ephemeral context's ids."""
    assert outcome.result is not None
    expectations = []
    for item in outcome.result.results:
        config = item.expectation_config
        assert config is not None
        expectation = config.to_domain_obj()
        expectations.append(expectation.copy(update={"id": None, "rendered_content": None}))
    return gx.ExpectationSuite(name=outcome.suite, expectations=expectations)


def record(
    outcomes: Sequence[SuiteOutcome],
    *,
    run_name: str | None = None,
    root: Path | None = None,
    keep: int = KEEP_PER_SUITE,
) -> list[Recorded]:
    """Store each outcome's GE result under ``root`` and rebuild Data Docs (offline-ready)."""
    root = (root or quality_root()).resolve()
    recorded: list[Recorded] = []
    with _locked(root):
        context = _context(root)
        store = context.validation_results_store
        identifiers: list[Any] = []
        for outcome in outcomes:
            result = outcome.result
            if result is None:
                recorded.append(Recorded(root / "index.html", None))
                continue
            suite = context.suites.add_or_update(_suite_from_result(outcome))
            original = result.meta.get("run_id")
            run_time = getattr(original, "run_time", None)
            run_id = RunIdentifier(run_name=run_name, run_time=run_time)
            result.meta["run_id"] = run_id
            result.meta["minzheng"] = {  # type: ignore[typeddict-unknown-key]
                "engine": outcome.engine,
                "rows_validated": outcome.rows,
                "validation_seconds": outcome.seconds,
            }
            key = ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.name),
                run_id=run_id,
                batch_identifier=f"{outcome.engine}-{suite.name}",
            )
            store.set(key, result)
            identifiers += [key, ExpectationSuiteIdentifier(name=suite.name)]
            _prune(context, root, suite.name, keep)
            recorded.append(Recorded(root / "index.html", _page_of(root, key)))
        # Pages now; the index (which reads every stored result) once for all waiting writers.
        context.build_data_docs(resource_identifiers=identifiers, build_index=False)
        generation = _read_counter(root / _STORED) + 1
        (root / _STORED).write_text(str(generation), encoding="utf-8")
    _build_index(root, generation)
    return recorded


def _read_counter(path: Path) -> int:
    try:
        return int(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return 0


def _build_index(root: Path, generation: int) -> None:
    """Rebuild the index unless a writer already did after ``generation`` was stored.

    Parallel checks each store a result, then queue here: the first rebuilds the index with every
    result stored so far, the others find their generation covered and return at once.
    """
    with _locked(root):
        if _read_counter(root / _INDEXED) >= generation:
            return
        current = _read_counter(root / _STORED)
        # An identifier that matches no page: GE then renders no page, only the index.
        _context(root).build_data_docs(
            resource_identifiers=[ExpectationSuiteIdentifier(name="__index_only__")]
        )
        localise_site(site_dir(root))
        _write_landing_page(root)
        (root / _INDEXED).write_text(str(current), encoding="utf-8")


def rebuild(root: Path | None = None) -> Path:
    """Rebuild the whole site from the stored results (e.g. after an upgrade)."""
    root = (root or quality_root()).resolve()
    with _locked(root):
        _context(root).build_data_docs()
        localise_site(site_dir(root))
        return _write_landing_page(root)


def _page_of(root: Path, key: ValidationResultIdentifier) -> Path:
    *folders, batch = key.to_tuple()
    return site_dir(root).joinpath("validations", *folders, f"{batch}.html")


def _prune(context: Any, root: Path, suite_name: str, keep: int) -> None:
    store = context.validation_results_store
    keys = [k for k in store.list_keys() if k.expectation_suite_identifier.name == suite_name]
    keys.sort(key=lambda k: str(k.run_id.run_time), reverse=True)
    for stale in keys[keep:]:
        store.remove_key(stale)
        page = _page_of(root, stale)
        page.unlink(missing_ok=True)


# --- offline assets -------------------------------------------------------------------------


def _local_asset(url: str) -> tuple[bool, str | None]:
    """(known, path under static/ or None to drop) for a remote asset URL."""
    for pattern, local in _ASSETS:
        if pattern.search(url):
            return True, local
    return False, None


def localise_html(html: str, static_prefix: str) -> tuple[str, list[str]]:
    """Point remote asset tags at ``static_prefix``/…; drop the rest. Returns (html, unknown urls).

    Plain ``<a href>`` links stay: they load nothing until clicked.
    """
    unknown: list[str] = []

    def tag(match: re.Match[str]) -> str:
        url = match.group("url")
        known, local = _local_asset(url)
        if not known:
            unknown.append(url)
        if local is None:
            return ""
        attribute = "src" if match.group("tag").lower() in {"script", "img"} else "href"
        attrs = _SRI.sub("", match.group("attrs"))
        rest = _SRI.sub("", match.group("rest"))
        closing = "</script>" if match.group("tag").lower() == "script" else ""
        return f'<{match.group("tag")}{attrs}{attribute}="{static_prefix}/{local}"{rest}>{closing}'

    def css_url(match: re.Match[str]) -> str:
        known, local = _local_asset(match.group(1))
        if not known:
            unknown.append(match.group(1))
        return f"url('{static_prefix}/{local}')" if local else "none"

    html = _REMOTE_TAG.sub(tag, html)
    html = _REMOTE_CSS_URL.sub(css_url, html)
    return html, unknown


def localise_site(site: Path) -> list[str]:
    """Copy the vendored assets into ``site/static`` and rewrite every page; return unknown URLs."""
    static = site / "static"
    static.mkdir(parents=True, exist_ok=True)
    shutil.copytree(STATIC_DIR / "vendor", static / "vendor", dirs_exist_ok=True)
    shutil.copy2(STATIC_DIR / "icons.css", static / "icons.css")
    unknown: list[str] = []
    for document in [*site.rglob("*.html"), *static.glob("styles/*.css")]:
        text = document.read_text(encoding="utf-8")
        if "http" not in text:
            continue
        prefix = os.path.relpath(static, document.parent).replace(os.sep, "/")
        changed, missing = localise_html(text, prefix)
        unknown += missing
        if changed != text:
            document.write_text(changed, encoding="utf-8")
    return unknown


_LANDING = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={target}">
<title>数据质量报告 Data Docs</title>
</head>
<body>
<p>数据质量报告（Great Expectations Data Docs）：<a href="{target}">{target}</a></p>
</body>
</html>
"""


def _write_landing_page(root: Path) -> Path:
    landing = root / "index.html"
    target = (SITE / "index.html").as_posix()
    content = _LANDING.format(target=target)
    if not landing.exists() or landing.read_text(encoding="utf-8") != content:
        landing.write_text(content, encoding="utf-8")
    return landing
