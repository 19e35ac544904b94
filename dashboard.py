"""The page: widgets -> view state -> pure calls in ``layers/`` -> ``st_*``."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from functools import partial
from pathlib import Path

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

import layers.page.edit_panel as editing
import layers.page.map_view as map_view
import layers.page.shared as shared
import layers.page.timeline as timeline
from geo.errors import StrikeMapError
from geo.safe import markdown_text
from layers import catalogue as catalogue_wing
from layers.map import assets, refs
from layers.map import data as map_data
from layers.page import card, failures, files, filters, publish, region, text, view
from layers.page import playback_controls as controls
from layers.page.files import Source, Upload
from layers.page.find import find_widget
from layers.page.refused import chosen, offer_widgets, show
from layers.page.view import Options, ViewState
from layers.params import LayerInputs, LayerParams
from layers.registry import build_layers

HERE = Path(__file__).resolve().parent
KEY = view.WIDGET_KEYS
ss = st.session_state  # this session's state (a proxy: safe at module level)


# cache_resource: one shared, never-mutated object per files' times and sizes.
@st.cache_resource(show_spinner=False, max_entries=8)
def _inputs(source: Source, _data: bytes | None = None) -> LayerInputs:
    return shared.read_inputs(source, _data)


@st.cache_resource(show_spinner=False, max_entries=16)
def _layers(source: Source, params: LayerParams, _data: bytes | None = None) -> dict:
    return build_layers(_inputs(source, _data), params)


@st.cache_resource(show_spinner=False, max_entries=4)
def _context_urls(source: Source) -> dict[str, dict[str, str]]:
    layers = _layers(source[:2], LayerParams())
    return assets.install_context(HERE / "static", map_data.prepare_context(layers))


@st.cache_resource(show_spinner=False, max_entries=16)
def _shared(source: Source, params: LayerParams, _data: bytes | None) -> refs.Shared:
    prepared = map_data.prepare_layers(_layers(source, params, _data))
    install = partial(assets.install_data, HERE / "static")
    return refs.share(prepared, install, catalogue=_data is None)


def _render_upload(base: Source) -> Upload:
    """A file kept in this session only; one that cannot be read is named."""
    (bar := st.sidebar).header(text.UPLOAD_HEADER)
    file, mode = bar.file_uploader(**text.UPLOADER), bar.radio(**text.UPLOAD_MODE)
    upload = chosen(file, mode, ss)  # its valid rows only, if the user asked
    (source, data), new = files.upload_source(ss.get("_upload"), base, upload)
    if new:
        try:
            _inputs(source, data)
        except StrikeMapError as exc:
            bar.error(text.upload_failed(file.name, exc))
            show(bar, offer_widgets(file, ss))  # counts, refused rows, "Load ..."
            return ss.get("_upload", (base, None))
        ss.pop("_start", None)  # the filters follow the new events
        st.query_params.clear()
    ss["_upload"] = (source, data)
    return source, data


def _open_catalogue(url: str | None) -> tuple[Source, bytes | None, LayerInputs] | None:
    catalogue = catalogue_wing.resolve_catalogue_path()
    try:
        assets.install_static_assets(HERE / "static")
        base = (str(catalogue), files.files_stamp(catalogue))  # no upload on a db:
        source, data = (shared.source_key(url), None) if url else _render_upload(base)
        return source, data, _inputs(source, data)
    except (OSError, StrikeMapError) as exc:  # the database, static/, the files
        show(st, shared.open_failure(exc, catalogue, HERE / "static").widgets())
        return None


def _initial_state(options: Options) -> ViewState:
    if "_start" not in ss:
        state, notices = view.parse_query(st.query_params.to_dict(), options)
        ss.update(view.widget_values(state), _start=state, _notices=notices)
    for notice in ss["_notices"]:
        st.warning(f"Link parameter ignored: {markdown_text(notice)}")
    return ss["_start"]


def _render_sidebar(options: Options, start: ViewState, got: LayerInputs) -> ViewState:
    widgets = view.sidebar_widgets(options, ss[KEY["date_start"]])
    show(st.sidebar, [find_widget(got, ss, KEY["event"]), *widgets])
    return view.state_from_widgets(ss, start)


def _render_map(layers: dict, shown: dict, state: ViewState, opts, loaded: Upload):
    """The frame's map, fed only what changed; returns *state* with its view."""
    (source, data), params = loaded, state.layer_params()
    urls, shared_layers = _context_urls(source[:2]), _shared(source, params, data)
    call = map_view.map_call(ss, layers, shown, state, opts, shared_layers, urls)
    if call.rerun:
        st.rerun()
    st_folium(call.shell, feature_group_to_add=call.layer, **call.widget)
    if call.status:
        st.markdown(call.status)
    return call.state


