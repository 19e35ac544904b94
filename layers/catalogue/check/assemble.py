"""The joins: typed events with their sources and claims, one pass each."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.crs import WGS84
from layers.catalogue.check import cells
from layers.catalogue.check.cells import Table
from layers.catalogue.check.events import Parsed
from layers.catalogue.model import Catalogue


def _lists(owner: np.ndarray, items: np.ndarray, count: int) -> list[list[object]]:
    """Group *items* into one list per owner position (in the items' order)."""
    order = np.argsort(owner, kind="stable")
    ends = np.cumsum(np.bincount(owner, minlength=count))
    starts = ends - np.bincount(owner, minlength=count)
    ordered = items[order].tolist()
    return [ordered[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while millions of lists and dicts are made.

    They hold no cycles, but each batch of new containers would start a
    collection that walks all of them again (more than half of the joins'
    time at a million events). The collector's state is restored after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def assemble(
    event_table: Table,
    claim_table: Table,
    source_table: Table,
    parsed: Parsed,
    figures: Mapping[str, np.ndarray],
    path: str,
) -> Catalogue:
    """Build the typed catalogue: events with their sources and claims as dicts."""
    with _no_cycle_collection():
        return _assemble(event_table, claim_table, source_table, parsed, figures, path)


def _assemble(
    event_table: Table,
    claim_table: Table,
    source_table: Table,
    parsed: Parsed,
    figures: Mapping[str, np.ndarray],
    path: str,
) -> Catalogue:
    sources = source_table.frame.copy()
    claims = _typed_claims(claim_table, figures)
    frame = _typed_events(event_table, parsed)
    count = len(frame)
    # Sources: one dict per source, shared by every event that cites it.
    source_dicts = _dicts(
        {
            "id": sources["source_id"].tolist(),
            **{c: _shared(sources[c]) for c in source_table.columns[1:]},
        }
    )
    cited_by, cited = cells.split_items(frame["source_ids"], ";")
    index = _index_in(cited, sources["source_id"])
    frame["sources"] = _lists(cited_by, source_dicts[index], count)

    frame["claims"] = _claim_lists(frame, claims, figures)
    events = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=WGS84
    )
    return Catalogue(events=events, claims=claims, sources=sources, path=path)


def _typed_claims(
    claim_table: Table, figures: Mapping[str, np.ndarray]
) -> pd.DataFrame:
    """The claims with their figures as nullable integers."""
    claims = claim_table.frame.copy()
    for column, values in figures.items():
        claims[column] = pd.array(
            np.where(np.isnan(values), 0, values).astype(np.int64), dtype="Int64"
        )
        claims.loc[np.isnan(values), column] = pd.NA
    claims["source_ids"] = cells.join_items(claims["source_ids"], ";", "; ")
    return claims


def _typed_events(event_table: Table, parsed: Parsed) -> pd.DataFrame:
    """The events with dates, codes, positions and radii typed."""
    frame = event_table.frame.copy()
    frame["date_start"] = pd.to_datetime(parsed.start)
    frame["date_end"] = pd.to_datetime(parsed.end)
    frame["time_precision"] = parsed.time_precision.astype(np.int64)
    frame["lat"], frame["lon"] = parsed.lat, parsed.lon
    for column in ("geo_precision", "where_prec"):
        values = getattr(parsed, column)
        typed = pd.array(np.where(np.isnan(values), 0, values).astype(np.int64))
        frame[column] = pd.array(typed, dtype="Int64")
        frame.loc[np.isnan(values), column] = pd.NA
    frame["uncertainty_m"] = parsed.radius
    frame["source_ids"] = cells.join_items(frame["source_ids"], ";", "; ")
    return frame


def _claim_lists(
    frame: pd.DataFrame, claims: pd.DataFrame, figures: Mapping[str, np.ndarray]
) -> list[list[object]]:
    """For each event, the dicts of the claims that apply to it."""
    count = len(frame)
    # Claims: each applies to an event or to every event of a group.
    direct = _index_in(claims["applies_to"], frame["event_id"])
    scope = np.where(
        direct >= 0, "this event", "all events of " + claims["applies_to"].to_numpy()
    )
    claim_dicts = _dicts(
        {
            "claimant": _shared(claims["claimant"]),
            "scope": _shared(pd.Series(scope, dtype="str")),
            **{c: _optional_ints(figures[c]) for c in figures},
            "detail": _shared(claims["detail"]),
            "source_ids": _shared(claims["source_ids"]),
        }
    )
    in_group = (frame["group_id"] != "").to_numpy()
    members = pd.DataFrame(
        {
            "event": np.flatnonzero(in_group),
            "group_id": frame["group_id"][in_group].reset_index(drop=True),
        }
    )
    by_group = pd.DataFrame(
        {"claim": np.arange(len(claims)), "group_id": claims["applies_to"]}
    ).merge(members, on="group_id")
    links = pd.concat(
        [
            pd.DataFrame(
                {"event": direct[direct >= 0], "claim": np.flatnonzero(direct >= 0)}
            ),
            by_group[["event", "claim"]],
        ]
    ).drop_duplicates()
    links = links.sort_values(["event", "claim"], kind="stable")
    return _lists(
        links["event"].to_numpy(), claim_dicts[links["claim"].to_numpy()], count
    )


def _shared(cells_: pd.Series) -> list[str]:
    """The cells as Python strings, one object per distinct value (less memory)."""
    codes, uniques = pd.factorize(cells_)
    return np.asarray(uniques, dtype=object)[codes].tolist()


def _index_in(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """The position in *keys* of each value (first match), -1 where absent."""
    found = pc.index_in(
        pa.array(values, type=pa.large_string()),
        value_set=pa.array(keys, type=pa.large_string()),
    )
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _optional_ints(values: np.ndarray) -> list[int | None]:
    """Whole numbers as Python ints, NaN as None."""
    out = np.asarray(np.where(np.isnan(values), 0, values).astype(np.int64), object)
    out[np.isnan(values)] = None
    return out.tolist()


def _dicts(columns: Mapping[str, Sequence[object]]) -> np.ndarray:
    """One dict per row of *columns* (equal-length lists), as an object array."""
    keys = tuple(columns)
    rows = zip(*columns.values(), strict=True)
    count = len(next(iter(columns.values()))) if columns else 0
    out = np.empty(count, dtype=object)
    out[:] = [dict(zip(keys, row, strict=True)) for row in rows]
    return out
