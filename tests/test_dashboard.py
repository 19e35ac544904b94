"""The Streamlit app, run headless with AppTest."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from layers.registry import LAYERS
from tests.conftest import DATA, ROOT
from tests.map_support import resolved_data

APP = str(ROOT / "dashboard.py")
TIMEOUT = 120


@pytest.fixture(autouse=True)
def _shipped_catalogue(monkeypatch):
    monkeypatch.delenv("STRIKEMAP_CATALOGUE", raising=False)


def _run(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def _map_script(at: AppTest) -> str:
    components = [
        c
        for c in at.get("component_instance")
        if c.proto.component_name == "streamlit_folium.st_folium"
    ]
    assert len(components) == 1
    args = json.loads(components[0].proto.json_args)
    # The shell's script, then the data swapped into it, with the layers sent
    # by reference read from the files the browser fetches.
    return args["script"] + "\n" + resolved_data(args["feature_group"] or "")


def _timeline_count(at: AppTest) -> int:
    heading = next(h.value for h in at.subheader if h.value.startswith("Timeline"))
    return int(heading.split("(")[1].split()[0])


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    return _run()


def test_app_runs_and_draws_every_default_layer(default_app):
    assert not default_app.exception
    script = _map_script(default_app)
    for spec in LAYERS:
        assert json.dumps(spec.title)[1:-1] in script, spec.name
    assert "StrikeMap.init(" in script and "StrikeMap.update(" in script
    assert "S-IQ-1" in script and "S-SY-2" in script
    assert "cdn.jsdelivr" not in script and "code.jquery" not in script


def test_default_view_holds_the_gulf_context_and_the_escalation(default_app):
    # May 2019 - Jan 2020: the 2019 Gulf incidents (May, June, September) are in.
    script = _map_script(default_app)
    assert "K1-20191227" in script and "SOL-20200103" in script
    assert "FUJ-20190512" in script and "ABQ-20190914" in script
    assert _timeline_count(default_app) == 26


def test_map_has_no_basemap_tiles_by_default(default_app):
    script = _map_script(default_app)
    assert "L.tileLayer" not in script


def test_country_filter_changes_the_map(default_app):
    at = _run()
    at.multiselect(key="countries").set_value(["SYR"]).run()
    script = _map_script(at)
    assert "S-SY-1" in script and "S-IQ-1" not in script and "K1-20191227" not in script
    assert _timeline_count(at) == 2


@pytest.mark.parametrize(
    ("key", "value", "present", "absent"),
    [
        ("types", ["Air/drone strike"], "SOL-20200103", "K1-20191227"),
        ("precision", ["P2"], "K1-20191227", "S-IQ-1"),
        ("confidence", ["weak"], "R-TAJI-20191229", "S-SY-1"),
    ],
)
def test_each_filter_changes_what_is_shown(key, value, present, absent):
    at = _run()
    before = _timeline_count(at)
    at.multiselect(key=key).set_value(value).run()
    script = _map_script(at)
    assert present in script and absent not in script
    assert _timeline_count(at) < before


def test_date_filter_narrows_to_the_escalation():
    at = _run()
    import datetime as dt

    at.date_input(key="dates").set_value(
        (dt.date(2019, 10, 1), dt.date(2020, 1, 31))
    ).run()
    assert "FUJ-20190512" not in _map_script(at)
    assert _timeline_count(at) == 18


def test_width_sliders_rebuild_corridor_and_valley():
    at = _run()
    at.slider(key="corridor_km").set_value(40.0).run()
    at.slider(key="valley_km").set_value(15.0).run()
    script = _map_script(at)
    assert '["Half-width (km)","40"]' in script
    assert '["Half-width (km)","15"]' in script


def test_query_parameters_restore_a_view():
    at = _run(
        {"countries": "SYR", "valley_km": "20", "basemap": "Light", "event": "S-SY-1"}
    )
    assert not at.warning
    assert at.multiselect(key="countries").value == ["SYR"]
    assert at.slider(key="valley_km").value == 20.0
    script = _map_script(at)
    assert "S-IQ-1" not in script and "World_Light_Gray_Base" in script
    assert any("Intersection of" in h.value for h in at.html)


def test_bad_query_parameters_fall_back_with_a_notice():
    at = _run(
        {
            "countries": "MARS",
            "valley_km": "wide",
            "start": "yesterday",
            "basemap": "Ink",
            "event": "NOPE",
        }
    )
    assert not at.exception
    # Notices are Markdown-escaped (they echo text from the URL).
    notices = " ".join(w.value for w in at.warning).replace("\\", "")
    for key in ("countries", "valley_km", "start", "basemap", "event"):
        assert f"'{key}'" in notices
    assert at.slider(key="valley_km").value == 10.0


def test_filters_are_written_to_the_url():
    at = _run()
    at.multiselect(key="countries").set_value(["IRQ"]).run()
    assert at.query_params["countries"] == "IRQ"


def test_card_for_a_strike_zone_shows_derivation_and_sources():
    at = _run()
    at.selectbox(key="event").set_value("S-SY-1").run()
    card = next(h.value for h in at.html if "Derivation" in h.value)
    assert "Intersection of: within 30 km of Abu Kamal" in card
    assert "Euphrates River Valley" in card
    assert 'href="https://en.wikipedia.org/wiki/December_2019' in card
    assert "Kata&#x27;ib Hezbollah spokesman" in card  # claims side by side


def test_broken_catalogue_shows_the_error_not_a_traceback(monkeypatch):
    monkeypatch.setenv("STRIKEMAP_CATALOGUE", str(DATA / "broken_catalogue"))
    at = _run()
    assert not at.exception
    message = at.error[0].value.replace("\\", "")  # Markdown-escaped
    assert "events.csv, row 3, column 'lat'" in message
    assert "'34.45N' is not a number" in message
    assert any("How to fix it" in m.value for m in at.markdown)
    assert not at.get("component_instance")


def test_html_in_data_is_shown_escaped(monkeypatch):
    monkeypatch.setenv("STRIKEMAP_CATALOGUE", str(DATA / "html_catalogue"))
    at = _run()
    assert not at.exception
    script = _map_script(at)
    assert "<script>alert" not in script and "<img" not in script
    # Data reach the map as JSON text (set with textContent): "<" is \u003c.
    assert "\\u003cscript\\u003ealert" in script
    at.selectbox(key="event").set_value("S-IQ-1").run()
    card = next(h.value for h in at.html if "Derivation" in h.value)
    assert "<script>" not in card and "<img" not in card
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in card
    assert "&lt;img src=x onerror=alert(&#x27;note&#x27;)&gt;" in card
    assert "&lt;i&gt;PMF&lt;/i&gt;" in card


def _download_names(at: AppTest) -> set[str]:
    # The button's key (and so its id) carries the file name it downloads.
    return {b.proto.id.split("-download-", 1)[1] for b in at.get("download_button")}


def test_download_buttons_name_layer_and_widths(default_app):
    buttons = default_app.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert "strike_zones.geojson" in labels and "All layers (zip)" in labels
    assert len(buttons) == len(LAYERS) + 3 + 3  # + the figure in three formats
    assert {
        "strike-map-figure.png",
        "strike-map-figure.svg",
        "strike-map-figure.pdf",
        "strike_zones_W10km_D25km.geojson",
        "euphrates_valley_W10km.geojson",
        "border_corridor_D25km.geojson",
        "countries.geojson",
        "strike-map-layers_W10km_D25km.zip",
        "strike-map_W10km_D25km.html",
        "events_filtered.csv",
    } <= _download_names(default_app)


def test_download_names_follow_the_widths():
    at = _run({"valley_km": "15"})
    names = _download_names(at)
    assert "euphrates_valley_W15km.geojson" in names
    assert "strike_zones_W15km_D25km.geojson" in names
    assert "border_corridor_D25km.geojson" in names


def test_an_edited_catalogue_is_seen_on_the_next_run(monkeypatch, catalogue_copy):
    monkeypatch.setenv("STRIKEMAP_CATALOGUE", str(catalogue_copy))
    at = _run()
    assert "EDITED TITLE" not in str(at.dataframe[0].value["title"].tolist())
    path = catalogue_copy / "events.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Rocket attack on K-1", "EDITED TITLE: rocket attack on K-1"),
        encoding="utf-8",
    )
    at.run()
    assert any("EDITED TITLE" in t for t in at.dataframe[0].value["title"])


def test_contradictory_constraints_are_not_called_a_cell_error(
    monkeypatch, catalogue_copy
):
    # The reader turns most contradictions into cell errors; one it cannot see
    # surfaces while the zones are built.
    from geo.errors import ContradictoryConstraintsError
    from layers import registry

    def contradicts(inputs, params, names=None):
        raise ContradictoryConstraintsError("S-IQ-1: no area in common")

    monkeypatch.setattr(registry, "build_layers", contradicts)
    monkeypatch.setenv("STRIKEMAP_CATALOGUE", str(catalogue_copy))
    at = _run()
    assert not at.exception
    assert "contradict" in at.error[0].value
    assert not any("correct the cell" in m.value for m in at.markdown)


def test_a_missing_reference_file_is_an_install_problem(monkeypatch):
    import streamlit as st

    from geo.errors import StrikeMapError
    from layers.catalogue import reference

    def missing():
        raise StrikeMapError("data/reference/countries.geojson: file not found")

    st.cache_data.clear()
    st.cache_resource.clear()  # the read catalogue and layers are shared
    monkeypatch.setattr(reference, "read_reference", missing)
    try:
        at = _run()
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
    assert not at.exception
    assert "installation" in at.error[0].value
    assert any("data/reference" in m.value for m in at.markdown)


def test_a_programming_error_surfaces_as_one(monkeypatch):
    from layers.page import filters

    def broken(layers, state):
        raise KeyError("a bug, not a data problem")

    monkeypatch.setattr(filters, "apply_view", broken)
    at = _run()
    assert at.exception and "a bug, not a data problem" in at.exception[0].message
    assert not at.error


def _upload(at: AppTest, path, *, mode: str = "merge") -> AppTest:
    at.sidebar.radio(key="upload_mode").set_value(mode)
    at.file_uploader(key="upload_file").set_value(
        (path.name, path.read_bytes(), "application/octet-stream")
    )
    return at.run()


@pytest.mark.parametrize(
    "file_name",
    ["acled_strikes.csv", "ucdp_strikes.csv", "events.geojson", "events.kml"],
)
def test_upload_merges_a_file_into_the_map(file_name):
    at = _run()
    before = _timeline_count(at)
    at = _upload(at, DATA / "imports" / file_name)
    assert not at.exception
    assert not at.sidebar.error
    assert _timeline_count(at) > before  # the shipped events and the new ones


def test_upload_replace_shows_only_the_file():
    at = _upload(_run(), DATA / "imports" / "acled_strikes.csv", mode="replace")
    assert not at.exception
    assert _timeline_count(at) == 8
    script = _map_script(at)
    assert "IRQX0002" in script  # the province-level event is drawn ...
    assert "S-IQ-1" not in script


def test_broken_upload_names_file_row_column_and_keeps_the_map():
    at = _run()
    before = _timeline_count(at)
    at = _upload(at, DATA / "imports" / "acled_broken.csv")
    assert not at.exception
    message = at.sidebar.error[0].value
    assert "acled\\_broken" in message and "row 3" in message
    assert "geo\\_precision" in message
    assert _timeline_count(at) == before
    assert _map_script(at)


def test_a_bogus_type_keeps_every_type_with_a_notice():
    at = _run({"types": "bogus"})
    notices = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "'types' has only unknown value(s) bogus; used the default." in notices
    assert not any("No event matches" in i.value for i in at.info)
    assert len(at.dataframe[0].value) == 26  # every shipped event
