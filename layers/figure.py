"""A publication map of one view: PNG, SVG or PDF, drawn offline with matplotlib.

Uncertainty is drawn as the web map draws it: strike zones shaded (P3) or
hatched (P4-P5) with one fill per group and each zone outlined (dashed when
coarse); events as the dashed area of their uncertainty (their own area where
their constraints cut it), with a dot only where the site is known (P1-P2);
country-only events (P6) are not drawn. The figure is drawn in an azimuthal
equidistant projection centred on the view, so the scale bar is true at the
centre and north is up there. Same input, same bytes: every format is written
without dates, software names or random ids.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import matplotlib
import pandas as pd
import shapely
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib_scalebar.scalebar import ScaleBar

from geo.crs import WGS84, aeqd_crs
from geo.shapes import geodesic_discs
from layers.catalogue.model import PRECISION_CLASSES
from layers.map.data import AREA_ONLY, COARSE_AREAS, NOT_DRAWN
from layers.map.style import DEFAULT_EVENT_COLOUR, EVENT_COLOURS, SEA_COLOUR
from layers.registry import LAYERS, LayerSpec

FORMATS = ("png", "svg", "pdf")
#: Metadata that would change between runs, switched off per format.
_METADATA: Mapping[str, Mapping[str, None]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}
_RC: Any = {
    "svg.hashsalt": "strikemap",  # fixed ids for clip paths and hatches
    "svg.fonttype": "none",  # text stays text: searchable, selectable
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",  # shipped with matplotlib: no network, no drift
    "hatch.linewidth": 0.8,
}
#: A Leaflet pixel is about this many points on paper.
_PT_PER_PX = 0.75
HATCH = "////"
_RING_LABEL = (
    "Dashed ring: uncertainty radius;\ndot only where the site is known (P1-P2)"
)
DATA_ATTRIBUTION = (
    "Reference data: Natural Earth (public domain), GeoNames (CC BY 4.0), "
    "GSHHG 2.3.7 (LGPL)."
)
BASEMAP_NOTE = "Basemap: the shipped vector layers (no tiles)."


@dataclass(frozen=True)
class FigureView:
    """What the figure shows besides the layers.

    Attributes
    ----------
    bounds
        (south, west, north, east) in degrees.
    hidden
        Layer names switched off.
    title
        The figure's title.
    caption
        Lines under the map: the date range and filters.
    sources
        The catalogue's sources, credited with the reference data.
    """

    bounds: tuple[float, float, float, float]
    hidden: tuple[str, ...] = ()
    title: str = "Strike map"
    caption: tuple[str, ...] = ()
    sources: str = ""


def _dashes(style: Mapping[str, object]) -> object:
    dash = style.get("dashArray")
    if not dash:
        return "solid"
    parts = [float(p) for p in str(dash).replace(",", " ").split()]
    return (0, tuple(p * _PT_PER_PX for p in parts))


def _path_kwargs(style: Mapping[str, object]) -> dict[str, object]:
    """Patch options (matplotlib) for Leaflet path options *style*."""
    filled = style.get("fill", True) is not False and "fillColor" in style
    return {
        "edgecolor": style.get("color", "#3388ff"),
        "linewidth": float(style.get("weight", 3)) * _PT_PER_PX,  # type: ignore[arg-type]
        "linestyle": _dashes(style),
        "facecolor": (
            matplotlib.colors.to_rgba(
                str(style["fillColor"]),
                float(style.get("fillOpacity", 0.2)),  # type: ignore[arg-type]
            )
            if filled
            else "none"
        ),
    }


def _plot_shapes(ax: object, shapes: gpd.GeoSeries, **kwargs: object) -> None:
    if len(shapes):
        gpd.GeoDataFrame(geometry=shapes).plot(ax=ax, **kwargs)


def _draw_context(ax: object, spec: LayerSpec, gdf: gpd.GeoDataFrame) -> None:
    kwargs = _path_kwargs(spec.style)
    geometry = gdf.geometry
    if spec.draw == "labels":
        ax.scatter(  # type: ignore[attr-defined]
            geometry.x, geometry.y, s=6, c="#ffffff", edgecolors="#333333", zorder=5
        )
        for point, name in zip(geometry, gdf["name"].astype(str), strict=True):
            ax.annotate(  # type: ignore[attr-defined]
                name,
                (point.x, point.y),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=6,
                color="#222222",
                zorder=5,
                annotation_clip=True,
            )
        return
    if geometry.geom_type.isin(("LineString", "MultiLineString")).all():
        kwargs = {k: v for k, v in kwargs.items() if k != "facecolor"}
        kwargs["color"] = kwargs.pop("edgecolor")
    _plot_shapes(ax, geometry, **kwargs)


def _draw_zones(ax: object, spec: LayerSpec, zones: gpd.GeoDataFrame) -> None:
    """One fill per group (its least precise class), then each zone's outline."""
    style = _path_kwargs(spec.style)
    order = list(PRECISION_CLASSES)
    groups = zones.get("group_id", zones.get("country", pd.Series("", zones.index)))
    for _, group in zones.groupby(groups.fillna("").astype(str), sort=True):
        klass = max(group["precision_class"], key=order.index)
        union = gpd.GeoSeries([shapely.union_all(group.geometry.values)], crs=zones.crs)
        coarse = klass in COARSE_AREAS
        _plot_shapes(
            ax,
            union,
            facecolor="none" if coarse else style["facecolor"],
            edgecolor=style["edgecolor"] if coarse else "none",
            hatch=HATCH if coarse else None,
            linewidth=0,
            gid=f"zone-fill-{klass}",
        )
    for klass, group in zones.groupby("precision_class", sort=True):
        _plot_shapes(
            ax,
            group.geometry,
            facecolor="none",
            edgecolor=style["edgecolor"],
            linewidth=style["linewidth"],
            linestyle=_dashes({"dashArray": "6 4"})
            if klass in COARSE_AREAS
            else "solid",
            gid=f"zone-outline-{klass}",
        )


