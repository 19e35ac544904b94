"""Layers sent once: each prepared layer as a file, a view as picks from it.

The valley and the corridor change only with their widths, the strike zones and
the events only with the catalogue; a filter change keeps or drops some of
their features. So the full data of every prepared layer is written once per
setting as a file named by a hash of its content (``assets.install_data``),
which the browser fetches once and keeps, and a view's payload names the file
and lists what it picks from it: feature positions (a feature built anew for
the view, such as a strike area dissolved from fewer zones, goes inline), or
the positions of the events kept. :func:`resolve` turns such a payload back
into the inline one the drawers take, as ``strikemap.js`` does.

Without a file for a layer (an upload, the HTML download) its data stay inline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from layers.map import data as map_data
from layers.map.data import PreparedLayers
from layers.map.event_columns import columns_data
from layers.map.features import layer_data
from layers.registry import LAYERS

#: The most events written whole to a file; above it a view's events go inline
#: (at most ``data.MAX_EVENTS`` of them, or counts).
REF_EVENTS_LIMIT = 5000
#: Layers whose data come from the settings and the reference data only, never
#: from the catalogue: the only ones shared when the catalogue is an upload.
SETTINGS_ONLY = frozenset({"euphrates_valley", "border_corridor"})

Install = Callable[[Mapping[str, dict[str, Any]]], Mapping[str, str]]


@dataclass(frozen=True)
class Shared:
    """Prepared layers and the files their full data were written to.

    Attributes
    ----------
    prepared
        ``data.prepare_layers`` of the unfiltered layers.
    data
        name -> the layer's full data, as the drawer takes it.
    urls
        name -> URL of the file holding ``data[name]`` (empty: all inline).
    """

    prepared: PreparedLayers
    data: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    urls: Mapping[str, str] = field(default_factory=dict)


def shared_data(
    prepared: PreparedLayers, *, names: frozenset[str] | None = None
) -> dict[str, dict[str, Any]]:
    """The full data of each prepared layer (of *names*, default all)."""
    out: dict[str, dict[str, Any]] = {}
    for spec in LAYERS:
        if spec.context or (names is not None and spec.name not in names):
            continue
        gdf = prepared.layers.get(spec.name)
        if gdf is None or len(gdf) == 0:
            continue
        if spec.name in prepared.features:
            memo = prepared.fills.setdefault(spec.name, {})
            out[spec.name] = layer_data(gdf, spec, prepared.features[spec.name], memo)
        elif spec.name in prepared.events:
            columns = prepared.events[spec.name]
            if 0 < len(columns.ids) <= REF_EVENTS_LIMIT and columns.ids.is_unique:
                out[spec.name] = columns_data(columns, np.arange(len(columns.ids)))
    return out


def share(
    prepared: PreparedLayers, install: Install | None, *, catalogue: bool = True
) -> Shared:
    """Write the full data of *prepared* with *install*; None shares nothing.

    With ``catalogue=False`` (an upload: its events stay in its session) only
    the ``SETTINGS_ONLY`` layers are written.
    """
    if install is None:
        return Shared(prepared)
    data = shared_data(prepared, names=None if catalogue else SETTINGS_ONLY)
    return Shared(prepared, data, dict(install(data)))


def _picks(
    items: list[dict[str, Any]], full: list[dict[str, Any]]
) -> list[int | dict[str, Any]]:
    """Each of *items* as its position in *full*, or itself when not there."""
    by_id = {id(feature): i for i, feature in enumerate(full)}
    out: list[int | dict[str, Any]] = []
    for item in items:
        position = by_id.get(id(item))
        if position is None:
            position = next((i for i, f in enumerate(full) if f == item), None)
        out.append(item if position is None else position)
    return out


def _reference(
    kind: str, data: dict[str, Any], full: dict[str, Any], url: str
) -> dict[str, Any] | None:
    if kind == "events":
        if data.get("cells") is not None:
            return None
        positions = {event_id: i for i, event_id in enumerate(full["id"])}
        return {"ref": url, "keep": [positions[i] for i in data["id"]]}
    if kind == "zones":
        return {
            "ref": url,
            "items": _picks(data["features"]["features"], full["features"]["features"]),
            "fills": _picks(data["fill"]["features"], full["fill"]["features"]),
        }
    return {"ref": url, "items": _picks(data["features"], full["features"])}


def by_reference(payload: dict[str, Any], shared: Shared) -> dict[str, Any]:
    """*payload* (``data.view_payload``) with shared layers sent as references."""
    layers = []
    for layer in payload["layers"]:
        name = layer["name"]
        url = shared.urls.get(name)
        ref = None
        if url is not None:
            ref = _reference(layer["kind"], layer["data"], shared.data[name], url)
        layers.append(layer if ref is None else {**layer, "data": ref})
    return {**payload, "layers": layers}


def _pick(
    picks: list[int | dict[str, Any]], full: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    return [full[p] if isinstance(p, int) else p for p in picks]


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _resolved(kind: str, data: dict[str, Any], full: dict[str, Any]) -> dict[str, Any]:
    if kind == "events":
        keep = data["keep"]
        out = dict(full)
        for column in ("id", "title", "type", "pc", "r", "lon", "lat", "date", "shape"):
            out[column] = [full[column][i] for i in keep]
        return out
    if kind == "zones":
        return {
            "features": _collection(_pick(data["items"], full["features"]["features"])),
            "fill": _collection(_pick(data["fills"], full["fill"]["features"])),
        }
    return _collection(_pick(data["items"], full["features"]))


def resolve(
    payload: dict[str, Any], read: Callable[[str], dict[str, Any]]
) -> dict[str, Any]:
    """*payload* with every reference replaced by the data it stands for.

    *read* gives the JSON of a file from its URL. What ``strikemap.js`` does in
    the browser; the tests and benchmarks use it to see what is drawn.
    """
    layers = []
    for layer in payload["layers"]:
        data = layer["data"]
        if isinstance(data, dict) and "ref" in data:
            data = _resolved(layer["kind"], data, read(data["ref"]))
        layers.append({**layer, "data": data})
    return {**payload, "layers": layers}


def view_payload(
    shown: Mapping[str, Any], shared: Shared, **options: object
) -> dict[str, Any]:
    """``data.view_payload`` of *shown*, with the layers of *shared* by reference.

    *options* are those of ``data.view_payload`` (view, selected, limit).
    """
    payload = map_data.view_payload(shown, prepared=shared.prepared, **options)  # type: ignore[arg-type]
    return by_reference(payload, shared)
