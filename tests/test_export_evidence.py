"""Every format holds every layer, with its facts, and hostile text stays text."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from html.parser import HTMLParser

import geopandas as gpd
import pyogrio
import pytest

from layers.__main__ import main
from layers.catalogue import read_catalogue
from layers.map.build import build_map
from layers.page.downloads import Provenance, downloads
from layers.page.filters import apply_view
from layers.page.view import default_state, options_for
from layers.params import LayerInputs, LayerParams
from layers.registry import LAYER_NAMES, build_layers
from tests.conftest import DATA, ROOT
from tests.hostile import JINJA, MARKUP, assert_inert

HOSTILE_DIR = DATA / "hostile_catalogue"
KML_NS = {"k": "http://www.opengis.net/kml/2.2"}
MANIFEST_RE = re.compile(
    r'<script type="application/json" id="manifest">(.*?)</script>', re.S
)


class _Elements(HTMLParser):
    """The start tags and attributes an HTML renderer would create."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _elements(text: str) -> list[tuple[str, list]]:
    parser = _Elements()
    parser.feed(text)
    return parser.tags


@pytest.fixture(scope="module")
def hostile(reference):
    catalogue = read_catalogue(HOSTILE_DIR)
    layers = build_layers(LayerInputs(reference, catalogue), LayerParams())
    return catalogue, layers


@pytest.mark.parametrize("fmt", ["geojson", "kml", "gpkg"])
def test_every_format_holds_every_layer(tmp_path, capsys, fmt):
    assert main(["export", "--out", str(tmp_path), "--format", fmt]) == 0
    capsys.readouterr()
    if fmt == "gpkg":
        held = [name for name, _ in pyogrio.list_layers(tmp_path / "layers.gpkg")]
    else:
        held = [p.stem for p in tmp_path.glob(f"*.{fmt}")]
    assert sorted(held) == sorted(LAYER_NAMES)
    assert main(["verify", str(tmp_path)]) == 0


@pytest.mark.parametrize("fmt", ["geojson", "kml", "gpkg"])
def test_hostile_catalogue_exports_literally_and_verifies(
    tmp_path, capsys, hostile, fmt
):
    catalogue, _ = hostile
    args = ["export", "--out", str(tmp_path), "--format", fmt]
    assert main([*args, "--catalogue", str(HOSTILE_DIR)]) == 0
    assert main(["verify", str(tmp_path)]) == 0
    assert "OK: " in capsys.readouterr().out
    titles = set(catalogue.events["title"])
    if fmt == "geojson":
        doc = json.loads((tmp_path / "events.geojson").read_text(encoding="utf-8"))
        assert {f["properties"]["title"] for f in doc["features"]} == titles
        assert doc["strikemap"]["catalogue"]["tables"]["events"]["rows"] == len(titles)
    elif fmt == "gpkg":
        events = gpd.read_file(tmp_path / "layers.gpkg", layer="events")
        assert set(events["title"]) == titles
    else:
        text = (tmp_path / "events.kml").read_text(encoding="utf-8")
        _assert_kml_names_inert(text, titles)


def _assert_kml_names_inert(text: str, titles: set[str]) -> None:
    root = ET.fromstring(text)
    names = [n.text or "" for n in root.findall(".//k:Placemark/k:name", KML_NS)]
    assert len(names) == len(titles)
    for name in names:
        # A viewer that renders the name as HTML gets text: no element at all.
        assert _elements(name) == [], name
        assert "onerror" not in str(_elements(name))
    # ... and that text is the title, literally.
    assert {html.unescape(n) for n in names} == titles


def test_kml_name_with_markup_renders_no_element(reference, tmp_path):
    from layers.export_kml import layer_kml

    catalogue = read_catalogue(DATA / "html_catalogue")
    built = build_layers(LayerInputs(reference, catalogue), LayerParams(), ["events"])
    text = layer_kml("events", built["events"])
    _assert_kml_names_inert(text, set(catalogue.events["title"]))
    # GDAL reads the same names back (as the escaped text).
    path = tmp_path / "events.kml"
    path.write_text(text, encoding="utf-8")
    frame = pyogrio.read_dataframe(path)
    assert all(_elements(name) == [] for name in frame["Name"])


@pytest.fixture(scope="module")
def hostile_downloads(hostile):
    catalogue, layers = hostile
    state = default_state(options_for(catalogue.events))
    shown = apply_view(layers, state)
    about = Provenance(catalogue=catalogue, state=state)
    items = downloads(shown, make_map=lambda: build_map(shown), about=about)
    return catalogue, state, {i.file_name: i for i in items}


def test_standalone_html_holds_its_manifest_inert(hostile_downloads):
    catalogue, state, items = hostile_downloads
    page = next(i for name, i in items.items() if name.endswith(".html")).make()
    assert_inert(page, cwd=os.getcwd())
    found = MANIFEST_RE.findall(page)
    assert len(found) == 1
    facts = json.loads(found[0])["strikemap"]
    assert facts["settings"]["filters"]["event_types"] == list(state.event_types)
    assert facts["catalogue"]["tables"]["sources"]["rows"] == len(catalogue.sources)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", facts["exported_at"])