def event_areas(events: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Each drawn event's area in WGS84: its own polygon, else its radius's disc."""
    events = events.to_crs(WGS84)
    areas = events.geometry.to_numpy().copy()
    points = ~events.geom_type.isin(("Polygon", "MultiPolygon")).to_numpy()
    if points.any():
        areas[points] = geodesic_discs(
            events["lon"].to_numpy(float)[points],
            events["lat"].to_numpy(float)[points],
            events["uncertainty_m"].to_numpy(float)[points],
        )
    return gpd.GeoSeries(areas, index=events.index, crs=WGS84)


def _draw_events(ax: object, events: gpd.GeoDataFrame, crs: object) -> None:
    drawn = events[~events["precision_class"].isin(NOT_DRAWN)]
    if drawn.empty:
        return
    areas = event_areas(drawn).to_crs(crs)
    colours = drawn["sub_event_type"].map(EVENT_COLOURS).fillna(DEFAULT_EVENT_COLOUR)
    area_only = drawn["precision_class"].isin(AREA_ONLY).to_numpy()
    for only, dash, opacity in ((True, "6 4", 0.10), (False, "4 4", 0.05)):
        pick = area_only == only
        if pick.any():
            _plot_shapes(
                ax,
                areas[pick],
                facecolor=[
                    matplotlib.colors.to_rgba(c, opacity) for c in colours[pick]
                ],
                edgecolor=list(colours[pick]),
                linewidth=(1.5 if only else 1.2) * _PT_PER_PX,
                linestyle=_dashes({"dashArray": dash}),
                gid="event-areas" if only else "event-rings",
            )
    known = drawn[~area_only]
    if len(known):
        sites = gpd.points_from_xy(known["lon"], known["lat"], crs=WGS84).to_crs(crs)
        ax.scatter(  # type: ignore[attr-defined]
            sites.x,
            sites.y,
            s=22,
            c=list(colours[~area_only]),
            edgecolors="#222222",
            linewidths=1.1,
            zorder=6,
            gid="event-sites",
        )


def _legend_handles(
    shown: Mapping[str, gpd.GeoDataFrame], drawn: Sequence[LayerSpec]
) -> list:
    """One row per kind of thing *drawn*: *shown* holds only what is in view."""
    handles: list = []
    for spec in drawn:
        if spec.name == "events":
            types = set(shown["events"]["sub_event_type"])
            handles += [
                Line2D([], [], marker="o", ls="", color=c, mec="#222222", label=t)
                for t, c in EVENT_COLOURS.items()
                if t in types
            ]
            handles.append(
                Patch(
                    fc="none",
                    ec="#525252",
                    ls=(0, (4, 3)),
                    label=_RING_LABEL,
                )
            )
        elif spec.draw == "zones":
            kwargs = _path_kwargs(spec.style)
            coarse = shown[spec.name]["precision_class"].isin(COARSE_AREAS)
            if not coarse.all():
                handles.append(
                    Patch(
                        fc=kwargs["facecolor"],
                        ec=kwargs["edgecolor"],
                        label="Strike zone, district level (P3): shaded",
                    )
                )
            if coarse.any():
                handles.append(
                    Patch(
                        fc="none",
                        ec=kwargs["edgecolor"],
                        hatch=HATCH,
                        ls=(0, (4, 3)),
                        label="Strike zone, region level (P4-P5): hatched, no pin",
                    )
                )
        elif spec.draw != "labels" and "fillColor" not in spec.style:
            kwargs = _path_kwargs(spec.style)
            handles.append(
                Line2D(
                    [],
                    [],
                    color=str(kwargs["edgecolor"]),
                    lw=kwargs["linewidth"],
                    ls=kwargs["linestyle"],
                    label=spec.title,
                )
            )
        elif spec.draw != "labels":
            kwargs = _path_kwargs(spec.style)
            handles.append(
                Patch(
                    fc=kwargs["facecolor"],
                    ec=kwargs["edgecolor"],
                    ls=kwargs["linestyle"],
                    label=spec.title,
                )
            )
    return handles


def _north_arrow(ax: object) -> None:
    ax.annotate(  # type: ignore[attr-defined]
        "N",
        xy=(0.96, 0.95),
        xytext=(0.96, 0.84),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        gid="north-arrow",
        arrowprops={"arrowstyle": "-|>", "color": "#111111", "lw": 1.5},
    )


def _extent(
    bounds: tuple[float, float, float, float],
) -> tuple[object, tuple[float, ...]]:
    south, west, north, east = bounds
    crs = aeqd_crs(round((west + east) / 2, 6), round((south + north) / 2, 6))
    frame = gpd.GeoSeries([shapely.box(west, south, east, north)], crs=WGS84)
    box = frame.to_crs(crs).total_bounds
    return crs, tuple(float(v) for v in box)


def draw_figure(
    shown: Mapping[str, gpd.GeoDataFrame],
    *,
    view: FigureView,
    size: tuple[float, float] = (8.0, 9.5),
) -> Figure:
    """The figure of the layers *shown* (as the page filtered them) in *view*."""
    with matplotlib.rc_context(_RC):
        return _draw(shown, view, size)


def _draw(
    shown: Mapping[str, gpd.GeoDataFrame], view: FigureView, size: tuple[float, float]
) -> Figure:
    crs, (x0, y0, x1, y1) = _extent(view.bounds)
    fig = Figure(figsize=size, dpi=150)
    ax = fig.add_axes((0.04, 0.31, 0.92, 0.62))
    ax.set_facecolor(SEA_COLOUR)
    drawn = [
        s
        for s in LAYERS
        if s.name in shown and s.name not in view.hidden and len(shown[s.name])
    ]
    frame = shapely.box(x0, y0, x1, y1)
    in_view: dict[str, gpd.GeoDataFrame] = {}
    for spec in drawn:
        gdf = shown[spec.name].to_crs(crs)
        if spec.name == "events":  # as drawn: areas and rings, not country-only
            gdf = gdf[~gdf["precision_class"].isin(NOT_DRAWN)]
            gdf = gdf.set_geometry(event_areas(gdf).to_crs(crs))
        in_view[spec.name] = gdf[gdf.intersects(frame)]
        if spec.name == "events":
            _draw_events(ax, shown[spec.name], crs)
        elif spec.draw == "zones":
            _draw_zones(ax, spec, gdf)
        else:
            _draw_context(ax, spec, gdf)
    # The legend names only what lies in the figure: the regional context
    # layers of another part of the world are drawn nowhere in it.
    drawn = [s for s in drawn if len(in_view[s.name])]
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, lw=0.8))
    ax.add_artist(
        ScaleBar(1, "m", location="lower left", box_alpha=0.8, scale_loc="top")
    )
    _north_arrow(ax)
    fig.suptitle(view.title, x=0.03, y=0.97, ha="left", fontsize=13, fontweight="bold")
    handles = _legend_handles(in_view, [s for s in reversed(drawn)])
    if handles:
        fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.03, 0.305),
            fontsize=6.5,
            ncol=2,
            frameon=False,
            title="Legend",
            title_fontsize=7.5,
            alignment="left",
        )
    credit = " ".join(
        filter(
            None,
            (
                f"Data: {view.sources}." if view.sources else "",
                DATA_ATTRIBUTION,
                BASEMAP_NOTE,
            ),
        )
    )
    lines = [
        part for line in (*view.caption, credit) for part in textwrap.wrap(line, 150)
    ]
    fig.text(
        0.04,
        0.012,
        "\n".join(lines),
        fontsize=6.5,
        va="bottom",
        ha="left",
        color="#222222",
        gid="caption",
    )
    return fig


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """*fig* as *fmt* (png, svg or pdf) bytes, the same for the same figure."""
    if fmt not in FORMATS:
        raise ValueError(
            f"figure format must be one of {', '.join(FORMATS)}, got {fmt!r}"
        )
    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format=fmt, metadata=dict(_METADATA[fmt]))
    return buffer.getvalue()


def layer_titles(names: Iterable[str]) -> list[str]:
    """The titles of the layer *names* (for captions)."""
    titles = {s.name: s.title for s in LAYERS}
    return [titles.get(n, n) for n in names]


__all__ = [
    "FORMATS",
    "FigureView",
    "draw_figure",
    "event_areas",
    "figure_bytes",
    "layer_titles",
]
