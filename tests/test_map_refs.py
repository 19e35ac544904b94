"""Layers sent once as files; a filter change sends only what it picks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layers.map import assets, refs
from layers.map.data import prepare_layers, view_payload
from layers.page.filters import apply_view
from layers.page.view import default_state, options_for
from layers.registry import LAYERS

CONTEXT = {spec.name for spec in LAYERS if spec.context}


def _reader(static: Path):
    def read(url: str) -> dict:
        assert url.startswith(assets.STATIC_URL + "/")
        return json.loads((static / url[len(assets.STATIC_URL) + 1 :]).read_text())

    return read


@pytest.fixture(scope="module")
def shared(layers, tmp_path_factory):
    static = tmp_path_factory.mktemp("static")
    install = lambda data: assets.install_data(static, data)  # noqa: E731
    return refs.share(prepare_layers(layers), install), _reader(static)


def _state(catalogue, **changes):
    from dataclasses import replace

    return replace(default_state(options_for(catalogue.events)), **changes)


def _json(value: object) -> object:
    return json.loads(json.dumps(value))


def _bytes(payload: dict) -> int:
    return len(json.dumps(payload, separators=(",", ":")).encode())


def test_a_filter_change_sends_references_and_no_context(layers, catalogue, shared):
    shared_layers, _ = shared
    state = _state(catalogue, countries=("SYR",))
    payload = refs.view_payload(apply_view(layers, state), shared_layers)
    names = {layer["name"] for layer in payload["layers"]}
    assert not names & CONTEXT
    by_name = {layer["name"]: layer["data"] for layer in payload["layers"]}
    # The widths' layers are a file name and the positions of their features.
    for name in ("euphrates_valley", "border_corridor", "events", "strike_zones"):
        assert set(by_name[name]) >= {"ref"}, name
        assert "coordinates" not in json.dumps(by_name[name]), name
    # 248 KB when the polygons went inline with every rerun.
    assert _bytes(payload) < 5_000


def test_references_resolve_to_what_the_inline_payload_draws(layers, catalogue, shared):
    shared_layers, read = shared
    for state in (
        _state(catalogue),
        _state(catalogue, countries=("SYR",)),
        _state(catalogue, precision_classes=("P1", "P2", "P3")),
    ):
        shown = apply_view(layers, state)
        inline = view_payload(shown, prepared=shared_layers.prepared)
        resolved = refs.resolve(refs.view_payload(shown, shared_layers), read)
        assert [x["name"] for x in resolved["layers"]] == [
            x["name"] for x in inline["layers"]
        ]
        for got, want in zip(resolved["layers"], inline["layers"], strict=True):
            if want["kind"] == "events":
                for column in ("id", "title", "type", "pc", "r", "lon", "lat", "date"):
                    assert got["data"][column] == want["data"][column]
            else:  # the files went through JSON: compare as JSON
                assert _json(got["data"]) == _json(want["data"]), want["name"]


def test_an_upload_shares_only_the_layers_of_the_settings(layers, tmp_path):
    install = lambda data: assets.install_data(tmp_path, data)  # noqa: E731
    shared_layers = refs.share(prepare_layers(layers), install, catalogue=False)
    assert set(shared_layers.urls) == set(refs.SETTINGS_ONLY)
    written = {p.name.rsplit("-", 1)[0] for p in tmp_path.rglob("*.json")}
    assert written == set(refs.SETTINGS_ONLY)


def test_the_same_data_reuse_the_same_file(layers, tmp_path):
    install = lambda data: assets.install_data(tmp_path, data)  # noqa: E731
    first = refs.share(prepare_layers(layers), install).urls
    again = refs.share(prepare_layers(layers), install).urls
    assert first == again
    assert len(list(tmp_path.rglob("*.json"))) == len(first)
