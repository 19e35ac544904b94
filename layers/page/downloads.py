"""What the dashboard offers to download, each made by a pure function on demand."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.geojson import GEOJSON_MEDIA_TYPE
from geo.safe import csv_cell, script_json
from layers.catalogue import Catalogue
from layers.catalogue.model import EVENT_COLUMNS
from layers.export import layer_counts, layer_geojson, layers_zip
from layers.export_facts import widths
from layers.manifest import catalogue_facts, export_facts, utc_now
from layers.map.assets import inline_leaflet
from layers.map.build import map_html
from layers.page.view import ViewState
from layers.params import LayerParams

#: Layers whose shape depends on the widths, and which width.
WIDTH_DEPENDENT = {
    "euphrates_valley": ("W",),
    "border_corridor": ("D",),
    "strike_zones": ("W", "D"),
    "strike_areas": ("W", "D"),
}
#: The filtered-events CSV uses the catalogue's own columns, so it opens as
#: (part of) a catalogue again.
CSV_COLUMNS = EVENT_COLUMNS


@dataclass(frozen=True)
class Download:
    """One download button: its label, file name, media type and content maker."""

    label: str
    file_name: str
    mime: str
    make: Callable[[], str | bytes]

    def button(self) -> dict[str, object]:
        """Keyword arguments for a download button (made on click, no rerun)."""
        return {
            "label": self.label,
            "data": self.make,
            "file_name": self.file_name,
            "mime": self.mime,
            "key": f"download-{self.file_name}",
            "on_click": "ignore",
        }


def width_tag(name: str, params: LayerParams) -> str:
    """The part of a file name that records the widths *name* was built with."""
    tags = []
    for key in WIDTH_DEPENDENT.get(name, ()):
        km = (
            params.valley_half_width_km if key == "W" else params.corridor_half_width_km
        )
        tags.append(f"{key}{km:g}km")
    return "_" + "_".join(tags) if tags else ""


def safe_csv(frame: pd.DataFrame) -> str:
    """*frame* as CSV in which no text cell can run as a spreadsheet formula.

    Every cell of a text column goes through :func:`geo.safe.csv_cell`
    (OWASP: a leading ``=``, ``+``, ``-``, ``@``, tab or line break gets an
    apostrophe); numeric columns are written as they are, so a negative
    number stays a number.
    """
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].astype(object).map(csv_cell)
    return out.to_csv(index=False, lineterminator="\n")


def _items(lists: pd.Series) -> pd.DataFrame:
    """One row per dict in the *lists* (per event), indexed by event position."""
    flat = lists.reset_index(drop=True).explode().dropna()
    return pd.DataFrame(flat.tolist(), index=flat.index)


def _span(low: pd.Series, high: pd.Series) -> pd.Series:
    """Figures as stated: ``25``, ``24–30``, ``at least 18``, ``up to 5``."""
    lo_n = pd.to_numeric(low, errors="coerce").astype("Int64")
    hi_n = pd.to_numeric(high, errors="coerce").astype("Int64")
    lo = lo_n.astype("string").fillna("").to_numpy(dtype=object)
    hi = hi_n.astype("string").fillna("").to_numpy(dtype=object)
    has_lo, has_hi = lo != "", hi != ""
    words = np.select(
        [has_lo & has_hi & (lo == hi), has_lo & has_hi, has_lo, has_hi],
        [lo, lo + "–" + hi, "at least " + lo, "up to " + hi],
        default="not stated",
    )
    return pd.Series(words, index=low.index, dtype=object)


def _joined(text: pd.Series, count: int) -> pd.Series:
    joined = text.groupby(level=0).agg(" | ".join)
    return joined.reindex(range(count), fill_value="")


def claims_text(events: gpd.GeoDataFrame) -> pd.Series:
    """Each event's claims in words, by claimant, never summed (`` | `` apart)."""
    claims = _items(events["claims"])
    if claims.empty:
        return pd.Series([""] * len(events), dtype=object)
    text = (
        claims["claimant"].astype(str)
        + ": killed "
        + _span(claims["killed_low"], claims["killed_high"])
        + ", wounded "
        + _span(claims["wounded_low"], claims["wounded_high"])
        + " (sources "
        + claims["source_ids"].astype(str)
        + ")"
    )
    return _joined(text, len(events))


def source_links(events: gpd.GeoDataFrame) -> pd.DataFrame:
    """Each event's sources as ``id: URL`` and their archived copies (`` | ``)."""
    sources = _items(events["sources"])
    empty = pd.Series([""] * len(events), dtype=object)
    if sources.empty:
        return pd.DataFrame({"source_urls": empty, "source_archives": empty})
    ids = sources["id"].astype(str)
    urls = ids + ": " + sources["url"].fillna("").astype(str)
    archive = sources.get("archive_url", pd.Series("", index=sources.index))
    captured = sources.get("archive_captured", pd.Series("", index=sources.index))
    has = archive.fillna("").astype(str) != ""
    archives = ids + ": " + archive.astype(str) + " (captured " + captured.astype(str)
    archives = (archives + ")")[has]
    return pd.DataFrame(
        {
            "source_urls": _joined(urls, len(events)),
            "source_archives": _joined(archives, len(events)),
        }
    )


