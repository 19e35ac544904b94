"""Strike map: the 29 December 2019 US strikes on Kata'ib Hezbollah, drawn honestly.

Run with ``streamlit run dashboard.py`` (add ``-- --catalogue DIR`` or set
``STRIKEMAP_CATALOGUE`` to open another catalogue folder).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo.errors import StrikeMapError
from geo.safe import markdown_text
from layers.map.assets import install_context, install_static_assets
from layers.map.build import CHANNEL_KEY, DataLayer, build_map, build_shell
from layers.map.channel import read_report
from layers.map.data import (
    PreparedLayers,
    prepare_context,
    prepare_layers,
    view_payload,
)
from layers.page.card import card_html
from layers.page.downloads import downloads
from layers.page.timeline import TIMELINE_SELECTION, selected_event_id, timeline_chart
from layers.page.view import (
    BASEMAPS,
    WIDTH_RANGE_KM,
    Options,
    ViewState,
    apply_view,
    options_for,
    parse_query,
    to_query,
)
from layers.params import LayerInputs, LayerParams
from layers.registry import LAYER_NAMES, build_layers
from layers.sources import read_catalogue, resolve_catalogue_path
from layers.sources.reference import read_reference
from layers.sources.schema import CONFIDENCE_GRADES, PRECISION_CLASSES

HERE = Path(__file__).resolve().parent
TABLE_COLUMNS = (
    "event_id",
    "date_start",
    "date_end",
    "title",
    "sub_event_type",
    "country",
    "location",
    "precision_class",
    "uncertainty_m",
    "confidence",
    "source_ids",
)


def _catalogue_dir() -> str:
    return str(resolve_catalogue_path())


@st.cache_data(show_spinner=False)
def _load(catalogue_dir: str) -> LayerInputs:
    return LayerInputs(read_reference(), read_catalogue(catalogue_dir))


@st.cache_data(show_spinner=False)
def _layers(catalogue_dir: str, params: LayerParams) -> dict[str, gpd.GeoDataFrame]:
    return build_layers(_load(catalogue_dir), params)


@st.cache_resource(show_spinner=False)
def _context_urls(catalogue_dir: str) -> dict[str, dict[str, str]]:
    # Shared by all sessions and never mutated: URLs of files written once.
    layers = _layers(catalogue_dir, LayerParams())
    return install_context(HERE / "static", prepare_context(layers))


@st.cache_resource(show_spinner=False)
def _prepared(catalogue_dir: str, params: LayerParams) -> PreparedLayers:
    # Shared by all sessions and never mutated: the map's per-layer payloads.
    return prepare_layers(_layers(catalogue_dir, params))


def _params(state: ViewState) -> LayerParams:
    return LayerParams(
        valley_half_width_km=state.valley_km, corridor_half_width_km=state.corridor_km
    )


def _render_failure(exc: StrikeMapError, catalogue_dir: str) -> None:
    st.error(f"The catalogue could not be loaded.\n\n{markdown_text(exc)}")
    st.markdown(
        "**How to fix it:** open the file named above in a spreadsheet or text "
        "editor, correct the cell at the row and column given, save it as CSV "
        "(UTF-8) and reload this page. The columns and allowed values are "
        "described in `data/README.md`. "
        f"Catalogue folder in use: {markdown_text(catalogue_dir)} (set "
        "`STRIKEMAP_CATALOGUE` or pass `-- --catalogue DIR` to `streamlit run` "
        "to open another)."
    )


def _initial_state(options: Options) -> None:
    if st.session_state.get("_initialised"):
        return
    state, notices = parse_query(st.query_params.to_dict(), options)
    st.session_state.update(
        _initialised=True,
        _notices=notices,
        dates=(state.date_start, state.date_end),
        types=list(state.event_types),
        countries=list(state.countries),
        precision=list(state.precision_classes),
        confidence=list(state.confidences),
        valley_km=state.valley_km,
        corridor_km=state.corridor_km,
        basemap=state.basemap,
        event=state.event,
        _map_start=state,
    )


def _render_sidebar(options: Options) -> ViewState:
    sidebar = st.sidebar
    sidebar.header("Filters")
    dates = sidebar.date_input(
        "Date range",
        key="dates",
        min_value=min(options.first_date, st.session_state["dates"][0]),
        max_value=max(options.last_date, st.session_state["dates"][-1]),
    )
    start, end = (dates[0], dates[-1]) if len(dates) else st.session_state["dates"]
    types = sidebar.multiselect("Event types", options.event_types, key="types")
    countries = sidebar.multiselect("Countries", options.countries, key="countries")
    precision = sidebar.multiselect(
        "Precision classes",
        tuple(PRECISION_CLASSES),
        key="precision",
        help="P1 exact site ... P6 country only (see the map legend).",
    )
    confidence = sidebar.multiselect("Confidence", CONFIDENCE_GRADES, key="confidence")
    sidebar.header("Geometry")
    low, high = WIDTH_RANGE_KM
    valley_km = sidebar.slider(
        "Euphrates valley half-width W (km)", low, high, step=1.0, key="valley_km"
    )
    corridor_km = sidebar.slider(
        "Border corridor half-width D (km)", low, high, step=1.0, key="corridor_km"
    )
    basemap = sidebar.radio(
        "Basemap",
        BASEMAPS,
        key="basemap",
        help="None needs no network: countries, governorates and the river are "
        "drawn from the shipped data. The others load tiles from the internet.",
    )
    return ViewState(
        date_start=start,
        date_end=end,
        event_types=tuple(types),
        countries=tuple(countries),
        precision_classes=tuple(precision),
        confidences=tuple(confidence),
        valley_km=float(valley_km),
        corridor_km=float(corridor_km),
        basemap=basemap,
        event=st.session_state.get("event", ""),
    )


def _render_map(
    shown: dict, state: ViewState, options: Options, catalogue_dir: str
) -> ViewState:
    report = read_report(
        (st.session_state.get("map") or {}).get(CHANNEL_KEY),
        layer_names=LAYER_NAMES,
        event_ids=options.event_ids,
    )
    if (
        report
        and report.pick
        and (report.pick, report.seq) != st.session_state.get("_last_pick")
    ):
        st.session_state["_last_pick"] = (report.pick, report.seq)
        st.session_state["event"] = report.pick
    start = st.session_state["_map_start"]  # the shell must not change in a session
    payload = view_payload(
        shown,
        prepared=_prepared(catalogue_dir, _params(state)),
        view=report.view if report else None,
        selected=st.session_state.get("event", ""),
    )
    st_folium(
        build_shell(
            _context_urls(catalogue_dir),
            basemap=state.basemap,
            hidden=start.hidden,
        ),
        height=620,
        use_container_width=True,
        key="map",
        feature_group_to_add=DataLayer(payload),
        center=(start.lat, start.lon) if start.zoom is not None else None,
        zoom=start.zoom,
        returned_objects=[CHANNEL_KEY],
    )
    if payload["status"]:
        st.caption(payload["status"])
    if report is None:
        return state
    return replace(
        state, lat=report.lat, lon=report.lon, zoom=report.zoom, hidden=report.hidden
    )


def _render_card(shown: dict, all_events: gpd.GeoDataFrame) -> None:
    ids = [""] + list(all_events["event_id"])
    titles = dict(zip(all_events["event_id"], all_events["title"], strict=True))
    choice = st.selectbox(
        "Provenance card: click a zone or event on the map, or pick one",
        ids,
        key="event",
        format_func=lambda i: "(none)" if not i else f"{i}: {titles[i]}",
    )
    if not choice:
        return
    event = all_events.set_index("event_id").loc[choice].to_dict()
    event["event_id"] = choice
    zones = shown.get("strike_zones")
    zone = None
    if zones is not None and choice in set(zones["event_id"]):
        zone = zones.set_index("event_id").loc[choice].to_dict()
    # st.html reads no Markdown (st.markdown would turn "![x](url)" that
    # survives HTML escaping into an image) and sanitises with DOMPurify.
    st.html(card_html(event, zone))


def _open_card_from_timeline() -> None:
    # A callback runs before the rerun, so it may set the card's selectbox.
    event_id = selected_event_id(st.session_state.get("timeline"))
    if event_id:
        st.session_state["event"] = event_id


def _render_timeline(events: gpd.GeoDataFrame) -> None:
    st.subheader(f"Timeline ({len(events)} events)")
    if events.empty:
        st.info("No event matches the filters.")
        return
    st.altair_chart(
        timeline_chart(events),
        width="stretch",
        on_select=_open_card_from_timeline,
        selection_mode=TIMELINE_SELECTION,
        key="timeline",
    )
    table = events[list(TABLE_COLUMNS)]
    st.dataframe(table, hide_index=True, width="stretch")


def _render_downloads(shown: dict, params: LayerParams, state: ViewState) -> None:
    st.subheader("Downloads")
    items = downloads(shown, params, lambda: build_map(shown, basemap=state.basemap))
    columns = st.columns(3)
    for index, item in enumerate(items):
        columns[index % 3].download_button(
            item.label,
            data=item.make,
            file_name=item.file_name,
            mime=item.mime,
            key=f"download-{item.file_name}",
            on_click="ignore",
        )


def main() -> None:
    """Draw the page."""
    st.set_page_config(page_title="Strike map: 29 Dec 2019", layout="wide")
    try:
        install_static_assets(HERE / "static")
    except OSError as exc:
        st.error(
            f"Cannot copy the map's Leaflet files into {HERE / 'static'} ({exc}). "
            "The map needs that folder to be writable once; run the dashboard from "
            "a writable copy of the project."
        )
        return
    st.title("US strikes on Kata'ib Hezbollah, 29 December 2019")
    st.caption(
        "Five sites were struck (three near al-Qa'im, Iraq; two in Syria's "
        "Euphrates valley); none was disclosed. Each is drawn as the area its "
        "sources allow, never as a pin."
    )
    catalogue_dir = _catalogue_dir()
    try:
        inputs = _load(catalogue_dir)
    except StrikeMapError as exc:
        _render_failure(exc, catalogue_dir)
        return
    options = options_for(inputs.catalogue.events)
    _initial_state(options)
    for notice in st.session_state.get("_notices", []):
        st.warning(f"Link parameter ignored: {markdown_text(notice)}")
    state = _render_sidebar(options)
    params = _params(state)
    try:
        layers = _layers(catalogue_dir, params)
    except StrikeMapError as exc:
        _render_failure(exc, catalogue_dir)
        return
    shown = apply_view(layers, state)
    map_column, card_column = st.columns([3, 2])
    with map_column:
        state = _render_map(shown, state, options, catalogue_dir)
    with card_column:
        _render_card(shown, layers["events"])
    state = replace(state, event=st.session_state.get("event", ""))
    st.query_params.from_dict(to_query(state, options))
    _render_timeline(shown["events"])
    _render_downloads(shown, params, state)


main()
