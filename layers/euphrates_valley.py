"""Layer ``euphrates_valley``: the river +/- W km in Dayr Az Zawr and Al-Anbar."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import shapely

from geo.crs import WGS84
from geo.shapes import geodesic_area_km2, geodesic_buffer
from layers.params import LayerInputs, LayerParams
from layers.provenance import REFERENCE_SOURCES

#: The governorates the valley is limited to: south-east Syria and western Iraq.
VALLEY_GOVERNORATES = ("Dayr Az Zawr", "Al-Anbar")
#: Grid (degrees) the two governorates are united on: that of the files.
GOVERNORATE_GRID_DEG = 1e-5
#: Degrees of latitude per metre, generously rounded up: used only to cut the
#: river to the part that can reach the governorates before it is buffered.
_DEG_PER_M = 1 / 90_000


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """The Euphrates valley as a corridor of ``params.valley_half_width_km``.

    The GSHHG centreline is buffered geodesically (:func:`geo.shapes.geodesic_buffer`:
    the edge is within 0.01 % of the width from the river) and cut to the Dayr
    Az Zawr and Al-Anbar governorates, in longitude/latitude.

    Returns
    -------
    One polygon feature (EPSG:4326) with its width, area and provenance.
    """
    width_m = params.valley_half_width_km * 1000
    river = shapely.union_all(inputs.reference.euphrates.to_crs(WGS84).geometry.values)
    admin1 = inputs.reference.admin1.to_crs(WGS84)
    # On the 1 m grid of the reference files, so the sub-metre slits that
    # rounding leaves along the Iraq-Syria border close.
    governorates = shapely.union_all(
        admin1[admin1["name"].isin(VALLEY_GOVERNORATES)].geometry.values,
        grid_size=GOVERNORATE_GRID_DEG,
    )
    margin = 2 * width_m * _DEG_PER_M + 0.1
    west, south, east, north = governorates.bounds
    near = shapely.clip_by_rect(
        river, west - margin, south - margin, east + margin, north + margin
    )
    valley = shapely.intersection(geodesic_buffer(near, width_m), governorates)
    derivation = (
        f"GSHHG Euphrates centreline buffered geodesically by "
        f"{params.valley_half_width_km:g} km on each side, limited to the "
        f"{' and '.join(VALLEY_GOVERNORATES)} governorates (Natural Earth admin-1 "
        "fitted to the 10m countries)."
    )
    return gpd.GeoDataFrame(
        {
            "name": ["Euphrates River Valley"],
            "half_width_km": [params.valley_half_width_km],
            "area_km2": [round(geodesic_area_km2(valley), 1)],
            "precision_class": ["P5"],
            "uncertainty_m": [width_m],
            "derivation": [derivation],
            "sources": [
                [
                    dict(REFERENCE_SOURCES["euphrates"]),
                    dict(REFERENCE_SOURCES["admin1"]),
                ]
            ],
        },
        geometry=[valley],
        crs=WGS84,
    )
