"""The event catalogue: what it holds, and a clear error for each kind of bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pyproj import Geod

from layers.sources import read_catalogue
from layers.sources.errors import CatalogueError
from tests.conftest import ABU_KAMAL, AL_QAIM_GEONAMES, AL_QAIM_WIKIPEDIA

GEOD = Geod(ellps="WGS84")


def _edit(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; *row* counts as a spreadsheet does (header is row 1)."""
    with path.open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
        fields = list(records[0])
    records[row - 2][column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(records)


def test_shipped_catalogue_has_the_five_strikes(catalogue):
    strikes = catalogue.events[catalogue.events["group_id"] == "US-STRIKES-20191229"]
    assert sorted(strikes["country"]) == ["IRQ", "IRQ", "IRQ", "SYR", "SYR"]
    assert set(strikes["date_start"].dt.strftime("%Y-%m-%d")) == {"2019-12-29"}
    assert set(strikes["sub_event_type"]) == {"Air/drone strike"}
    assert (strikes["precision_class"] >= "P3").all()  # none drawn as a site


def test_every_event_has_a_source_with_a_url(catalogue):
    for sources in catalogue.events["sources"]:
        assert sources and all(s["url"].startswith("http") for s in sources)


def test_casualty_claims_are_kept_apart_not_summed(catalogue):
    claims = catalogue.claims[catalogue.claims["applies_to"] == "US-STRIKES-20191229"]
    by_claimant = dict(zip(claims["claimant"], claims["killed_low"], strict=True))
    # Brief: KH said 24 killed, the PMF 25, Iraqi security sources at least 25.
    assert by_claimant["Kata'ib Hezbollah spokesman"] == 24
    assert by_claimant["Popular Mobilization Forces (Jawad Kadhim al-Rubaie)"] == 25
    assert by_claimant["Iraqi security and militia sources (Reuters)"] == 25
    s_iq_1 = catalogue.events.set_index("event_id").loc["S-IQ-1"]
    assert len(s_iq_1["claims"]) == len(claims)


@pytest.mark.parametrize("event_id", ["S-IQ-1", "S-IQ-2", "S-IQ-3"])
def test_al_qaim_uncertainty_covers_both_published_positions(catalogue, event_id):
    event = catalogue.events.set_index("event_id").loc[event_id]
    for lon, lat in (AL_QAIM_GEONAMES, AL_QAIM_WIKIPEDIA):
        _, _, metres = GEOD.inv(event["lon"], event["lat"], lon, lat)
        assert metres < event["uncertainty_m"]


def test_syrian_strikes_are_anchored_at_abu_kamal(catalogue):
    for _, event in catalogue.events[catalogue.events["country"] == "SYR"].iterrows():
        _, _, metres = GEOD.inv(event["lon"], event["lat"], *ABU_KAMAL)
        assert metres < 2_000


def test_rq4_keeps_both_claimed_positions(catalogue):
    rq4 = catalogue.events[catalogue.events["group_id"] == "RQ4-20190620"]
    assert set(rq4["event_id"]) == {"RQ4-IRAN", "RQ4-US"}
    assert set(rq4["confidence"]) == {"contested"}


BAD_CELLS = [
    ("events.csv", 2, "lat", "north", r"events.csv, row 2, column 'lat'.*not a number"),
    ("events.csv", 3, "lon", "190", r"row 3, column 'lon'.*out of range"),
    ("events.csv", 2, "precision_class", "P9", r"column 'precision_class'.*P1, P2"),
    (
        "events.csv",
        4,
        "event_type",
        "Airstrike",
        r"row 4, column 'event_type'.*Battles",
    ),
    ("events.csv", 2, "sub_event_type", "Drone", r"column 'sub_event_type'.*Air/drone"),
    (
        "events.csv",
        2,
        "date_end",
        "2019-12-01",
        r"column 'date_end'.*before date_start",
    ),
    ("events.csv", 2, "date_start", "29/12/2019", r"column 'date_start'.*YYYY-MM-DD"),
    (
        "events.csv",
        3,
        "event_id",
        "S-IQ-1",
        r"row 3, column 'event_id'.*duplicate.*row 2",
    ),
    (
        "events.csv",
        2,
        "source_ids",
        "nowhere",
        r"column 'source_ids'.*'nowhere'.*sources.csv",
    ),
    (
        "events.csv",
        2,
        "uncertainty_m",
        "5000",
        r"column 'uncertainty_m'.*candidate.*outside",
    ),
    (
        "events.csv",
        2,
        "constraints",
        "river",
        r"column 'constraints'.*unknown constraint",
    ),
    ("events.csv", 2, "confidence", "high", r"column 'confidence'.*confirmed"),
    ("events.csv", 2, "country", "Iraq", r"column 'country'.*alpha-3"),
    ("claims.csv", 2, "applies_to", "S-XX", r"claims.csv, row 2, column 'applies_to'"),
    ("claims.csv", 2, "killed_high", "3", r"column 'killed_high'.*below killed_low"),
    ("sources.csv", 3, "url", "rudaw.net", r"sources.csv, row 3, column 'url'"),
]


@pytest.mark.parametrize(("file", "row", "column", "value", "message"), BAD_CELLS)
def test_bad_cell_names_file_row_column(
    catalogue_copy, file, row, column, value, message
):
    _edit(catalogue_copy / file, row, column, value)
    with pytest.raises(CatalogueError, match=message):
        read_catalogue(catalogue_copy)


def test_missing_column_is_named(catalogue_copy):
    path = catalogue_copy / "events.csv"
    lines = path.read_text().splitlines()
    lines[0] = lines[0].replace("uncertainty_m", "radius")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        CatalogueError, match=r"events.csv: missing column\(s\) uncertainty_m"
    ):
        read_catalogue(catalogue_copy)


def test_empty_file(catalogue_copy):
    (catalogue_copy / "events.csv").write_text("")
    with pytest.raises(CatalogueError, match=r"events.csv: the file is empty"):
        read_catalogue(catalogue_copy)


def test_header_only_file(catalogue_copy):
    path = catalogue_copy / "events.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    with pytest.raises(CatalogueError, match="no events"):
        read_catalogue(catalogue_copy)


def test_not_a_csv_file(catalogue_copy):
    (catalogue_copy / "events.csv").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"
    )
    with pytest.raises(CatalogueError, match=r"events.csv: not a UTF-8 text file"):
        read_catalogue(catalogue_copy)


def test_ragged_row(catalogue_copy):
    path = catalogue_copy / "claims.csv"
    row = len(path.read_text().splitlines()) + 1
    path.write_text(
        path.read_text() + "S-IQ-1,someone,1,2,3,4,detail,rudaw-strikes,extra\n"
    )
    with pytest.raises(
        CatalogueError, match=rf"claims.csv, row {row}: .*number of cells"
    ):
        read_catalogue(catalogue_copy)


def test_missing_folder_and_file(tmp_path, catalogue_copy):
    with pytest.raises(CatalogueError, match="is not a folder"):
        read_catalogue(tmp_path / "nowhere")
    (catalogue_copy / "claims.csv").unlink()
    with pytest.raises(CatalogueError, match=r"claims.csv: file not found"):
        read_catalogue(catalogue_copy)
