"""Sources as evidence: optional columns, their rules, `sources check`, the card."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path

import pytest

from layers.__main__ import main
from layers.catalogue import CatalogueError, read_catalogue
from layers.catalogue.check import evidence as rules
from layers.catalogue.model import SOURCE_EVIDENCE_COLUMNS
from layers.page.card import source_item
from layers.page.downloads import events_csv
from tests.conftest import DATA, ROOT


def _edit_sources(folder: Path, changes: dict[int, dict[str, str]]) -> None:
    """Set cells of sources.csv: spreadsheet row (header = 1) -> column -> text."""
    path = folder / "sources.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row, cells in changes.items():
        rows[row - 2].update(cells)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _errors(folder: Path) -> list[CatalogueError]:
    with pytest.raises(CatalogueError) as info:
        read_catalogue(folder)
    return list(getattr(info.value, "errors", (info.value,)))


def _at(errors, row: int, column: str) -> CatalogueError:
    found = [e for e in errors if e.row == row and e.column == column]
    assert found, f"nothing at row {row}, {column}: {[str(e) for e in errors]}"
    assert found[0].path.endswith("sources.csv")
    return found[0]


def test_shipped_sources_carry_the_new_columns_and_no_invented_archive(catalogue):
    header = next(csv.reader((ROOT / "data/catalogue/sources.csv").open()))
    assert set(SOURCE_EVIDENCE_COLUMNS) <= set(header)
    sources = catalogue.sources
    # No network here: no archived copy could be confirmed, so none is given.
    assert (sources["archive_url"] == "").all()
    assert (sources["capture_sha256"] == "").all()
    # The publisher is what the row already says (its outlet).
    assert (sources["publisher"] == sources["outlet"]).all()


def test_catalogues_without_the_columns_still_open():
    for name in ("hostile_catalogue", "html_catalogue"):
        catalogue = read_catalogue(DATA / name)
        assert "archive_url" not in catalogue.sources.columns
        assert len(catalogue.events)


def test_bad_evidence_cells_name_file_row_and_column(catalogue_copy):
    _edit_sources(
        catalogue_copy,
        {
            2: {"archive_url": "javascript:alert(1)"},
            3: {"canonical_url": "data:text/html,<b>x</b>"},
            4: {"capture_sha256": "abc123"},
            5: {"capture_file": "../../etc/passwd", "capture_sha256": "a" * 64},
            6: {"capture_file": "/etc/passwd", "capture_sha256": "b" * 64},
            7: {"language": "english!"},
            8: {"archive_captured": "yesterday", "archive_url": "https://x.org/a"},
            9: {"capture_file": "page.pdf"},
            10: {"archive_captured": "2020-01-02"},
        },
    )
    errors = _errors(catalogue_copy)
    assert "http(s)" in str(_at(errors, 2, "archive_url"))
    assert "http(s)" in str(_at(errors, 3, "canonical_url"))
    assert "64 hex" in str(_at(errors, 4, "capture_sha256"))
    assert "leaves the capture store" in str(_at(errors, 5, "capture_file"))
    assert "leaves the capture store" in str(_at(errors, 6, "capture_file"))
    assert "BCP 47" in str(_at(errors, 7, "language"))
    assert "ISO 8601" in str(_at(errors, 8, "archive_captured"))
    assert "without capture_sha256" in str(_at(errors, 9, "capture_file"))
    assert "without an archive_url" in str(_at(errors, 10, "archive_captured"))


def test_capture_over_the_size_limit_is_refused(catalogue_copy, monkeypatch):
    store = catalogue_copy / "captures"
    store.mkdir()
    data = b"%PDF-1.4 " + b"x" * 2_000_000
    (store / "page.pdf").write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    _edit_sources(
        catalogue_copy, {2: {"capture_file": "page.pdf", "capture_sha256": sha}}
    )
    assert read_catalogue(catalogue_copy).sources["capture_sha256"].iloc[0] == sha
    monkeypatch.setattr(rules, "MAX_CAPTURE_MB", 1)
    error = _at(_errors(catalogue_copy), 2, "capture_file")
    assert "over the capture size limit of 1 MB" in str(error)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_capture_linked_out_of_the_store_is_refused(catalogue_copy, tmp_path):
    store = catalogue_copy / "captures"
    store.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("not evidence")
    (store / "page.pdf").symlink_to(outside)
    _edit_sources(
        catalogue_copy, {2: {"capture_file": "page.pdf", "capture_sha256": "c" * 64}}
    )
    assert "leaving captures/" in str(_at(_errors(catalogue_copy), 2, "capture_file"))


def _sources_check(folder: Path, capsys) -> tuple[int, str]:
    code = main(["sources", "check", "--catalogue", str(folder)])
    return code, capsys.readouterr().out


def test_sources_check_lists_every_source_without_an_archive(capsys, catalogue):
    code, out = _sources_check(ROOT / "data" / "catalogue", capsys)
    assert "local facts only" in out and "no network" in out
    assert f"without an archived copy: {len(catalogue.sources)}" in out
    # Two versions of one Wikipedia article are cited under two ids.
    assert "wiki-abqaiq, datana-abqaiq: the same canonical URL" in out
    assert code == 1


def test_sources_check_finds_altered_missing_and_doubled_captures(
    catalogue_copy, capsys
):
    store = catalogue_copy / "captures"
    store.mkdir()
    good, bad = b"capture one", b"capture two"
    (store / "one.pdf").write_bytes(good)
    (store / "two.png").write_bytes(bad + b" (edited)")
    sha_good, sha_bad = (hashlib.sha256(d).hexdigest() for d in (good, bad))
    _edit_sources(
        catalogue_copy,
        {
            2: {"capture_file": "one.pdf", "capture_sha256": sha_good},
            3: {"capture_file": "two.png", "capture_sha256": sha_bad},
            4: {"capture_file": "gone.warc", "capture_sha256": "d" * 64},
            5: {"capture_file": "one.pdf", "capture_sha256": sha_good},
            6: {"archive_url": "https://web.archive.org/web/2020/https://x.org/"},
        },
    )
    code, out = _sources_check(catalogue_copy, capsys)
    assert code == 1
    assert "captures whose SHA-256 no longer matches: 1" in out
    assert (
        f"captures/two.png has sha256 {hashlib.sha256(bad + b' (edited)').hexdigest()}"
        in out
    )
    assert "capture files missing: 1" in out and "captures/gone.warc" in out
    assert f"the same capture sha256 {sha_good}" in out
    rows = list(csv.DictReader((catalogue_copy / "sources.csv").open()))
    assert f"without an archived copy: {len(rows) - 1}" in out


def test_card_shows_the_archived_copy_beside_the_live_link():
    source = {
        "title": "Report",
        "outlet": "Outlet",
        "published": "",
        "url": "https://example.org/a",
        "archive_url": "https://web.archive.org/web/20200101/https://example.org/a",
        "archive_captured": "2020-01-01T10:00Z",
        "capture_sha256": "e" * 64,
        "capture_file": "a.pdf",
    }
    item = source_item(source)
    assert 'href="https://example.org/a"' in item
    assert 'href="https://web.archive.org/web/20200101/https://example.org/a"' in item
    assert "archived copy of 2020-01-01T10:00Z" in item and "capture held" in item
    bare = source_item({**source, "archive_url": "", "capture_sha256": ""})
    assert "no archived copy" in bare and "no capture held" in bare
    old = source_item({k: source[k] for k in ("title", "outlet", "published", "url")})
    assert "archived" not in old and "capture" not in old


def test_filtered_csv_carries_archived_copies(catalogue_copy):
    archive = "https://web.archive.org/web/20191230/https://rudaw.net/x"
    rows = list(csv.DictReader((catalogue_copy / "sources.csv").open()))
    row = 2 + next(i for i, r in enumerate(rows) if r["source_id"] == "rudaw-strikes")
    _edit_sources(
        catalogue_copy,
        {row: {"archive_url": archive, "archive_captured": "2019-12-30"}},
    )
    catalogue = read_catalogue(catalogue_copy)
    out = list(csv.DictReader(io.StringIO(events_csv(catalogue.events))))
    first = next(r for r in out if r["event_id"] == "S-IQ-1")
    assert first["source_archives"] == f"rudaw-strikes: {archive} (captured 2019-12-30)"