def _render_card(shown: dict, all_events: gpd.GeoDataFrame) -> None:
    pick = st.selectbox(**card.picker(all_events, key=KEY["event"]))
    if pick:  # st.html: no Markdown (which makes "![x](url)" an image), DOMPurify
        st.html(
            card.event_card(pick, all_events, shown.get("strike_zones"), layers=shown)
        )


@st.fragment(run_every=shared.FRESH_EVERY_S)
def _watch(url: str, seen: Source) -> None:
    if shared.changed(url, seen):  # another session or replica saved an edit
        st.rerun()


def _render_edit(url: str, source: Source, got: LayerInputs, layers: dict) -> None:
    """History for all; the edit form only for a signed-in editor (st.user)."""
    page = editing.Page(url, got, layers, ss.get(KEY["event"]) or "")
    auth = editing.Auth(st.user.to_dict, shared.secrets_dict(st.secrets), st.login)
    for element, kwargs in editing.page_widgets(ss, page, auth, sign_out=st.logout):
        st_folium(**kwargs) if element == "map" else getattr(st, element)(**kwargs)
    _watch(url, source)


def _render_timeline(events: gpd.GeoDataFrame) -> None:
    st.subheader(f"Timeline ({len(events)} events)")
    if events.empty:
        st.info("No event matches the filters.")
        return
    chart = timeline.memo_chart(events)
    select = partial(timeline.open_card, ss, KEY["event"])  # runs before the rerun
    st.altair_chart(chart, on_select=select, **text.TIMELINE_WIDGET)
    st.dataframe(filters.events_table(events), hide_index=True, width="stretch")


def _render_downloads(shown: dict, state: ViewState, inputs: LayerInputs) -> None:
    st.subheader("Downloads")
    columns = st.columns(3)
    for i, item in enumerate(publish.page_downloads(shown, state, inputs.catalogue)):
        columns[i % 3].download_button(**item.button())


def main() -> None:
    """Draw the page."""
    st.set_page_config(page_title=text.PAGE_TITLE, layout="wide")
    (heading := st.empty()).title(text.TITLE)  # retitled for the catalogue loaded
    st.markdown(text.INTRO)  # st.caption grey fails WCAG AA contrast (3.9:1)
    url = shared.database_url(shared.secrets_dict(st.secrets))
    if (opened := _open_catalogue(url)) is None:
        return
    source, data, inputs = opened
    heading.title(title := region.page_title(inputs.catalogue.events, source, data))
    st.set_page_config(page_title=region.tab_title(title))  # the tab says so too
    options = view.options_for(inputs.catalogue.events, loaded=(source, data))
    state = _render_sidebar(options, _initial_state(options), inputs)
    try:
        layers = _layers(source, state.layer_params(), data)
    except StrikeMapError as exc:
        show(st, failures.build_failure(exc, shared.shown_source(source)).widgets())
        return
    shown = filters.apply_view(layers, state)
    map_column, card_column = st.columns([3, 2])
    with map_column:  # the map, then the playback controls (each reruns the page)
        frames, play = controls.begin(ss, shown["events"], state, warn=st.warning)
        draw = st.fragment(_render_map, run_every=play.speed) if play.playing else None
        with nullcontext() if draw else st.container():  # the map stays in place
            state = (draw or _render_map)(layers, shown, state, options, (source, data))
        ss["_in_main"] = False
        row = controls.controls(ss, frames)
        for column, (element, kw) in zip(st.columns(len(row)), row, strict=True):
            getattr(column, element)(**kw)
    with card_column:
        _render_card(shown, layers["events"])
        if url:
            _render_edit(url, source, inputs, layers)
    state = replace(state, event=ss.get(KEY["event"], ""))
    st.query_params.from_dict(view.to_query(state, options))
    _render_timeline(shown["events"])
    _render_downloads(shown, state, inputs)


main()
