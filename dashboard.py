"""The page: widgets -> view state -> pure calls in ``layers/`` -> ``st_*``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo.errors import StrikeMapError
from geo.safe import markdown_text
from layers import sources
from layers.map import build as map_build
from layers.map import data as map_data
from layers.map.assets import install_context, install_static_assets
from layers.map.build import DEFAULT_VIEW, build_map
from layers.map.channel import current_view, new_pick, read_report
from layers.page import failures, text, view
from layers.page.card import event_card, event_labels
from layers.page.downloads import downloads
from layers.page.files import Source, Upload, files_stamp, read_source, upload_source
from layers.page.filters import apply_view, events_table
from layers.page.timeline import selected_event_id, timeline_chart
from layers.page.view import Options, ViewState
from layers.params import WIDTH_RANGE_KM, LayerInputs, LayerParams
from layers.registry import LAYER_NAMES, build_layers
from layers.sources.reference import read_reference

HERE = Path(__file__).resolve().parent
KEY = view.WIDGET_KEYS
Prepared = map_data.PreparedLayers


# Keyed on the files' times and sizes too: an edited catalogue is read again.
@st.cache_data(show_spinner=False, max_entries=8)
def _inputs(source: Source, _data: bytes | None = None) -> LayerInputs:
    return LayerInputs(read_reference(), read_source(source, _data))


@st.cache_data(show_spinner=False, max_entries=16)
def _layers(source: Source, params: LayerParams, _data: bytes | None = None) -> dict:
    return build_layers(_inputs(source, _data), params)


# cache_resource: shared by all sessions and never mutated. Context layers
# come from the reference data only, never from an upload.
@st.cache_resource(show_spinner=False, max_entries=4)
def _context_urls(source: Source) -> dict[str, dict[str, str]]:
    layers = _layers(source[:2], LayerParams())
    return install_context(HERE / "static", map_data.prepare_context(layers))


@st.cache_resource(show_spinner=False, max_entries=16)
def _prepared(source: Source, params: LayerParams, _data: bytes | None) -> Prepared:
    return map_data.prepare_layers(_layers(source, params, _data))


def _render_failure(failure: failures.Failure) -> None:
    st.error(failure.message)
    st.markdown(failure.advice)


def _render_upload(base: Source) -> Upload:
    """A file kept in this session only; one that cannot be read is named."""
    bar = st.sidebar
    bar.header(text.UPLOAD_HEADER)
    file = bar.file_uploader(**text.UPLOADER)
    mode = bar.radio(**text.UPLOAD_MODE)
    upload = (file.name, file.getvalue(), mode) if file is not None else None
    (source, data), new = upload_source(st.session_state.get("_upload"), base, upload)
    if not new:
        st.session_state["_upload"] = (source, data)
        return source, data
    try:
        _inputs(source, data)
    except StrikeMapError as exc:
        bar.error(text.upload_failed(file.name, exc))
        return st.session_state.get("_upload", (base, None))
    st.session_state["_upload"] = (source, data)
    st.session_state.pop("_start", None)  # the filters follow the new events
    st.query_params.clear()
    return source, data


def _open_catalogue() -> tuple[Source, bytes | None, LayerInputs] | None:
    catalogue = sources.resolve_catalogue_path()
    try:
        install_static_assets(HERE / "static")
        source, data = _render_upload((str(catalogue), files_stamp(catalogue)))
        inputs = _inputs(source, data)
    except OSError as exc:  # static/ is not writable
        failure = failures.static_failure(exc, HERE / "static")
    except StrikeMapError as exc:
        failure = failures.load_failure(exc, catalogue)
    else:
        return source, data, inputs
    _render_failure(failure)
    return None


def _initial_state(options: Options) -> ViewState:
    if "_start" not in st.session_state:
        state, notices = view.parse_query(st.query_params.to_dict(), options)
        st.session_state.update(
            view.widget_values(state), _start=state, _notices=notices
        )
    for notice in st.session_state["_notices"]:
        st.warning(f"Link parameter ignored: {markdown_text(notice)}")
    return st.session_state["_start"]


def _render_sidebar(options: Options, start: ViewState) -> ViewState:
    bar, field = st.sidebar, view.FIELD
    bar.header("Filters")
    low, high = view.date_bounds(options, st.session_state[KEY["date_start"]])
    bar.date_input(
        field["date_start"].label, key=KEY["date_start"], min_value=low, max_value=high
    )
    for name in ("event_types", "countries", "precision_classes", "confidences"):
        f, choices = field[name], view.CHOICES[name](options)
        bar.multiselect(f.label, choices, key=KEY[name], help=f.help)
    bar.header("Geometry")
    for f in (field["valley_km"], field["corridor_km"]):
        bar.slider(f.label, *WIDTH_RANGE_KM, step=1.0, key=f.widget_key)
    f = field["basemap"]
    bar.radio(f.label, view.BASEMAPS, key=KEY["basemap"], help=f.help)
    return view.state_from_widgets(st.session_state, start)


def _render_map(
    shown: dict, state: ViewState, ids: tuple, source: Source, data: bytes | None
) -> ViewState:
    """The map, fed only what changed; returns *state* with the map's view."""
    report = read_report(
        (st.session_state.get("map") or {}).get(map_build.CHANNEL_KEY),
        layer_names=LAYER_NAMES,
        event_ids=ids,
    )
    if pick := new_pick(report, st.session_state.get("_last_pick")):
        st.session_state.update({"_last_pick": (pick, report.seq), KEY["event"]: pick})
    start = st.session_state["_start"]  # the shell must not change in a session
    payload = map_data.view_payload(
        shown,
        prepared=_prepared(source, state.layer_params(), data),
        view=current_view(report, **view.map_start(start), start=DEFAULT_VIEW),
        selected=st.session_state.get(KEY["event"], ""),
    )
    st_folium(
        map_build.build_shell(
            _context_urls(source[:2]), basemap=state.basemap, hidden=start.hidden
        ),
        feature_group_to_add=map_build.DataLayer(payload),
        **text.MAP_WIDGET,
        **view.map_centre(start),
    )
    if payload["status"]:
        st.caption(payload["status"])
    return view.with_map_report(state, report)


