"""Every registered layer, and the strike geometry checked against outside facts."""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from geo.errors import ContradictoryConstraintsError
from layers.border_corridor import border_line
from layers.params import REGION_CRS, LayerInputs, LayerParams
from layers.registry import LAYER_NAMES, LAYERS, build_layers, get_layer
from tests.conftest import (
    ABU_KAMAL,
    AL_MAYADIN,
    AL_QAIM_GEONAMES,
    AL_QAIM_WIKIPEDIA,
    BORDER_KM,
    DEIR_EZ_ZOR,
)
from tests.geodesy import GEOD, edge_distances_m


@pytest.mark.parametrize("spec", LAYERS, ids=lambda spec: spec.name)
def test_layer_builds_with_crs_valid_geometry_and_tooltip_fields(layers, spec):
    gdf = layers[spec.name]
    assert gdf.crs is not None
    assert len(gdf) > 0
    assert gdf.geometry.is_valid.all() and not gdf.geometry.is_empty.any()
    assert set(spec.tooltip_fields) <= set(gdf.columns)


def test_registry_names_are_the_public_contract():
    assert LAYER_NAMES == (
        "countries",
        "admin1",
        "euphrates",
        "places",
        "euphrates_valley",
        "border_corridor",
        "border_crossings",
        "strike_areas",
        "strike_zones",
        "events",
    )
    with pytest.raises(KeyError, match="known layers: countries"):
        get_layer("nope")


def _country(reference, iso3):
    countries = reference.countries
    return countries[countries["iso_a3"] == iso3].to_crs(REGION_CRS).geometry.iloc[0]


def _share_outside(zone_proj, container_proj) -> float:
    return zone_proj.difference(container_proj).area / zone_proj.area


def test_zones_lie_in_their_country_and_the_syrian_ones_in_the_valley(
    layers, reference
):
    zones = layers["strike_zones"].to_crs(REGION_CRS)
    valley = layers["euphrates_valley"].to_crs(REGION_CRS).geometry.iloc[0]
    assert sorted(zones["country"]) == ["IRQ", "IRQ", "IRQ", "SYR", "SYR"]
    for _, zone in zones.iterrows():
        assert (
            _share_outside(zone.geometry, _country(reference, zone["country"])) <= 0.001
        )
        if zone["country"] == "SYR":
            assert _share_outside(zone.geometry, valley) <= 0.001


@pytest.mark.parametrize(
    ("country", "towns"),
    [("IRQ", [AL_QAIM_GEONAMES, AL_QAIM_WIKIPEDIA]), ("SYR", [ABU_KAMAL])],
)
def test_zones_cover_their_anchor_towns(layers, country, towns):
    zones = layers["strike_zones"]
    for _, zone in zones[zones["country"] == country].iterrows():
        for town in towns:
            assert zone.geometry.contains(Point(town)), (zone["event_id"], town)


def test_no_zone_is_a_point(layers):
    zones = layers["strike_zones"]
    assert set(zones.geom_type) <= {"Polygon", "MultiPolygon"}
    assert (zones["area_km2"] > 100).all()


def test_every_strike_feature_carries_its_provenance(layers):
    for _, zone in layers["strike_zones"].iterrows():
        assert zone["precision_class"] in {"P3", "P4", "P5"}
        assert zone["uncertainty_m"] >= 20_000
        assert zone["derivation"].startswith("Intersection of: within")
        assert len(zone["sources"]) >= 1


def test_syrian_derivation_names_the_valley(layers):
    zones = layers["strike_zones"]
    for derivation in zones[zones["country"] == "SYR"]["derivation"]:
        assert "Syria" in derivation and "Euphrates River Valley" in derivation


def test_corridor_holds_crossing_and_towns_and_matches_the_border(layers):
    corridor = layers["border_corridor"]
    geometry = corridor.geometry.iloc[0]
    crossing = layers["border_crossings"].geometry.iloc[0]
    for point in (
        crossing,
        Point(ABU_KAMAL),
        Point(AL_QAIM_GEONAMES),
        Point(AL_QAIM_WIKIPEDIA),
    ):
        assert geometry.contains(point)
    assert corridor["border_length_km"].iloc[0] == pytest.approx(BORDER_KM, rel=0.01)


def test_corridor_area_is_about_two_d_times_the_border(layers):
    area = layers["border_corridor"]["area_km2"].iloc[0]
    # 2 x 25 km x 599 km, less the ends clipped to the two countries and the bends.
    assert 0.85 * 2 * 25 * BORDER_KM < area < 1.1 * 2 * 25 * BORDER_KM


