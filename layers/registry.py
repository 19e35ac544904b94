"""The registry of map layers, in display order, and the function that builds them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import require_crs
from geo.shapes import cell_points
from layers import (
    border_corridor,
    border_crossings,
    euphrates_valley,
    events,
    places,
    strike_areas,
    strike_zones,
)
from layers.catalogue.world import shipped_world
from layers.params import LayerInputs, LayerParams
from layers.provenance import (
    REFERENCE_CLASS,
    REFERENCE_SOURCES,
    REFERENCE_UNCERTAINTY_M,
    with_provenance,
)

Builder = Callable[
    [LayerInputs, LayerParams, Mapping[str, gpd.GeoDataFrame]], gpd.GeoDataFrame
]


#: The half-widths a layer can depend on: ``W`` (the Euphrates valley, the
#: ``valley_half_width_km`` of ``LayerParams``) and ``D`` (the border corridor,
#: ``corridor_half_width_km``), in the order file names give them.
WIDTHS: Mapping[str, str] = MappingProxyType(
    {"W": "valley_half_width_km", "D": "corridor_half_width_km"}
)


def _style(**kwargs: object) -> Mapping[str, object]:
    return MappingProxyType(dict(kwargs))


#: Reference layers completed from the world reference around a catalogue's
#: events that lie outside the regional data, and the margin (degrees) around
#: those events within which world features are drawn.
WORLD_CONTEXT = ("countries", "admin1")
WORLD_CONTEXT_MARGIN_DEG = 3.0
#: The world outlines are searched simplified to this tolerance (degrees), the
#: margin widened by as much: distances to outlines of many thousand vertices
#: (Russia, Canada) are the costly part of finding the context.
_SEARCH_TOLERANCE_DEG = 0.05


@lru_cache(maxsize=len(WORLD_CONTEXT))
def _search_tree(name: str) -> shapely.STRtree:
    """A tree of the shipped world's *name* outlines, simplified for searching."""
    shapes = getattr(shipped_world(), name).geometry.values
    return shapely.STRtree(
        shapely.simplify(shapes, _SEARCH_TOLERANCE_DEG, preserve_topology=True)
    )


def _world_context(
    inputs: LayerInputs, name: str, regional: gpd.GeoDataFrame
) -> gpd.GeoDataFrame | None:
    """World features of layer *name* near the events the regional data misses.

    None when every event lies within the regional countries' bounds (the
    shipped catalogue): its layers stay exactly as they are. Whole features are kept
    (never cut at a box, which would draw false borders): countries within
    ``WORLD_CONTEXT_MARGIN_DEG`` of such an event, and the first-order areas of
    the events' own countries within it.
    """
    events = inputs.catalogue.events
    if name not in WORLD_CONTEXT or events.empty:
        return None
    lon, lat = events["lon"].to_numpy(float), events["lat"].to_numpy(float)
    outside = inputs.beyond_region()
    if not outside.any():
        return None
    world = getattr(shipped_world(), name)
    # One point per 0.1-degree cell the events fall in, the margin widened by
    # the cell's half-diagonal: the same features or more, at a fraction of the
    # distance computations (each against outlines of many thousand vertices).
    points, offset = cell_points(np.column_stack([lon[outside], lat[outside]]))
    margin = WORLD_CONTEXT_MARGIN_DEG + offset + _SEARCH_TOLERANCE_DEG
    hits = _search_tree(name).query(points, predicate="dwithin", distance=margin)
    keep = np.zeros(len(world), dtype=bool)
    keep[np.unique(hits[1])] = True
    keep &= ~world["iso_a3"].isin(regional["iso_a3"]).to_numpy()
    if name == "admin1":  # first-order areas only of the events' own countries
        keep &= world["iso_a3"].isin(events["country"]).to_numpy()
    near = world[keep]
    return near[list(regional.columns)].to_crs(regional.crs)


def reference_layer(
    inputs: LayerInputs,
    params: LayerParams,
    deps: Mapping[str, gpd.GeoDataFrame],
    *,
    name: str,
    derivation: str,
    sources: tuple[str, ...],
) -> gpd.GeoDataFrame:
    """Shipped reference data *name* as drawn, with its provenance (EPSG:4326).

    The frame is ``inputs.reference.<name>`` as read (see ``data/README.md``);
    every feature is of class ``reference``, with the nominal uncertainty of
    its data set, *derivation* and the records of *sources* (keys of
    ``layers.provenance.REFERENCE_SOURCES``).
    """
    regional = getattr(inputs.reference, name)
    world = _world_context(inputs, name, regional)
    if world is not None and len(world):
        regional = gpd.GeoDataFrame(
            pd.concat([regional, world], ignore_index=True), crs=regional.crs
        )
    return with_provenance(
        regional,
        precision_class=REFERENCE_CLASS,
        uncertainty_m=REFERENCE_UNCERTAINTY_M[name],
        derivation=derivation,
        sources=[REFERENCE_SOURCES[source] for source in sources],
    )


