"""Every registered layer, and the strike geometry checked against outside facts."""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point

from geo.errors import ContradictoryConstraintsError
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
