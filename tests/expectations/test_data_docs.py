"""Data Docs are recorded under the quality dir and open from a file path with no network."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from expectations import data_docs
from expectations.runner import SuiteOutcome, validate_parquet
from expectations.suites.raw import suite_factory
from sources.common.registry import entities

deaths = suite_factory(entities("civil_registry")["deaths"])

# Headless Chromium that cannot reach the network at all (every host resolves to nothing).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--virtual-time-budget=10000",
]
_ASSET_REF = re.compile(r"<(script|link|img)\b[^>]*\b(?:src|href)=[\"'](https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?(https?:)?//", re.IGNORECASE)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[SuiteOutcome]:
    from tests.expectations.conftest import death_rows, write_batch

    where = tmp_path_factory.mktemp("batches")
    clean = [write_batch(death_rows(30), where / "c.parquet")]
    dirty_frame = death_rows(30)
    dirty_frame.loc[0:4, "death_date"] = "2025/03/01"
    dirty = [write_batch(dirty_frame, where / "d.parquet")]
    return [
        validate_parquet(deaths(), clean, engine="sql"),
        validate_parquet(deaths(), dirty, engine="sql"),
    ]


@pytest.fixture(scope="module")
def site(
    outcomes: list[SuiteOutcome], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[data_docs.Recorded]]:
    root = tmp_path_factory.mktemp("quality")
    recorded = data_docs.record(outcomes, run_name="test-run", root=root)
    return root, recorded


def test_results_and_site_live_under_the_quality_dir(
    site: tuple[Path, list[data_docs.Recorded]],
) -> None:
    root, recorded = site
    assert (root / "gx" / "great_expectations.yml").exists()
    assert (root / "index.html").exists()
    assert (data_docs.site_dir(root) / "index.html").exists()
    pages = [r.validation_page for r in recorded]
    assert all(page is not None and page.exists() for page in pages)
    assert len(list((root / "gx" / "uncommitted" / "validations").rglob("*.json"))) == 2
    assert "test-run" in str(pages[0])


def test_default_root_is_the_data_dirs_quality_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MINZHENG_DATA_DIR", str(tmp_path))
    assert data_docs.quality_root() == tmp_path.resolve() / "quality"


def test_no_page_loads_anything_over_the_network(
    site: tuple[Path, list[data_docs.Recorded]],
) -> None:
    root, _ = site
    documents = [*root.rglob("*.html"), *data_docs.site_dir(root).rglob("*.css")]
    assert len(documents) >= 4
    remote = {
        str(document.relative_to(root)): pattern.pattern
        for document in documents
        for pattern in (_ASSET_REF, _CSS_URL)
        if pattern.search(document.read_text(encoding="utf-8"))
    }
    assert not remote
    index = (data_docs.site_dir(root) / "index.html").read_text(encoding="utf-8")
    assert "static/vendor/jquery/jquery.min.js" in index
    assert "integrity=" not in index and "vega" not in index


def test_localise_html_rewrites_known_assets_and_drops_the_rest() -> None:
    html = (
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>\n'
        '<script src="https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js" '
        'integrity="sha384-x" crossorigin="anonymous"></script>\n'
        '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>\n'
        '<link rel="stylesheet" href="https://unknown.example/x.css">\n'
        "<style>a { background: url('https://great-expectations-web-assets.s3.amazonaws.com/"
        "full_logo_dark.png') }</style>\n"
        '<a href="https://greatexpectations.io">GX</a>'
    )
    out, unknown = data_docs.localise_html(html, "../static")
    assert '<script src="../static/vendor/jquery/jquery.min.js"></script>' in out
    assert '<script src="../static/vendor/bootstrap/bootstrap.min.js"></script>' in out
    assert "vega" not in out and "unknown.example" not in out
    assert "url('../static/images/logo-long.png')" in out
    assert '<a href="https://greatexpectations.io">' in out  # a link loads nothing
    assert unknown == ["https://unknown.example/x.css"]


def test_vendored_assets_are_small_and_licensed() -> None:
    vendor = data_docs.STATIC_DIR / "vendor"
    files = [p for p in vendor.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 650_000
    for folder in (p for p in vendor.iterdir() if p.is_dir()):
        assert any(f.name.upper().startswith("LICENSE") for f in folder.iterdir()), folder
    for _, local in data_docs._ASSETS:
        if local is not None and local != "images/logo-long.png":
            assert (vendor.parent / local).exists(), local


def test_old_results_are_pruned(outcomes: list[SuiteOutcome], tmp_path: Path) -> None:
    for outcome in outcomes:
        data_docs.record([outcome], root=tmp_path, keep=1)
    validations = tmp_path / "gx" / "uncommitted" / "validations"
    assert len(list(validations.rglob("*.json"))) == 1
    pages = data_docs.site_dir(tmp_path) / "validations"
    assert [p.stem for p in pages.rglob("*.html")] == [p.stem for p in validations.rglob("*.json")]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        "Chromium is needed to check that Data Docs render offline: "
        "install it with `apt-get install -y chromium` (Debian) and re-run."
    )


def _dump_dom(page: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="minzheng-chromium-") as profile:
        completed = subprocess.run(
            [
                _chromium(),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def test_pages_render_their_tables_from_a_file_path_offline(
    site: tuple[Path, list[data_docs.Recorded]],
) -> None:
    root, recorded = site
    # The landing page forwards to the site's index; bootstrap-table then draws the rows.
    index = _dump_dom(root / "index.html")
    assert "Showing 1 to 2 of 2 rows" in index, index[-3000:]
    assert index.count('data-index="') >= 2
    assert "raw.civil_registry.deaths" in index

    failed_page = recorded[1].validation_page
    assert failed_page is not None
    page = _dump_dom(failed_page)
    # Rows exist only once jQuery + bootstrap-table ran (the data sits in a script).
    assert page.count('data-index="') >= 10, page[-3000:]
    assert "death_date" in page and "fa-times" in page


def test_an_index_build_covers_writers_that_stored_before_it(
    site: tuple[Path, list[data_docs.Recorded]],
) -> None:
    root, _ = site
    index = data_docs.site_dir(root) / "index.html"
    stored = int((root / data_docs._STORED).read_text())
    assert int((root / data_docs._INDEXED).read_text()) == stored
    before = index.stat().st_mtime_ns
    data_docs._build_index(root, stored)  # already covered: nothing to do
    assert index.stat().st_mtime_ns == before
    (root / data_docs._STORED).write_text(str(stored + 1))  # a writer stored since
    data_docs._build_index(root, stored + 1)
    assert index.stat().st_mtime_ns > before
    assert int((root / data_docs._INDEXED).read_text()) == stored + 1
