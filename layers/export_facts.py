"""The facts of an export, gathered from what made it (catalogue, widths, view)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd

from layers.catalogue import Catalogue
from layers.export import layer_counts
from layers.manifest import PACKAGE_FILES, catalogue_facts, export_facts
from layers.params import LayerParams


def widths(params: LayerParams) -> dict[str, float]:
    """The half-widths (km) the layers were built with."""
    return {
        "valley_half_width_km": float(params.valley_half_width_km),
        "corridor_half_width_km": float(params.corridor_half_width_km),
    }


def command_facts(
    catalogue: Catalogue,
    layers: Mapping[str, gpd.GeoDataFrame],
    params: LayerParams,
    *,
    fmt: str,
    catalogue_version: str | None = None,
) -> dict[str, Any]:
    """The facts of ``python -m layers export`` (the whole catalogue, no filter).

    Parameters
    ----------
    catalogue
        The catalogue read.
    layers
        The layers asked for (empty ones included: they are named, with 0).
    params
        The widths.
    fmt
        The export format.
    catalogue_version
        The team catalogue's version, when the catalogue comes from it.
    """
    return export_facts(
        catalogue=catalogue_facts(catalogue, catalogue_version=catalogue_version),
        settings={
            "format": fmt,
            "layers": list(layers),
            "widths_km": widths(params),
            "filters": None,
        },
        layers=layer_counts(layers),
    )


def stray_files(folder: Path, written: Iterable[Path]) -> list[str]:
    """Lines naming files in *folder* this export did not write (verify fails)."""
    mine = {path.name for path in written} | set(PACKAGE_FILES)
    others = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name not in mine
    )
    if not others:
        return []
    more = f" and {len(others) - 5} more" if len(others) > 5 else ""
    shown = ", ".join(others[:5]) + more
    return [
        f"note: {folder} also holds {len(others)} file(s) not in this export "
        f"({shown}); 'verify' will name them as extra: export into an empty folder"
    ]
