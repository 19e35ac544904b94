"""Map building: what the rendered page must and must not contain."""

from __future__ import annotations

import re

import pytest
import shapely

from layers.map.build import build_map, map_html
from layers.map.data import display_frame, prepare_display, select_events
from layers.map.legend import legend_html
from layers.map.style import HATCH_ID

CDN_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "code.jquery.com", "netdna")


@pytest.fixture(scope="module")
def display(layers):
    return prepare_display(layers)


@pytest.fixture(scope="module")
def page(display):
    return map_html(build_map(display))


def test_page_loads_leaflet_locally_and_nothing_from_a_cdn(page):
    for host in CDN_HOSTS:
        assert host not in page
    assert '<script src="/app/static/vendor/leaflet/leaflet.js"></script>' in page
    assert "bootstrap" not in page.lower() and "font-awesome" not in page.lower()


def test_same_input_same_page(display, page):
    # Identical script => streamlit-folium keeps the map instead of rebuilding it.
    assert map_html(build_map(display)) == page


def test_no_tiles_with_the_vector_basemap(page):
    assert "L.tileLayer" not in page


@pytest.mark.parametrize(
    ("basemap", "url_part", "attribution"),
    [
        ("Satellite", "World_Imagery", "Esri"),
        ("OpenStreetMap", "tile.openstreetmap.org", "OpenStreetMap"),
        ("Light", "World_Light_Gray_Base", "Esri"),
    ],
)
def test_online_basemaps_carry_their_attribution(
    display, basemap, url_part, attribution
):
    page = map_html(build_map(display, basemap=basemap))
    assert "L.tileLayer" in page and url_part in page
    assert re.search(rf'"attribution": "[^\n]*{attribution}', page)


def test_bad_basemap_or_view_is_refused(display):
    with pytest.raises(ValueError, match="unknown basemap 'Ink'"):
        build_map(display, basemap="Ink")
    with pytest.raises(ValueError, match="unknown view"):
        build_map(display, view="Mars")


def test_area_only_events_have_no_pin(display, catalogue):
    classes = {
        f["properties"]["event_id"]: f["properties"]["precision_class"]
        for f in display["events:sites"]["features"]
    }
    assert classes and set(classes.values()) <= {"P1", "P2"}
    ringed = {f["properties"]["event_id"] for f in display["events:rings"]["features"]}
    strikes = set(
        catalogue.events.query("group_id == 'US-STRIKES-20191229'")["event_id"]
    )
    assert not ringed & strikes  # the strikes are drawn as their zones
    assert (
        "GOO-KOKUKA" in ringed and "GOO-KOKUKA" not in classes
    )  # P3 at sea: ring only


def test_region_level_zones_are_hatched(page):
    assert f'<pattern id="{HATCH_ID}"' in page
    assert f"url(#{HATCH_ID})" in page


def test_legend_explains_classes_and_hatching():
    legend = legend_html(["Air/drone strike"])
    assert "hatched" in legend and "No pin" in legend
    for code in ("P1", "P2", "P3", "P4", "P5", "P6"):
        assert f"{code}:" in legend


def test_data_text_is_escaped(layers):
    events = layers["events"].copy()
    events.loc[events.index[0], "title"] = "<script>alert(1)</script>"
    frame = display_frame(events, ("title",))
    assert frame["title"].iloc[0] == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_context_is_simplified_but_keeps_shared_borders(layers):
    frame = display_frame(layers["countries"], ("name",), simplify=True)
    before = shapely.get_num_coordinates(layers["countries"].geometry.values).sum()
    after = shapely.get_num_coordinates(frame.geometry.values).sum()
    assert after < before
    # No gap or overlap opens between neighbours (e.g. along the Iraq-Syria line).
    assert shapely.coverage_is_valid(frame.geometry.values)


def test_select_events_narrows_event_collections_only(display):
    narrowed = select_events(display, ["K1-20191227"])
    assert [
        f["properties"]["event_id"] for f in narrowed["events:sites"]["features"]
    ] == ["K1-20191227"]
    assert narrowed["strike_zones"]["features"] == []
    assert narrowed["countries"] is display["countries"]


def test_template_syntax_in_data_is_shown_not_evaluated(layers):
    events = layers["events"].copy()
    site = events.index[events["precision_class"] == "P2"][0]
    events.loc[site, "title"] = "A{{7*7}}B {% raw %}C"
    html_page = map_html(build_map(prepare_display({**layers, "events": events})))
    assert "A49B" not in html_page
    # The braces reach the browser as character references inside the JSON.
    assert "A\\u0026#123;\\u0026#123;7*7\\u0026#125;\\u0026#125;B" in html_page
