"""Layer ``border_corridor``: the Iraq-Syria border +/- D km, in the two countries."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import shapely
from pyproj import Geod

from geo.crs import WGS84
from geo.errors import EmptyLayerError
from geo.shapes import geodesic_area_km2, geodesic_buffer
from layers.params import LayerInputs, LayerParams
from layers.provenance import REFERENCE_SOURCES

_GEOD = Geod(ellps="WGS84")


def border_line(countries: gpd.GeoDataFrame, a: str = "IRQ", b: str = "SYR"):
    """The boundary shared by countries *a* and *b* (ISO3), merged into lines.

    Raises
    ------
    EmptyLayerError
        If either country is missing or they share no boundary.
    """
    polygons = countries.to_crs(WGS84).set_index("iso_a3").geometry
    if a not in polygons.index or b not in polygons.index:
        raise EmptyLayerError(f"countries layer lacks {a} or {b}")
    shared = shapely.intersection(polygons[a].boundary, polygons[b].boundary)
    lines = [g for g in shapely.get_parts(shared) if g.geom_type == "LineString"]
    if not lines:
        raise EmptyLayerError(f"{a} and {b} share no boundary in the countries layer")
    return shapely.line_merge(shapely.union_all(lines))


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """The border buffered by ``params.corridor_half_width_km`` on each side.

    The border is the boundary the Iraq and Syria polygons share; it is
    buffered geodesically (:func:`geo.shapes.geodesic_buffer`: the edge is
    within 0.01 % of the width from the border) and kept to the two countries,
    in longitude/latitude.

    Returns
    -------
    One polygon feature (EPSG:4326) with its width, the border length, the
    area and provenance.
    """
    countries = inputs.reference.countries.to_crs(WGS84)
    line = border_line(countries)
    length_km = _GEOD.geometry_length(line) / 1000
    width_m = params.corridor_half_width_km * 1000
    both = countries[countries["iso_a3"].isin(["IRQ", "SYR"])]
    corridor = shapely.intersection(
        geodesic_buffer(line, width_m), shapely.union_all(both.geometry.values)
    )
    return gpd.GeoDataFrame(
        {
            "name": ["Iraq-Syria border corridor"],
            "half_width_km": [params.corridor_half_width_km],
            "border_length_km": [round(length_km, 1)],
            "area_km2": [round(geodesic_area_km2(corridor), 1)],
            "precision_class": ["P5"],
            "uncertainty_m": [width_m],
            "derivation": [
                f"Boundary shared by the Natural Earth 10m Iraq and Syria polygons "
                f"({length_km:.1f} km), buffered geodesically by "
                f"{params.corridor_half_width_km:g} km on each side and kept inside "
                "the two countries."
            ],
            "sources": [[dict(REFERENCE_SOURCES["countries"])]],
        },
        geometry=[corridor],
        crs=WGS84,
    )