def _render_card(shown: dict, all_events: gpd.GeoDataFrame) -> None:
    labels = event_labels(all_events)
    choice = st.selectbox(
        text.CARD_PICKER,
        ["", *labels],
        key=KEY["event"],
        format_func=lambda i: labels.get(i, "(none)"),
    )
    if choice:
        # st.html: no Markdown (which makes "![x](url)" an image), DOMPurify.
        st.html(event_card(choice, all_events, shown.get("strike_zones")))


def _open_card_from_timeline() -> None:
    # A callback runs before the rerun, so it may set the card's selectbox.
    event_id = selected_event_id(st.session_state.get("timeline"))
    if event_id:
        st.session_state[KEY["event"]] = event_id


def _render_timeline(events: gpd.GeoDataFrame) -> None:
    st.subheader(f"Timeline ({len(events)} events)")
    if events.empty:
        st.info("No event matches the filters.")
        return
    chart = timeline_chart(events)
    st.altair_chart(chart, on_select=_open_card_from_timeline, **text.TIMELINE_WIDGET)
    st.dataframe(events_table(events), hide_index=True, width="stretch")


def _render_downloads(shown: dict, params: LayerParams, state: ViewState) -> None:
    st.subheader("Downloads")
    items = downloads(shown, params, lambda: build_map(shown, basemap=state.basemap))
    columns = st.columns(3)
    for index, item in enumerate(items):
        columns[index % 3].download_button(**item.button())


def main() -> None:
    """Draw the page."""
    st.set_page_config(page_title=text.PAGE_TITLE, layout="wide")
    st.title(text.TITLE)
    st.caption(text.INTRO)
    opened = _open_catalogue()
    if opened is None:
        return
    source, data, inputs = opened
    options = view.options_for(inputs.catalogue.events)
    state = _render_sidebar(options, _initial_state(options))
    params = state.layer_params()
    try:
        layers = _layers(source, params, data)
    except StrikeMapError as exc:
        _render_failure(failures.build_failure(exc, source[0]))
        return
    shown = apply_view(layers, state)
    map_column, card_column = st.columns([3, 2])
    with map_column:
        state = _render_map(shown, state, options.event_ids, source, data)
    with card_column:
        _render_card(shown, layers["events"])
    state = replace(state, event=st.session_state.get(KEY["event"], ""))
    st.query_params.from_dict(view.to_query(state, options))
    _render_timeline(shown["events"])
    _render_downloads(shown, params, state)


main()
