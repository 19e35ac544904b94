"""What the page rebuilds: a width change rebuilds its layers, a filter change not.

The page keeps two caches keyed on the catalogue and the widths: the built
layers (``_layers``) and the prepared, shared map data (``_shared``, whose files
are named by their content). A filter is applied to cached layers, so it must
not rebuild either; a width must, and only the layers whose spec says they
depend on it may change with it.
"""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from layers import registry
from layers.map import data as map_data
from layers.map import refs
from layers.map.assets import install_data
from layers.params import LayerParams
from layers.registry import LAYER_NAMES, get_layer, layer_widths
from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")
WIDER = {
    "W": LayerParams(valley_half_width_km=15.0),
    "D": LayerParams(corridor_half_width_km=5.0),
}


@pytest.fixture
def calls(monkeypatch):
    """Every call of the two builders the page caches, as they are made."""
    monkeypatch.delenv("STRIKEMAP_CATALOGUE", raising=False)
    seen: dict[str, list[LayerParams]] = {"layers": [], "prepared": []}
    build, prepare = registry.build_layers, map_data.prepare_layers

    def counted_build(inputs, params, names=None):
        seen["layers"].append(params)
        return build(inputs, params, names)

    def counted_prepare(layers):
        params = LayerParams(
            valley_half_width_km=float(
                layers["euphrates_valley"]["half_width_km"].iloc[0]
            ),
            corridor_half_width_km=float(
                layers["border_corridor"]["half_width_km"].iloc[0]
            ),
        )
        seen["prepared"].append(params)
        return prepare(layers)

    monkeypatch.setattr(registry, "build_layers", counted_build)
    monkeypatch.setattr(map_data, "prepare_layers", counted_prepare)
    st.cache_resource.clear()
    yield seen
    st.cache_resource.clear()


def test_a_filter_change_rebuilds_nothing_and_a_width_change_its_layers(calls):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert calls == {"layers": [LayerParams()], "prepared": [LayerParams()]}
    at.multiselect(key="countries").set_value(["SYR"]).run()
    at.multiselect(key="precision").set_value(["P1", "P3"]).run()
    assert calls == {"layers": [LayerParams()], "prepared": [LayerParams()]}
    at.slider(key="valley_km").set_value(15.0).run()
    assert not at.exception
    assert calls["layers"] == [LayerParams(), WIDER["W"]]
    assert calls["prepared"] == [LayerParams(), WIDER["W"]]
    at.slider(key="valley_km").set_value(10.0).run()  # seen before: cached
    assert calls["layers"] == [LayerParams(), WIDER["W"]]
    assert calls["prepared"] == [LayerParams(), WIDER["W"]]


@pytest.fixture(scope="module")
def rebuilt(inputs, layers):
    return {key: registry.build_layers(inputs, params) for key, params in WIDER.items()}


@pytest.mark.parametrize("key", list(WIDER))
@pytest.mark.parametrize("name", LAYER_NAMES)
def test_a_layer_changes_with_a_width_only_if_its_spec_says_so(
    name, key, layers, rebuilt
):
    before, after = layers[name], rebuilt[key][name]
    same = len(before) == len(after) and bool(
        before.geometry.geom_equals_exact(after.geometry, tolerance=0).all()
    )
    if key in get_layer(name).widths:
        assert not same  # the builder reads this width itself
    elif key not in layer_widths(name):
        assert same
        assert before.drop(columns="geometry").equals(after.drop(columns="geometry"))


def test_the_strike_zones_depend_on_both_widths_through_what_they_require():
    assert get_layer("strike_zones").widths == frozenset()
    assert layer_widths("strike_zones") == ("W", "D")
    assert layer_widths("events") == ("W", "D")
    assert layer_widths("euphrates_valley") == ("W",)
    assert layer_widths("countries") == ()


def test_a_width_change_renames_only_the_shared_files_of_its_layers(
    layers, rebuilt, tmp_path
):
    def urls(built):
        install = lambda data: install_data(tmp_path, data)  # noqa: E731
        return refs.share(map_data.prepare_layers(built), install).urls

    before, after = urls(layers), urls(rebuilt["W"])
    assert set(before) == set(after) and "euphrates_valley" in before
    for name, url in before.items():
        if "W" not in layer_widths(name):
            assert after[name] == url, name  # the browser keeps its copy
    assert after["euphrates_valley"] != before["euphrates_valley"]