def _reference(name: str, derivation: str, *sources: str) -> Builder:
    return partial(
        reference_layer, name=name, derivation=derivation, sources=sources or (name,)
    )


@dataclass(frozen=True)
class LayerSpec:
    """How one layer is built, drawn and exported.

    Attributes
    ----------
    name
        Stable public name: export file names and map layer ids.
    title
        What the map's layer control and legend call it.
    build
        Pure function (inputs, params, built layers) -> GeoDataFrame.
    style
        Leaflet path options (read-only; copy before handing to folium).
    tooltip_fields
        Columns shown on hover, in order.
    requires
        Layers that must be built first and are passed to ``build``.
    context
        True for quiet reference layers (drawn under everything, simplified).
    shown
        Whether the layer is visible when the map opens.
    decimals
        Coordinate decimals in exports: 5 (1 m) for reference data, 6 (10 cm)
        for derived shapes, so exported widths and radii stay within 0.1 %.
    description
        One line on what the layer holds (shown by ``python -m layers export -h``).
    widths
        The half-widths (keys of :data:`WIDTHS`) its builder reads from its
        params; with those of the layers it requires, what its shape depends
        on (:func:`layer_widths`).
    draw
        How the map draws it, a key of ``layers.map.draw.DRAWERS``: "outline"
        (quiet reference polygons or lines), "labels" (named points), "areas"
        (polygons with a tooltip), "points", "zones" (one fill per group, each
        zone's outline) or "events" (from lon, lat, uncertainty_m and
        precision_class; aggregated when many).
    """

    name: str
    title: str
    build: Builder
    style: Mapping[str, object]
    tooltip_fields: tuple[str, ...]
    requires: tuple[str, ...] = ()
    context: bool = False
    shown: bool = True
    decimals: int = 5
    description: str = ""
    widths: frozenset[str] = frozenset()
    draw: str = "areas"


LAYERS: tuple[LayerSpec, ...] = (
    LayerSpec(
        name="countries",
        title="Countries",
        build=_reference(
            "countries",
            "Natural Earth 1:10m country polygon, clipped to 34-60E, 23-38N.",
        ),
        style=_style(color="#6b6b6b", weight=1.2, fillColor="#f4f1ea", fillOpacity=1.0),
        tooltip_fields=("name", "iso_a3"),
        context=True,
        description="Natural Earth 10m admin-0 (v5.1.1).",
        draw="outline",
    ),
    LayerSpec(
        name="admin1",
        title="Governorates",
        build=_reference(
            "admin1",
            "Natural Earth admin-1 (v4.1.0) governorate, fitted to the 10m country "
            "polygons: clipped to its country, with the country's uncovered slivers "
            "given to the nearest governorate.",
            "admin1",
            "countries",
        ),
        style=_style(color="#9a9a9a", weight=0.7, dashArray="3 3", fill=False),
        tooltip_fields=("name", "iso_a3"),
        context=True,
        description="Natural Earth admin-1, Iraq and Syria.",
        draw="outline",
    ),
    LayerSpec(
        name="euphrates",
        title="Euphrates (GSHHG)",
        build=_reference(
            "euphrates",
            "GSHHG WDBII river lines picked by nearness to the Euphrates' course "
            "and merged; gaps where the river crosses lakes.",
        ),
        style=_style(color="#4a90c2", weight=2.0),
        tooltip_fields=("name", "source"),
        context=True,
        description="GSHHG 2.3.7 WDBII river centreline.",
        draw="outline",
    ),
    LayerSpec(
        name="places",
        title="Towns (GeoNames)",
        build=places.build,
        style=_style(color="#333333", weight=1, fillColor="#ffffff", fillOpacity=1.0),
        tooltip_fields=("name", "population"),
        context=True,
        description="GeoNames towns named in the reporting, and cities of 1M+.",
        draw="labels",
    ),
    LayerSpec(
        name="euphrates_valley",
        title="Euphrates River Valley",
        build=euphrates_valley.build,
        style=_style(color="#2b7bb9", weight=1, fillColor="#9ecae1", fillOpacity=0.25),
        tooltip_fields=("name", "half_width_km", "area_km2", "derivation"),
        decimals=6,
        description="River +/- W km in Dayr Az Zawr and Al-Anbar.",
        widths=frozenset({"W"}),
    ),
    LayerSpec(
        name="border_corridor",
        title="Iraq-Syria border corridor",
        build=border_corridor.build,
        style=_style(
            color="#8c6d31",
            weight=1,
            dashArray="6 4",
            fillColor="#e7cb94",
            fillOpacity=0.2,
        ),
        tooltip_fields=("name", "half_width_km", "border_length_km", "area_km2"),
        decimals=6,
        description="Shared border +/- D km on each side.",
        widths=frozenset({"D"}),
    ),
    LayerSpec(
        name="border_crossings",
        title="Border crossings",
        build=border_crossings.build,
        style=_style(color="#54278f", weight=1.5, fillColor="#9e9ac8", fillOpacity=0.6),
        requires=("events",),
        tooltip_fields=("crossing", "date_start", "precision", "uncertainty_m"),
        decimals=6,
        description="Al-Qa'im - Al-Bukamal crossing (reopened 30 Sep 2019).",
        draw="points",
    ),
    LayerSpec(
        name="strike_areas",
        title="Strike areas per country",
        build=strike_areas.build,
        style=_style(color="#7f0000", weight=2.5, fill=False),
        tooltip_fields=("country", "site_count", "area_km2", "event_ids"),
        requires=("strike_zones",),
        shown=False,
        decimals=6,
        description="Strike zones dissolved per country.",
    ),
    LayerSpec(
        name="strike_zones",
        title="Strike zones, 29 Dec 2019",
        build=strike_zones.build,
        style=_style(
            color="#b30000", weight=1.5, fillColor="#e34a33", fillOpacity=0.35
        ),
        tooltip_fields=(
            "event_id",
            "title",
            "precision",
            "uncertainty_m",
            "area_km2",
            "confidence",
        ),
        requires=("euphrates_valley", "border_corridor"),
        decimals=6,
        description="Each site: disc of its uncertainty radius within its constraints.",
        draw="zones",
    ),
    LayerSpec(
        name="events",
        title="Events",
        build=events.build,
        style=_style(weight=1.5, fillOpacity=0.8),
        tooltip_fields=(
            "event_id",
            "title",
            "date_start",
            "sub_event_type",
            "precision",
            "uncertainty_m",
        ),
        requires=("strike_zones",),
        decimals=6,
        description=(
            "Every catalogue event: a point where the site is known, else its area."
        ),
        draw="events",
    ),
)