def test_manifest_script_keeps_hostile_text_as_data():
    from layers.page.downloads import standalone_html

    facts = {"note": f"{MARKUP} {JINJA}", "</script>": "<!--"}
    page = standalone_html("<html><head></head><body></body></html>", facts)
    assert_inert(page)
    found = MANIFEST_RE.findall(page)
    assert len(found) == 1 and "<" not in found[0] and "{{" not in found[0]
    assert json.loads(found[0]) == {"strikemap": facts}


def test_single_geojson_download_carries_facts_and_time(hostile_downloads):
    _, state, items = hostile_downloads
    doc = json.loads(items["events_W10km_D25km.geojson"].make())
    facts = doc["strikemap"]
    assert facts["settings"]["format"] == "geojson"
    assert facts["settings"]["filters"]["countries"] == list(state.countries)
    assert "exported_at" in facts and doc["type"] == "FeatureCollection"


def test_zip_download_verifies_and_records_filters(hostile_downloads, tmp_path, capsys):
    _, state, items = hostile_downloads
    data = next(i for name, i in items.items() if name.endswith(".zip")).make()
    path = tmp_path / "download.zip"
    path.write_bytes(data)
    assert main(["verify", str(path)]) == 0
    capsys.readouterr()
    archive = zipfile.ZipFile(io.BytesIO(data))
    package = json.loads(archive.read("datapackage.json"))
    filters = package["strikemap"]["settings"]["filters"]
    assert filters["date_start"] == state.date_start.isoformat()
    assert "exported_at" not in package["strikemap"]  # only in "created"
    for name in archive.namelist():
        if name.endswith(".kml"):
            ET.fromstring(archive.read(name))  # well-formed XML


def test_filtered_page_downloads_say_which_filters(layers, catalogue):
    state = replace(default_state(options_for(catalogue.events)), countries=("SYR",))
    shown = apply_view(layers, state)
    about = Provenance(catalogue=catalogue, state=state)
    items = {i.file_name: i for i in downloads(shown, about=about)}
    doc = json.loads(items["strike_zones_W10km_D25km.geojson"].make())
    assert doc["strikemap"]["settings"]["filters"]["countries"] == ["SYR"]
    assert doc["strikemap"]["layers"]["strike_zones"] == len(doc["features"])


def test_filtered_csv_carries_claims_by_claimant_and_source_urls(catalogue):
    from layers.page.downloads import events_csv

    text = events_csv(catalogue.events)
    rows = {r["event_id"]: r for r in csv.DictReader(io.StringIO(text))}
    claims_file = ROOT / "data" / "catalogue" / "claims.csv"
    spokesman = next(
        r
        for r in csv.DictReader(claims_file.open(encoding="utf-8"))
        if r["claimant"] == "Kata'ib Hezbollah spokesman"
    )
    # 24 killed, "51" low and no high for wounded, as the claims file says.
    assert (spokesman["killed_low"], spokesman["wounded_high"]) == ("24", "")
    assert (
        "Kata'ib Hezbollah spokesman: killed 24, wounded at least 51 "
        "(sources iranwatch-nyt)" in rows["S-IQ-1"]["claims"].split(" | ")
    )
    urls = dict(
        item.split(": ", 1) for item in rows["S-IQ-1"]["source_urls"].split(" | ")
    )
    sources = catalogue.sources.set_index("source_id")["url"]
    assert urls["csis-hoffman"] == sources["csis-hoffman"]
    assert set(urls) == set(rows["S-IQ-1"]["source_ids"].split("; "))


def test_filtered_csv_of_hostile_catalogue_has_no_live_formula(hostile):
    from layers.page.downloads import events_csv

    catalogue, _ = hostile
    rows = list(csv.DictReader(io.StringIO(events_csv(catalogue.events))))
    for row in rows:
        for column in ("claims", "source_urls", "source_archives"):
            assert not row[column].startswith(("=", "+", "-", "@")), row[column]
    claimants = set(catalogue.claims["claimant"])
    assert any(c[:20] in "".join(r["claims"] for r in rows) for c in claimants)


def test_standalone_html_is_identical_apart_from_the_export_time(layers, catalogue):
    state = default_state(options_for(catalogue.events))
    shown = apply_view(layers, state)
    about = Provenance(catalogue=catalogue, state=state)

    def page() -> str:
        items = downloads(shown, make_map=lambda: build_map(shown), about=about)
        return next(i for i in items if i.file_name.endswith(".html")).make()

    first, second = page(), page()
    stamp = re.compile(r'"exported_at":"[^"]*"')
    assert len(stamp.findall(first)) == 1
    assert stamp.sub("", first) == stamp.sub("", second)