def events_csv(events: gpd.GeoDataFrame) -> str:
    """The events as CSV: the catalogue's columns (ISO dates), then the evidence.

    After the catalogue's own columns come ``claims`` (each claim by its
    claimant, figures as stated, never summed), ``source_urls`` and
    ``source_archives`` (each source's id with its URL, and its archived copy
    with the capture time where one is recorded). The reader of catalogues
    ignores them, so the file still opens as (part of) a catalogue.
    """
    frame = pd.DataFrame(events[list(CSV_COLUMNS)]).copy().reset_index(drop=True)
    for column in ("date_start", "date_end"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    frame["claims"] = claims_text(events).to_numpy()
    links = source_links(events)
    frame["source_urls"] = links["source_urls"].to_numpy()
    frame["source_archives"] = links["source_archives"].to_numpy()
    return safe_csv(frame)


def view_filters(state: ViewState) -> dict[str, Any]:
    """The filters of the page's view, as an export's settings record them."""
    return {
        "date_start": state.date_start.isoformat(),
        "date_end": state.date_end.isoformat(),
        "event_types": list(state.event_types),
        "countries": list(state.countries),
        "precision_classes": list(state.precision_classes),
        "confidences": list(state.confidences),
        "hidden_layers": list(state.hidden),
    }


def standalone_html(page: str, facts: Mapping[str, Any]) -> str:
    """*page* with its facts as ``<script type="application/json" id="manifest">``.

    The JSON goes through :func:`geo.safe.script_json`, so no text from the
    catalogue can close the script or start markup.
    """
    tag = (
        '<script type="application/json" id="manifest">'
        + script_json({"strikemap": facts})
        + "</script>\n"
    )
    head = page.find("</head>")
    return page[:head] + tag + page[head:] if head >= 0 else tag + page


@dataclass(frozen=True)
class Provenance:
    """What the page's downloads say made them: catalogue, widths and filters."""

    catalogue: Catalogue | None = None
    state: ViewState | None = None
    catalogue_version: str | None = None


def _facts_maker(
    layers: Mapping[str, gpd.GeoDataFrame], params: LayerParams, about: Provenance
) -> Callable[[str], dict[str, Any]]:
    @cache
    def catalogue() -> dict[str, Any] | None:  # hashed once, on the first click
        return catalogue_facts(
            about.catalogue, catalogue_version=about.catalogue_version
        )

    def facts(fmt: str) -> dict[str, Any]:
        return export_facts(
            catalogue=catalogue(),
            settings={
                "format": fmt,
                "layers": list(layers),
                "widths_km": widths(params),
                "filters": view_filters(about.state) if about.state else None,
            },
            layers=layer_counts(layers),
        )

    return facts


def downloads(
    layers: Mapping[str, gpd.GeoDataFrame],
    params: LayerParams | None = None,
    make_map: Callable[[], folium.Map] | None = None,
    *,
    about: Provenance | None = None,
) -> list[Download]:
    """Every download the dashboard offers, following the current view.

    Parameters
    ----------
    layers
        The (filtered) layers shown on the map.
    params
        The widths they were built with (named in the file names; default:
        those of ``about.state``).
    make_map
        Builds the current map, for the standalone HTML file (None: no such
        download).
    about
        The catalogue and view, recorded in every download's facts.
    """
    about = about or Provenance()
    if params is None:
        params = about.state.layer_params() if about.state else LayerParams()
    shown = {name: gdf for name, gdf in layers.items() if len(gdf)}
    facts = _facts_maker(shown, params, about)

    def single(fmt: str) -> dict[str, Any]:
        return {**facts(fmt), "exported_at": utc_now()}

    def geojson(name: str, gdf: gpd.GeoDataFrame) -> str:
        return layer_geojson(name, gdf, facts=single("geojson"))

    items = [
        Download(
            label=f"{name}.geojson",
            file_name=f"{name}{width_tag(name, params)}.geojson",
            mime=GEOJSON_MEDIA_TYPE,
            make=partial(geojson, name, gdf),
        )
        for name, gdf in shown.items()
    ]
    tag = f"_W{params.valley_half_width_km:g}km_D{params.corridor_half_width_km:g}km"
    items.append(
        Download(
            label="All layers (zip)",
            file_name=f"strike-map-layers{tag}.zip",
            mime="application/zip",
            make=lambda: layers_zip(shown, facts=facts("zip (GeoJSON and KML)")),
        )
    )
    if "events" in layers:
        events = layers["events"]
        items.append(
            Download(
                label="Filtered events (CSV)",
                file_name="events_filtered.csv",
                mime="text/csv",
                make=lambda: events_csv(events),
            )
        )
    if make_map is None:
        return items
    items.append(
        Download(
            label="This map (standalone HTML, works offline)",
            file_name=f"strike-map{tag}.html",
            mime="text/html",
            make=lambda: standalone_html(
                inline_leaflet(map_html(make_map())), single("html")
            ),
        )
    )
    return items