def test_valley_holds_the_valley_towns(layers):
    valley = layers["euphrates_valley"].geometry.iloc[0]
    for town in (ABU_KAMAL, AL_MAYADIN, DEIR_EZ_ZOR):
        assert valley.contains(Point(town))
    # Palmyra (Tadmur) is far from the river.
    assert not valley.contains(Point(38.27, 34.56))


@pytest.mark.parametrize(
    ("layer", "field"),
    [
        ("euphrates_valley", "valley_half_width_km"),
        ("border_corridor", "corridor_half_width_km"),
    ],
)
def test_wider_width_gives_strictly_larger_area(inputs, layer, field):
    def area(km):
        built = build_layers(inputs, LayerParams(**{field: km}), [layer])[layer]
        return built.to_crs(REGION_CRS).area.iloc[0]

    assert area(5) < area(10) < area(25)


def test_wider_valley_grows_the_syrian_zones(inputs):
    def syrian_area(km):
        zones = build_layers(
            inputs, LayerParams(valley_half_width_km=km), ["strike_zones"]
        )
        zones = zones["strike_zones"]
        return zones[zones["country"] == "SYR"].to_crs(REGION_CRS).area.sum()

    assert syrian_area(5) < syrian_area(15)


def test_strike_areas_count_sites_per_country(layers):
    areas = layers["strike_areas"].set_index("country")
    assert areas.loc["IRQ", "site_count"] == 3
    assert areas.loc["SYR", "site_count"] == 2


def test_events_carry_precision_and_uncertainty(layers, catalogue):
    events = layers["events"]
    assert len(events) == len(catalogue.events)
    assert events["uncertainty_m"].gt(0).all()
    assert events["precision"].str.match(r"P\d: ").all()


def test_contradictory_sources_raise_a_clear_error(reference, catalogue):
    # A Syrian strike anchored in Baghdad: Syria and a 30 km disc do not meet.
    # (The reader rejects such a row; the layer must still fail clearly if
    # handed one, so the frame is edited after reading.)
    events = catalogue.events.copy()
    row = events["event_id"] == "S-SY-1"
    events.loc[row, ["lat", "lon", "candidates"]] = [33.3, 44.4, ""]
    events.loc[row, "geometry"] = Point(44.4, 33.3)
    inputs = LayerInputs(reference, replace(catalogue, events=events))
    with pytest.raises(ContradictoryConstraintsError, match=r"S-SY-1.*contradict"):
        build_layers(inputs, LayerParams(), ["strike_zones"])


def test_params_reject_nonsense_widths():
    with pytest.raises(ValueError, match="valley_half_width_km"):
        LayerParams(valley_half_width_km=0)
    with pytest.raises(ValueError, match="corridor_half_width_km"):
        LayerParams(corridor_half_width_km=-5)


def test_zone_shape_follows_the_country_line(layers, reference):
    # The Iraqi zones are cut at the border: the disc alone would reach into Syria.
    zone = layers["strike_zones"].set_index("event_id").loc["S-IQ-3"].geometry
    syria = reference.countries[reference.countries["iso_a3"] == "SYR"].geometry.iloc[0]
    assert shapely.intersection(zone, syria).area / zone.area < 1e-4
    disc_reaches_syria = gpd.GeoSeries([Point(41.064, 34.380)], crs=4326)
    assert (
        disc_reaches_syria.to_crs(REGION_CRS)
        .buffer(40_000)
        .to_crs(4326)
        .iloc[0]
        .intersects(syria)
    )


# Geodesic truth, recomputed with pyproj.Geod only (tests/geodesy.py).


def _governorates(reference, names):
    admin1 = reference.admin1
    return shapely.union_all(admin1[admin1["name"].isin(names)].geometry.values)


@pytest.mark.parametrize("width_km", [10.0, 2.5])
def test_valley_edge_is_the_width_from_the_river_everywhere(inputs, width_km):
    valley = build_layers(
        inputs, LayerParams(valley_half_width_km=width_km), ["euphrates_valley"]
    )["euphrates_valley"]
    river = shapely.union_all(inputs.reference.euphrates.geometry.values)
    cut = _governorates(inputs.reference, ["Dayr Az Zawr", "Al-Anbar"])
    gaps = edge_distances_m(valley.geometry.iloc[0], river, width_km * 1000, cut_by=cut)
    assert len(gaps) > 2_000 and np.isfinite(gaps).all()
    assert np.abs(gaps / (width_km * 1000) - 1).max() < 0.001


