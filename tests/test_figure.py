"""The publication figure: files that open, its furniture, its geometry, same bytes."""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PIL import Image

from geo.crs import aeqd_crs
from layers.figure import FigureView, draw_figure, event_areas, figure_bytes
from layers.page import publish
from layers.page.filters import apply_view
from layers.page.view import options_for, parse_query

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def options(catalogue):
    return options_for(catalogue.events)


@pytest.fixture(scope="module")
def state(options):
    return parse_query({}, options)[0]


@pytest.fixture(scope="module")
def svg_text(layers, state, options):
    return publish.figure_of_view(layers, state, options, fmt="svg").decode()


def _texts(svg: str) -> str:
    root = ET.fromstring(svg)
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def test_command_writes_png_svg_and_pdf_that_open(tmp_path):
    for suffix in ("png", "svg", "pdf"):
        out = tmp_path / f"map.{suffix}"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "layers",
                "figure",
                "--out",
                str(out),
                "--start",
                "2019-12-01",
                "--end",
                "2019-12-31",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        data = out.read_bytes()
        if suffix == "png":
            image = Image.open(io.BytesIO(data))
            assert image.format == "PNG" and image.size == (1200, 1425)
        elif suffix == "svg":
            assert "01 Dec 2019 - 31 Dec 2019" in _texts(data.decode())
        else:
            assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
            assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 1


def test_command_rejects_an_unknown_format_and_notes_a_bad_key(tmp_path):
    run = [sys.executable, "-m", "layers", "figure"]
    bad = subprocess.run(
        [*run, "--out", str(tmp_path / "m.gif")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and ".png, .svg or .pdf" in bad.stderr
    noted = subprocess.run(
        [*run, "--out", str(tmp_path / "m.svg"), "--zoom", "99"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert noted.returncode == 0 and "'zoom' should be a number" in noted.stderr


def test_svg_has_legend_scale_bar_north_arrow_caption_and_credits(svg_text):
    text = _texts(svg_text)
    for expected in (
        "Legend",
        "Strike zone, region level (P4-P5): hatched, no pin",
        "Strike zone, district level (P3): shaded",
        "25 km",
        "N",
        "01 May 2019 - 31 Jan 2020",
        "Types: all",
        "Natural Earth",
        "GeoNames",
        "GSHHG",
        "Basemap:",
        "Data: the catalogue, citing Wikipedia",
    ):
        assert expected in text, expected
    assert "<pattern" in svg_text  # the hatch of the coarse zones


def test_same_input_same_bytes_other_input_other_bytes(layers, state, options):
    for fmt in ("png", "svg", "pdf"):
        first = publish.figure_of_view(layers, state, options, fmt=fmt)
        assert first == publish.figure_of_view(layers, state, options, fmt=fmt), fmt
        other = replace(state, date_start=state.date_end)
        assert first != publish.figure_of_view(layers, other, options, fmt=fmt), fmt


def _collection_bounds(fig, gid):
    ax = fig.axes[0]
    found = [c for c in ax.collections if c.get_gid() == gid]
    assert found, gid
    vertices = np.concatenate([p.vertices for c in found for p in c.get_paths()])
    return np.r_[vertices.min(axis=0), vertices.max(axis=0)]


def test_drawn_zones_and_event_areas_are_the_layer_geometries(layers, state):
    shown = apply_view(layers, state)
    bounds = publish.view_bounds(state)
    fig = draw_figure(shown, view=FigureView(bounds=bounds))
    south, west, north, east = bounds
    crs = aeqd_crs(round((west + east) / 2, 6), round((south + north) / 2, 6))
    zones = shown["strike_zones"]
    for klass in ("P3", "P5"):
        expected = zones[zones["precision_class"] == klass].to_crs(crs).total_bounds
        drawn = _collection_bounds(fig, f"zone-outline-{klass}")
        assert np.allclose(drawn, expected, atol=1.0), klass  # within a metre
    fills = {c.get_gid(): c for c in fig.axes[0].collections if c.get_gid()}
    assert fills["zone-fill-P5"].get_hatch() == "////"  # hatched, not shaded
    assert fills.get("zone-fill-P3") is None or not fills["zone-fill-P3"].get_hatch()
    coarse = zones[zones["precision_class"].isin(("P4", "P5"))]
    fill = shapely.union_all(coarse.to_crs(crs).geometry.values).bounds
    assert np.allclose(_collection_bounds(fig, "zone-fill-P5"), fill, atol=1.0)
    events = shown["events"]
    area_only = events[events["precision_class"].isin(("P3", "P4", "P5"))]
    expected = event_areas(area_only).to_crs(crs).total_bounds
    assert np.allclose(_collection_bounds(fig, "event-areas"), expected, atol=1.0)


def test_a_dot_only_where_the_site_is_known(layers, state):
    shown = apply_view(layers, state)
    fig = draw_figure(shown, view=FigureView(bounds=publish.view_bounds(state)))
    sites = [c for c in fig.axes[0].collections if c.get_gid() == "event-sites"]
    known = shown["events"]["precision_class"].isin(("P1", "P2"))
    assert len(sites) == 1 and len(sites[0].get_offsets()) == int(known.sum())
    expected = gpd.points_from_xy(
        shown["events"]["lon"][known], shown["events"]["lat"][known], crs=4326
    )
    crs = aeqd_crs(*[round(v, 6) for v in _centre(publish.view_bounds(state))])
    assert np.allclose(
        sites[0].get_offsets(),
        np.c_[expected.to_crs(crs).x, expected.to_crs(crs).y],
        atol=0.01,
    )


def _centre(bounds):
    south, west, north, east = bounds
    return (west + east) / 2, (south + north) / 2


def test_view_bounds_follow_the_link_centre_and_zoom(state):
    moved = replace(state, lat=34.4, lon=40.95, zoom=10)
    south, west, north, east = publish.view_bounds(moved)
    assert west < 40.95 < east and south < 34.4 < north
    assert east - west == pytest.approx(900 * 360 / (256 * 2**10))


def test_unknown_format_is_refused(layers, state):
    fig = draw_figure(
        apply_view(layers, state), view=FigureView(bounds=publish.view_bounds(state))
    )
    with pytest.raises(ValueError, match="png, svg, pdf"):
        figure_bytes(fig, "gif")


def test_the_legend_names_only_what_lies_in_the_figure(tmp_path):
    # A view on eastern Ukraine, from a world catalogue: the Iraq-Syria layers
    # are loaded but lie 1,000 km outside the figure, so no legend row names them.
    world = ROOT / "tests" / "data" / "imports" / "world" / "acled_world_strikes.csv"
    out = tmp_path / "ukraine.svg"
    view = ["--lat", "48.5", "--lon", "35", "--zoom", "6"]
    done = subprocess.run(
        [sys.executable, "-m", "layers", "figure", "--catalogue", str(world)]
        + [*view, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    texts = ["".join(t.itertext()) for t in ET.parse(out).getroot().iter(f"{SVG}text")]
    legend = texts[texts.index("Legend") + 1 :]
    assert "Air/drone strike" in legend  # the strikes near Kharkiv are in it
    for seed_layer in (
        "Iraq-Syria border corridor",
        "Euphrates River Valley",
        "Euphrates (GSHHG)",
        "Border crossings",
    ):
        assert seed_layer not in legend