LAYER_NAMES: tuple[str, ...] = tuple(spec.name for spec in LAYERS)
_BY_NAME = {spec.name: spec for spec in LAYERS}


def get_layer(name: str) -> LayerSpec:
    """The spec of layer *name*.

    Raises
    ------
    KeyError
        If no layer has that name (the message lists the names).
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(
            f"unknown layer '{name}'; known layers: {', '.join(LAYER_NAMES)}"
        ) from None


def layer_widths(name: str) -> tuple[str, ...]:
    """The half-widths layer *name*'s shape depends on, in :data:`WIDTHS` order.

    Its own (``LayerSpec.widths``) and those of every layer it requires, so
    the strike zones, cut by the valley and the corridor, depend on both.

    Raises
    ------
    KeyError
        If no layer has that name.
    """
    spec = get_layer(name)
    found = set(spec.widths)
    for dependency in spec.requires:
        found.update(layer_widths(dependency))
    return tuple(key for key in WIDTHS if key in found)


def width_values(name: str, params: LayerParams) -> dict[str, float]:
    """The half-widths *name* depends on, with their values in *params* (km)."""
    return {key: getattr(params, WIDTHS[key]) for key in layer_widths(name)}


def build_layers(
    inputs: LayerInputs,
    params: LayerParams,
    names: Iterable[str] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """Build the named layers (all by default) and what they require.

    Parameters
    ----------
    inputs
        The reference data and catalogue.
    params
        The widths.
    names
        Which layers; their requirements are built too.

    Returns
    -------
    Layer name to GeoDataFrame, in registry order, every frame with a CRS. A
    layer may be empty (a catalogue without a border crossing, say).

    Raises
    ------
    KeyError
        For an unknown layer name.
    """
    wanted = list(LAYER_NAMES if names is None else names)
    for name in wanted:
        get_layer(name)
    built: dict[str, gpd.GeoDataFrame] = {}

    def _build(name: str) -> None:
        if name in built:
            return
        spec = get_layer(name)
        for dependency in spec.requires:
            _build(dependency)
        gdf = spec.build(inputs, params, MappingProxyType(built))
        built[name] = require_crs(gdf, name=name)

    for name in wanted:
        _build(name)
    return {name: built[name] for name in LAYER_NAMES if name in wanted}