@pytest.mark.parametrize("width_km", [25.0, 2.0])
def test_corridor_edge_is_the_width_from_the_border_everywhere(inputs, width_km):
    corridor = build_layers(
        inputs, LayerParams(corridor_half_width_km=width_km), ["border_corridor"]
    )["border_corridor"]
    countries = inputs.reference.countries
    both = shapely.union_all(
        countries[countries["iso_a3"].isin(["IRQ", "SYR"])].geometry.values
    )
    gaps = edge_distances_m(
        corridor.geometry.iloc[0],
        border_line(countries),
        width_km * 1000,
        cut_by=both,
    )
    assert len(gaps) > 2_000 and np.isfinite(gaps).all()
    assert np.abs(gaps / (width_km * 1000) - 1).max() < 0.001


def _geod_area(geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(shapely.orient_polygons(geometry))[0])


def _geod_disc(lon, lat, radius_m):
    azimuths = np.linspace(0, 360, 3600, endpoint=False)
    lons, lats, _ = GEOD.fwd(
        np.full(3600, lon), np.full(3600, lat), azimuths, np.full(3600, radius_m)
    )
    return shapely.Polygon(np.column_stack([lons, lats]))


def test_every_zone_lies_inside_each_constraint_with_no_tolerance(layers, reference):
    countries, admin1 = reference.countries, reference.admin1
    valley = layers["euphrates_valley"].geometry.iloc[0]
    for _, zone in layers["strike_zones"].iterrows():
        constraints = {
            "disc": _geod_disc(zone["lon"], zone["lat"], zone["uncertainty_m"]),
            "country": countries[countries["iso_a3"] == zone["country"]].geometry.iloc[
                0
            ],
            "admin1": admin1[admin1["name"] == zone["admin1"]].geometry.iloc[0],
        }
        if "valley" in zone["constraints"]:
            constraints["valley"] = valley
        for name, area in constraints.items():
            outside = _geod_area(shapely.difference(zone.geometry, area))
            assert outside / _geod_area(zone.geometry) <= 0.001, (
                zone["event_id"],
                name,
            )


def test_no_area_only_event_is_a_point(layers):
    events = layers["events"]
    area_only = ~events["precision_class"].isin(["P1", "P2"])
    assert area_only.sum() >= 8
    assert (events.loc[area_only, "geometry_kind"] == "area").all()
    assert set(events[area_only].geom_type) <= {"Polygon", "MultiPolygon"}
    sites = events[events["geometry_kind"] == "site"]
    assert set(sites.geom_type) == {"Point"}
    assert (events["anchor_lon"] == events["lon"]).all()
    assert (events["anchor_lat"] == events["lat"]).all()
    for _, site in sites.iterrows():
        assert site.geometry.x == site["lon"] and site.geometry.y == site["lat"]


def test_area_events_are_their_zone_or_their_geodesic_disc(layers):
    events = layers["events"].set_index("event_id")
    zones = layers["strike_zones"].set_index("event_id")
    for event_id, zone in zones.iterrows():
        assert events.loc[event_id].geometry.equals(zone.geometry)
        assert events.loc[event_id, "derivation"] == zone["derivation"]
    discs = events[
        (events["geometry_kind"] == "area") & ~events.index.isin(zones.index)
    ]
    assert len(discs) >= 3  # RQ4-US and the two Gulf of Oman tankers
    for _, event in discs.iterrows():
        coords = shapely.get_coordinates(
            shapely.segmentize(event.geometry.exterior, 0.001)
        )
        n = len(coords)
        _, _, dist = GEOD.inv(
            np.full(n, event["lon"]),
            np.full(n, event["lat"]),
            coords[:, 0],
            coords[:, 1],
        )
        assert np.abs(dist / event["uncertainty_m"] - 1).max() < 0.001
        assert event["derivation"].startswith("Geodesic disc of")


@pytest.mark.parametrize("spec", LAYERS, ids=lambda spec: spec.name)
def test_every_feature_says_how_its_shape_was_made(layers, spec):
    gdf = layers[spec.name]
    for column in ("precision_class", "uncertainty_m", "derivation", "sources"):
        assert column in gdf.columns, column
    assert gdf["precision_class"].astype(str).str.len().gt(0).all()
    assert (gdf["uncertainty_m"].astype(float) > 0).all()
    assert gdf["derivation"].astype(str).str.len().gt(20).all()
    for sources in gdf["sources"]:
        assert len(sources) >= 1
        assert all(s["url"].startswith("https://") for s in sources)


def test_husaybah_is_not_labelled_al_qaim_and_beirut_only_once(layers):
    places = layers["places"]
    names = list(places["name"])
    assert not any(name.startswith("Al Q") for name in names)
    assert any(name.startswith("Husaybah") for name in names)
    beirut = places[shapely.distance(places.geometry.values, Point(35.50, 33.89)) < 0.1]
    assert len(beirut) == 1
