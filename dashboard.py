"""Strike map: the page. Widgets -> view state -> pure calls in ``layers/`` -> st_*.

Run ``streamlit run dashboard.py [-- --catalogue DIR]`` (or set STRIKEMAP_CATALOGUE).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo.errors import StrikeMapError
from geo.safe import markdown_text
from layers.map.assets import install_static_assets
from layers.map.build import build_map
from layers.map.data import prepare_display
from layers.page import failures, view
from layers.page.card import event_card, event_labels
from layers.page.downloads import downloads
from layers.page.files import Stamp, files_stamp
from layers.page.filters import apply_view, display_for_view, events_table
from layers.page.timeline import timeline_chart
from layers.page.view import Options, ViewState
from layers.params import WIDTH_RANGE_KM, LayerInputs, LayerParams
from layers.registry import build_layers
from layers.sources import read_catalogue, resolve_catalogue_path
from layers.sources.reference import Reference, read_reference

HERE = Path(__file__).resolve().parent
KEY = view.WIDGET_KEYS


@st.cache_data(show_spinner=False)
def _reference() -> Reference:
    return read_reference()


# Keyed on the files' times and sizes too: an edited catalogue is read again.
@st.cache_data(show_spinner=False, max_entries=4)
def _inputs(catalogue: str, stamp: Stamp) -> LayerInputs:
    return LayerInputs(_reference(), read_catalogue(catalogue))


@st.cache_data(show_spinner=False, max_entries=16)
def _layers(catalogue: str, stamp: Stamp, params: LayerParams) -> tuple[dict, dict]:
    """The layers, and their map data prepared once."""
    layers = build_layers(_inputs(catalogue, stamp), params)
    return layers, prepare_display(layers)


def _render_failure(failure: failures.Failure) -> None:
    st.error(failure.message)
    st.markdown(failure.advice)


def _open_catalogue() -> tuple[str, Stamp, LayerInputs] | None:
    """The catalogue's path, files stamp and inputs; None once a failure is shown."""
    catalogue = resolve_catalogue_path()
    stamp = files_stamp(catalogue)
    try:
        install_static_assets(HERE / "static")
        inputs = _inputs(str(catalogue), stamp)
    except OSError as exc:  # static/ is not writable
        failure = failures.static_failure(exc, HERE / "static")
    except StrikeMapError as exc:
        failure = failures.load_failure(exc, catalogue)
    else:
        return str(catalogue), stamp, inputs
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
    picked = st.session_state[KEY["date_start"]]
    bar.date_input(
        field["date_start"].label,
        key=KEY["date_start"],
        min_value=min(options.first_date, picked[0]),
        max_value=max(options.last_date, picked[-1]),
    )
    for name in ("event_types", "countries", "precision_classes", "confidences"):
        f = field[name]
        bar.multiselect(
            f.label, view.CHOICES[name](options), key=KEY[name], help=f.help
        )
    bar.header("Geometry")
    for f in (field["valley_km"], field["corridor_km"]):
        bar.slider(f.label, *WIDTH_RANGE_KM, step=1.0, key=f.widget_key)
    f = field["basemap"]
    bar.radio(f.label, view.BASEMAPS, key=KEY["basemap"], help=f.help)
    return view.state_from_widgets(st.session_state, start)


def _render_map(display: dict, state: ViewState, event_ids: tuple[str, ...]) -> None:
    fmap = build_map(display, basemap=state.basemap)
    result = st_folium(
        fmap,
        height=620,
        use_container_width=True,
        key="map",
        returned_objects=["last_object_clicked_tooltip"],
    )
    tooltip = (result or {}).get("last_object_clicked_tooltip") or ""
    if tooltip and tooltip != st.session_state.get("_last_click"):
        st.session_state["_last_click"] = tooltip
        found = view.event_in_tooltip(tooltip, event_ids)
        if found:
            st.session_state[KEY["event"]] = found


def _render_card(shown: dict, all_events: gpd.GeoDataFrame) -> None:
    labels = event_labels(all_events)
    choice = st.selectbox(
        "Provenance card: click a zone or event on the map, or pick one",
        ["", *labels],
        key=KEY["event"],
        format_func=lambda i: labels.get(i, "(none)"),
    )
    if choice:
        # st.html: no Markdown (which makes "![x](url)" an image), DOMPurify.
        st.html(event_card(choice, all_events, shown.get("strike_zones")))


def _render_timeline(events: gpd.GeoDataFrame) -> None:
    st.subheader(f"Timeline ({len(events)} events)")
    if events.empty:
        st.info("No event matches the filters.")
        return
    st.altair_chart(timeline_chart(events), width="stretch")
    st.dataframe(events_table(events), hide_index=True, width="stretch")


def _render_downloads(
    shown: dict, display: dict, params: LayerParams, state: ViewState
) -> None:
    st.subheader("Downloads")
    items = downloads(shown, params, lambda: build_map(display, basemap=state.basemap))
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
    st.title("US strikes on Kata'ib Hezbollah, 29 December 2019")
    st.caption(
        "Five sites were struck (three near al-Qa'im, Iraq; two in Syria's "
        "Euphrates valley); none was disclosed. Each is drawn as the area its "
        "sources allow, never as a pin."
    )
    opened = _open_catalogue()
    if opened is None:
        return
    catalogue, stamp, inputs = opened
    options = view.options_for(inputs.catalogue.events)
    state = _render_sidebar(options, _initial_state(options))
    params = state.layer_params()
    try:
        layers, prepared = _layers(catalogue, stamp, params)
    except StrikeMapError as exc:
        _render_failure(failures.build_failure(exc, catalogue))
        return
    shown = apply_view(layers, state)
    display = display_for_view(prepared, shown)
    _render_map(display, state, options.event_ids)
    _render_card(shown, layers["events"])
    state = replace(state, event=st.session_state.get(KEY["event"], ""))
    st.query_params.from_dict(view.to_query(state, options))
    _render_timeline(shown["events"])
    _render_downloads(shown, display, params, state)


main()
