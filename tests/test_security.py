"""A catalogue with hostile text in every field: shown literally, never evaluated.

Covers every output: the page (AppTest), the map HTML, the provenance card,
each download (GeoJSON, zip, CSV, standalone HTML) and the export command.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from geo.safe import csv_cell
from layers.__main__ import main as cli
from layers.catalogue import read_catalogue
from layers.map.build import build_map, map_html
from layers.page.card import LINK_WITHHELD, card_html
from layers.page.downloads import downloads
from layers.params import LayerInputs, LayerParams
from layers.registry import build_layers
from tests.conftest import DATA, ROOT
from tests.hostile import EVIL_HOST, JINJA, assert_inert, decoded

HOSTILE_DIR = DATA / "hostile_catalogue"
#: Columns whose values the schema checks against a fixed form (dates,
#: numbers, codes, vocabularies) or that refer to other rows' ids.
TYPED = {
    "date_start",
    "date_end",
    "time_precision",
    "event_type",
    "sub_event_type",
    "country",
    "admin1",  # a governorate of the reference data, checked against it
    "lat",
    "lon",
    "precision_class",
    "geo_precision",
    "where_prec",
    "uncertainty_m",
    "constraints",
    "confidence",
    "source_ids",
    "applies_to",
    "killed_low",
    "killed_high",
    "wounded_low",
    "wounded_high",
    "published",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _rows(name: str) -> list[dict[str, str]]:
    with open(HOSTILE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def hostile_catalogue():
    return read_catalogue(HOSTILE_DIR)


@pytest.fixture(scope="module")
def hostile_layers(reference, hostile_catalogue):
    return build_layers(LayerInputs(reference, hostile_catalogue), LayerParams())


@pytest.fixture(scope="module")
def hostile_items(hostile_layers):
    items = downloads(hostile_layers, LayerParams(), lambda: build_map(hostile_layers))
    return {item.file_name: item for item in items}


@pytest.mark.parametrize("name", ["events.csv", "claims.csv", "sources.csv"])
def test_fixture_has_hostile_text_in_every_free_text_field(name):
    rows = _rows(name)
    free = [c for c in rows[0] if c not in TYPED]
    assert free
    for column in free:
        values = [r[column] for r in rows if r[column]]
        assert values, column
        assert any(
            "{{" in v or "{%" in v or "<" in v or "![" in v or v.startswith("=")
            for v in values
        ), column
    if name == "events.csv":
        for row in rows:
            for column in ("title", "attacker", "target", "location", "notes"):
                assert JINJA in row[column]


def test_hostile_catalogue_reads_with_its_text_unchanged(hostile_catalogue):
    events = hostile_catalogue.events
    assert list(events["title"]) == [r["title"] for r in _rows("events.csv")]
    assert set(hostile_catalogue.sources["url"]) == {
        r["url"] for r in _rows("sources.csv")
    }


def test_card_shows_every_field_literally_and_links_only_http(
    hostile_layers, hostile_catalogue
):
    events = hostile_layers["events"]
    zones = hostile_layers["strike_zones"].set_index("event_id")
    for event in events.to_dict("records"):
        zone = (
            zones.loc[event["event_id"]].to_dict()
            if event["event_id"] in zones.index
            else None
        )
        card = card_html(event, zone)
        assert_inert(card, cwd=os.getcwd())
        text = html.unescape(card)
        for column in ("event_id", "title", "attacker", "target", "notes"):
            assert str(event[column]) in text, column
        assert "{{7*7}}" in text
        for claim in event["claims"]:
            assert claim["claimant"] in text and claim["detail"] in text
        for source in event["sources"]:
            assert source["title"] in text
    # Every href the cards hold is an http(s) URL without quotes or brackets.
    hrefs = [
        html.unescape(h)
        for event in events.to_dict("records")
        for h in _hrefs(card_html(event))
    ]
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs)
    assert all(not set(h) & set("\"'<> ") for h in hrefs)
    # javascript:, data:, a URL with quotes and brackets, and no URL at all:
    # each shown as text, with the link withheld.
    cards = html.unescape("".join(card_html(e) for e in events.to_dict("records")))
    withheld = [u for u in hostile_catalogue.sources["url"] if "example.org" not in u]
    assert len(withheld) == 4
    for url in withheld:
        assert f"{LINK_WITHHELD}: {url or 'no address'}" in cards, url


def _hrefs(card: str) -> list[str]:
    return [part.split('"', 1)[0] for part in card.split('href="')[1:]]


def test_card_withholds_a_link_that_is_not_http(hostile_catalogue):
    event = hostile_catalogue.events.iloc[0].to_dict()
    event["sources"] = [
        {"title": "t1", "outlet": "o", "published": "", "url": "javascript:alert(1)"},
        {"title": "t2", "outlet": "o", "published": "", "url": "data:text/html,x"},
        {"title": "t3", "outlet": "o", "published": "", "url": ""},
    ]
    card = card_html(event)
    assert "href" not in card
    assert card.count(LINK_WITHHELD) == 3
    assert "javascript:alert(1)" in html.unescape(card)


def test_map_html_shows_text_literally_and_evaluates_nothing(hostile_layers):
    page = map_html(build_map(hostile_layers))
    assert_inert(page, cwd=os.getcwd())
    assert "{{7*7}}" in decoded(page)


def test_layer_downloads_and_zip_keep_text_literal(hostile_items, hostile_catalogue):
    titles = set(hostile_catalogue.events["title"])
    doc = json.loads(hostile_items["events_W10km_D25km.geojson"].make())
    assert {f["properties"]["title"] for f in doc["features"]} == titles
    zones = json.loads(hostile_items["strike_zones_W10km_D25km.geojson"].make())
    assert {f["properties"]["title"] for f in zones["features"]} < titles
    archive = zipfile.ZipFile(
        io.BytesIO(hostile_items["strike-map-layers_W10km_D25km.zip"].make())
    )
    events = json.loads(archive.read("events.geojson"))
    assert {f["properties"]["title"] for f in events["features"]} == titles


def test_csv_download_has_no_live_formula(hostile_items, hostile_catalogue):
    text = hostile_items["events_filtered.csv"].make()
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    numeric = {"lat", "lon", "uncertainty_m", "time_precision", "where_prec"}
    for row in body:
        for column, cell in zip(header, row, strict=True):
            if column not in numeric:
                assert not cell.startswith(FORMULA_START), (column, cell)
    by_column = dict(zip(header, zip(*body, strict=True), strict=True))
    events = hostile_catalogue.events
    # Text comes back exactly, behind the apostrophe that keeps it text.
    assert list(by_column["title"]) == [csv_cell(t) for t in events["title"]]
    assert list(by_column["event_id"]) == [csv_cell(t) for t in events["event_id"]]


def test_csv_keeps_negative_numbers_as_numbers(catalogue):
    from layers.page.downloads import events_csv

    events = catalogue.events.copy()
    events["lon"] = -events["lon"]
    rows = list(csv.DictReader(io.StringIO(events_csv(events))))
    assert rows[0]["lon"].startswith("-") and float(rows[0]["lon"]) < 0


def test_standalone_html_evaluates_nothing(hostile_items):
    page = hostile_items["strike-map_W10km_D25km.html"].make()
    assert_inert(page, cwd=os.getcwd())
    assert "{{7*7}}" in decoded(page)


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_export_command_writes_text_literally(tmp_path, hostile_catalogue, fmt):
    status = cli(
        [
            "export",
            "--out",
            str(tmp_path),
            "--catalogue",
            str(HOSTILE_DIR),
            "--layers",
            "events,strike_zones",
            "--format",
            fmt,
        ]
    )
    assert status == 0
    titles = set(hostile_catalogue.events["title"])
    if fmt == "geojson":
        doc = json.loads((tmp_path / "events.geojson").read_text(encoding="utf-8"))
        assert {f["properties"]["title"] for f in doc["features"]} == titles
    else:
        import geopandas as gpd

        events = gpd.read_file(tmp_path / "layers.gpkg", layer="events")
        assert set(events["title"]) == titles


# The page, headless.

APP = str(ROOT / "dashboard.py")


def _app(monkeypatch, catalogue_dir, query=None) -> AppTest:
    monkeypatch.setenv("STRIKEMAP_CATALOGUE", str(catalogue_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def _markdown_bodies(at: AppTest) -> list[str]:
    return [
        e.value
        for kind in ("error", "warning", "info", "caption", "markdown", "success")
        for e in getattr(at, kind)
    ]


def _assert_markdown_inert(at: AppTest) -> None:
    for body in _markdown_bodies(at):
        assert "![" not in body and "](" not in body, body


def test_page_draws_the_hostile_catalogue_and_evaluates_nothing(monkeypatch):
    at = _app(monkeypatch, HOSTILE_DIR)
    assert not at.exception and not at.error
    components = [
        c
        for c in at.get("component_instance")
        if c.proto.component_name == "streamlit_folium.st_folium"
    ]
    args = json.loads(components[0].proto.json_args)
    # What st_folium is fed: the shell's script and the data swapped into it.
    script = args["script"] + "\n" + args["feature_group"]
    assert_inert(script, cwd=os.getcwd())
    # The layers' full data reach the browser once, as files the script names.
    names = set(re.findall(r"strikemap/data/[\w.-]+\.json", script))
    data = "\n".join((ROOT / "static" / n).read_text(encoding="utf-8") for n in names)
    assert names and data
    assert_inert(data, cwd=os.getcwd())
    events = read_catalogue(HOSTILE_DIR).events
    assert events["event_id"].iloc[0] in decoded(data)  # "{{ 'JINJA' ~ ...}}"
    _assert_markdown_inert(at)
    for event_id in events["event_id"]:
        at.selectbox(key="event").set_value(event_id).run()
        assert not at.exception
        card = next(h.value for h in at.html if "card" in h.value)
        assert_inert(card, cwd=os.getcwd())
        assert event_id in html.unescape(card)
    _assert_markdown_inert(at)


def test_hostile_link_parameters_are_shown_as_text(monkeypatch):
    query = {
        "countries": f"![x](http://{EVIL_HOST}/q.png)",
        "event": "{{7*7}}<img src=x onerror=alert(1)>",
        "basemap": "[click](javascript:alert(1))",
    }
    at = _app(monkeypatch, HOSTILE_DIR, query)
    assert not at.exception and len(at.warning) == 3
    _assert_markdown_inert(at)


def test_catalogue_error_quoting_a_cell_is_shown_as_text(monkeypatch, tmp_path):
    target = tmp_path / "catalogue"
    shutil.copytree(HOSTILE_DIR, target)
    path = target / "events.csv"
    rows = _rows("events.csv")
    rows[0]["lat"] = f"![x](http://{EVIL_HOST}/err.png) {{{{7*7}}}}"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    at = _app(monkeypatch, target)
    assert not at.exception and at.error
    _assert_markdown_inert(at)
    assert "{{7*7}}" in at.error[0].value.replace("\\", "")


def test_convert_writes_no_live_formula_and_reads_back_the_same(tmp_path):
    out = tmp_path / "converted"
    assert cli(["convert", str(HOSTILE_DIR), "--out", str(out)]) == 0
    for name in ("events.csv", "claims.csv", "sources.csv"):
        with open(out / name, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    if cell.startswith(FORMULA_START):
                        float(cell)  # only a plain number may start so
    before, after = read_catalogue(HOSTILE_DIR), read_catalogue(out)
    for table in ("claims", "sources"):
        assert getattr(after, table).equals(getattr(before, table)), table
    columns = [c for c in before.events.columns if c != "geometry"]
    assert after.events[columns].equals(before.events[columns])
