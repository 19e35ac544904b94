"""The page's edit forms as pure logic: widgets, values to rows, errors to fields.

The location form is the product's core idea: a place is never typed as a
pin. The editor names an anchor (a town from the reference places, or a known
point) and what the sources say about it (within a distance, inside an admin
area, in the river valley); the anchor, the radius, the precision class and
the ``constraints`` cell follow from those answers, and the zone they make is
drawn with the same code as the reader's strike zones before anything is
saved. Every error is keyed by the form field it belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WGS84
from geo.errors import StrikeMapError
from geo.shapes import geodesic_area_km2, intersect_constraints
from layers.catalogue.check.constraints import parse_constraints
from layers.catalogue.check.rules import validate_tables
from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.model import ACLED_TYPES, PRECISION_CLASSES, TABLE_COLUMNS
from layers.catalogue.reference import Reference
from layers.constraints import constraint_areas
from layers.params import LayerInputs
from layers.strike_zones import ZONE_COLUMNS

#: Every widget key of the forms starts with this (a viewer session has none).
PREFIX = "edit_"
#: The anchor kinds of the location form.
TOWN, POINT = "A named town", "A known point"
#: The id the previewed zone is drawn with.
PREVIEW_ID = "zone-before-saving"
#: A town is a point in the reference: its built-up area is allowed for.
TOWN_RADIUS_M = 5_000.0
#: A known point is a site: the smallest radius a site is drawn with.
POINT_RADIUS_M = 100.0
CONFIDENCE = ("confirmed", "fair", "weak", "contested", "discounted")
ACTIONS = (
    "Add an event",
    "Edit or retire this event",
    "Add a claim",
    "Add a source",
    "Restore a version",
)
SUB_TYPES = ["", *(s for subs in ACLED_TYPES.values() for s in subs)]
#: Which form field an error about a catalogue column is shown at.
COLUMN_FIELDS = {
    "lat": "town",
    "lon": "town",
    "location": "town",
    "country": "admin1",
    "admin1": "admin1",
    "constraints": "valley",
    "uncertainty_m": "distance_km",
    "precision_class": "distance_km",
    "source_ids": "sources",
    "editor": "reason",
}


#: The constraint kinds the location form asks about; others are kept as they are.
FORM_CONSTRAINTS = ("country", "admin1", "valley")


def key(name: str) -> str:
    """The session key of form field *name*."""
    return PREFIX + name


@dataclass(frozen=True)
class Placed:
    """What the location form makes: the event's cells and its zone."""

    cells: dict[str, str]
    zone: gpd.GeoDataFrame
    errors: dict[str, str] = field(default_factory=dict)


def place_labels(places: gpd.GeoDataFrame) -> dict[str, str]:
    """Town picker options: the place's row label to "name (other names)"."""
    names = places["name"].astype(str)
    others = places["alternate_names"].fillna("").astype(str).str.slice(0, 80)
    labels = np.where(others != "", names + " (" + others + ")", names)
    return dict(zip(places.index.astype(str), labels, strict=True))


def precision_for(radius_m: float, *, point: bool) -> str:
    """The least precise class a radius still fits, never finer than the anchor.

    A known point within 100 m is a site (P1); a town is at best P2 (a named
    town) and a zone reaching further out is P3 (near a place), P4, P5.
    """
    order = ("P1", "P2", "P3", "P4", "P5")
    start = 0 if point else 1
    for code in order[start:]:
        if radius_m <= PRECISION_CLASSES[code].max_radius_m:
            return code
    return "P6"


def _country_at(reference: Reference, lon: float, lat: float) -> str:
    countries = reference.countries.to_crs(WGS84)
    inside = countries[countries.contains(shapely.Point(lon, lat))]
    return str(inside["iso_a3"].iloc[0]) if len(inside) else ""


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _anchor(
    values: Mapping[str, Any], reference: Reference, errors: dict[str, str]
) -> tuple[float, float, str, float] | None:
    """(lon, lat, location name, smallest radius) of the anchor, or None."""
    if values.get("anchor", TOWN) == POINT:
        lat, lon = _number(values.get("lat")), _number(values.get("lon"))
        if lat is None or not -90 <= lat <= 90:
            errors["lat"] = "a latitude between -90 and 90 is needed"
        if lon is None or not -180 <= lon <= 180:
            errors["lon"] = "a longitude between -180 and 180 is needed"
        if lat is None or lon is None or errors:
            return None
        name = str(values.get("point_name") or "").strip()
        return lon, lat, name or f"{lat}, {lon}", POINT_RADIUS_M
    town = values.get("town")
    if town is None or str(town) not in set(reference.places.index.astype(str)):
        errors["town"] = "pick a town from the list (type to find it)"
        return None
    place = reference.places.loc[reference.places.index.astype(str) == str(town)]
    point = place.geometry.iloc[0]
    return point.x, point.y, str(place["name"].iloc[0]), TOWN_RADIUS_M


def location_cells(values: Mapping[str, Any], reference: Reference) -> Placed:
    """The event cells the location answers make (anchor, radius, class, constraints).

    Parameters
    ----------
    values
        ``anchor`` (``TOWN`` or ``POINT``), ``town`` (a row label of the
        reference places) or ``lat``/``lon``/``point_name``, ``distance_km``,
        ``admin1`` (a reference governorate or ""), ``valley`` (bool).
    reference
        The reference geodata the reader uses.

    Returns
    -------
    The cells, an empty zone, and errors by field (the zone is made by
    :func:`preview_zone`).
    """
    errors: dict[str, str] = {}
    distance = float(values.get("distance_km") or 0.0)
    if not 0 <= distance <= 600:
        errors["distance_km"] = "a distance from 0 to 600 km is needed"
    anchor = _anchor(values, reference, errors)
    admin1 = str(values.get("admin1") or "")
    areas = reference.admin1
    if admin1 and admin1 not in set(areas["name"]):
        errors["admin1"] = f"'{admin1}' is not a governorate of the reference"
    empty = gpd.GeoDataFrame(geometry=[], crs=WGS84)
    if anchor is None or errors:
        return Placed({}, empty, errors)
    lon, lat, name, smallest = anchor
    radius = max(distance * 1000.0, smallest)
    country = _country_at(reference, lon, lat)
    code = precision_for(radius, point=values.get("anchor") == POINT)
    if admin1:
        country = str(areas.loc[areas["name"] == admin1, "iso_a3"].iloc[0])
    parts = [f"country:{country}"] if country else []
    parts += [f"admin1:{admin1}"] if admin1 else []
    parts += ["valley"] if values.get("valley") else []
    # Constraints the form does not ask about (corridor, near:) stay as they were.
    parts += [str(values["kept_constraints"])] if values.get("kept_constraints") else []
    cells = {
        "lat": f"{lat:.5f}",
        "lon": f"{lon:.5f}",
        "location": name,
        "country": country,
        "admin1": admin1,
        "uncertainty_m": f"{radius:g}",
        "precision_class": code,
        "geo_precision": "; ".join(map(str, PRECISION_CLASSES[code].acled[:1])),
        "where_prec": "; ".join(map(str, PRECISION_CLASSES[code].ucdp[:1])),
        "constraints": "; ".join(parts),
    }
    return Placed(cells, empty, errors)


def preview_zone(
    placed: Placed, inputs: LayerInputs, deps: Mapping[str, gpd.GeoDataFrame]
) -> Placed:
    """*placed* with its zone: the reader's disc cut by the reader's constraints.

    Constraints that do not overlap become an error at the valley field.
    """
    if placed.errors or not placed.cells:
        return placed
    try:
        zone = intersect_constraints(
            constraint_areas(placed.cells, inputs, deps), subject="the new location"
        )
    except (StrikeMapError, ValueError) as exc:
        return Placed(placed.cells, placed.zone, {"valley": str(exc)})
    row: dict[str, Any] = {column: "" for column in ZONE_COLUMNS}
    row.update(placed.cells)
    meaning = PRECISION_CLASSES[placed.cells["precision_class"]].meaning
    row.update(
        event_id=PREVIEW_ID,
        title="The zone before saving",
        precision=f"{placed.cells['precision_class']}: {meaning}",
        derivation=zone.derivation,
        area_km2=round(geodesic_area_km2(zone.geometry), 1),
    )
    columns = [*ZONE_COLUMNS, "derivation", "area_km2"]
    frame = gpd.GeoDataFrame(
        [row], columns=columns, geometry=[zone.geometry], crs=WGS84
    )
    return Placed(placed.cells, frame, {})


def zone_summary(placed: Placed) -> str:
    """One line on the previewed zone: class, radius, area and derivation."""
    if placed.zone.empty:
        return ""
    row = placed.zone.iloc[0]
    label = PRECISION_CLASSES[row["precision_class"]].meaning
    radius = float(row["uncertainty_m"]) / 1000
    return (
        f"Zone: {row['precision_class']} ({label}), radius {radius:g} km, "
        f"{row['area_km2']:g} km²: {row['derivation']}"
    )


# --- widgets ------------------------------------------------------------------

Widget = tuple[str, dict[str, Any]]


def with_errors(specs: list[Widget], errors: Mapping[str, str]) -> list[Widget]:
    """*specs* with each field's error (from *errors*, by field name) after it.

    An error about no field of the form (a cell the form does not ask for)
    is shown above the form, naming its column.
    """
    out: list[Widget] = []
    named = set()
    for element, kwargs in specs:
        out.append((element, kwargs))
        name = str(kwargs.get("key", ""))[len(PREFIX) :]
        named.add(name)
        if name in errors:
            label = kwargs.get("label", name)
            out.append(("error", {"body": f"{label}: {errors[name]}"}))
    rest = [f"{k}: {v}" for k, v in errors.items() if k not in named and k != "_form"]
    if rest:
        out.insert(0, ("error", {"body": "; ".join(rest)}))
    return out


def widget(element: str, name: str, label: str, **kwargs: Any) -> Widget:
    """One widget: its ``st`` element and keyword arguments, keyed ``edit_<name>``."""
    return element, {"label": label, "key": key(name), **kwargs}


def location_widgets(
    places: Mapping[str, str], admin1: list[str], anchor: str
) -> list[Widget]:
    """The location questions: anchor, distance, admin area, valley."""
    specs = [
        widget("radio", "anchor", "Where the sources put it", options=[TOWN, POINT])
    ]
    if anchor == POINT:
        specs += [
            widget("number_input", "lat", "Latitude", min_value=-90.0, max_value=90.0),
            widget(
                "number_input", "lon", "Longitude", min_value=-180.0, max_value=180.0
            ),
            widget("text_input", "point_name", "Name of the point (optional)"),
        ]
    else:
        specs.append(
            widget(
                "selectbox",
                "town",
                "Town (type to find)",
                options=list(places),
                format_func=places.get,
                index=None,
                placeholder="Type a town's name in any spelling",
            )
        )
    specs += [
        widget("number_input", "distance_km", "Within (km)", min_value=0.0, step=1.0),
        widget("selectbox", "admin1", "In the admin area", options=["", *admin1]),
        widget("checkbox", "valley", "In the Euphrates River Valley"),
    ]
    return specs


def event_widgets(action: str, sources: list[str]) -> list[Widget]:
    """The event's own fields (an id only when adding)."""
    specs = []
    if action == ACTIONS[0]:
        specs += [
            widget("text_input", "event_id", "Event id"),
            widget("text_input", "group_id", "Group id (optional)"),
        ]
    specs += [
        widget("text_input", "title", "Title"),
        widget("date_input", "date_start", "First possible date", value=None),
        widget("date_input", "date_end", "Last possible date (optional)", value=None),
        widget(
            "selectbox", "event_type", "Event type", options=list(ACLED_TYPES), index=1
        ),
        widget("selectbox", "sub_event_type", "Sub-event type", options=SUB_TYPES),
        widget("selectbox", "time_precision", "Date precision", options=[1, 2, 3]),
        widget("selectbox", "confidence", "Confidence", options=list(CONFIDENCE)),
        widget("text_input", "attacker", "Attacker"),
        widget("text_input", "target", "Target"),
        widget("text_area", "description", "What the sources say"),
    ]
    if action == ACTIONS[1]:
        specs.append(widget("checkbox", "retire", "Retire this event (never deleted)"))
    return specs


def claim_widgets() -> list[Widget]:
    """A casualty claim about the event."""
    numbers = [
        widget("number_input", n, n.replace("_", " ").capitalize(), value=None, step=1)
        for n in ("killed_low", "killed_high", "wounded_low", "wounded_high")
    ]
    return [
        widget("text_input", "claimant", "Claimant"),
        *numbers,
        widget("text_input", "detail", "Detail"),
    ]


def source_widgets() -> list[Widget]:
    """A new source."""
    return [
        widget("text_input", "source_id", "Source id"),
        widget("text_input", "source_title", "Title"),
        widget("text_input", "outlet", "Outlet"),
        widget("text_input", "published", "Published (YYYY, YYYY-MM or YYYY-MM-DD)"),
        widget("text_input", "url", "Link (http or https)"),
    ]


def why_widgets(sources: list[str], *, with_sources: bool = True) -> list[Widget]:
    """Every edit's reason and the sources it rests on."""
    specs = [
        widget("text_area", "reason", "Reason for this edit (kept in the history)")
    ]
    if with_sources:
        specs.append(
            widget("multiselect", "sources", "Sources of this edit", options=sources)
        )
    return specs


def form_values(state: Mapping[str, Any]) -> dict[str, Any]:
    """The form fields' values, by field name, from the session state."""
    return {k[len(PREFIX) :]: v for k, v in state.items() if str(k).startswith(PREFIX)}


# --- rows ---------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def event_row(values: Mapping[str, Any], placed: Placed) -> dict[str, str]:
    """The ``events.csv`` cells of the form: its fields and the location's cells."""
    row = {c: _text(values.get(c)) for c in TABLE_COLUMNS["events"]}
    row.update(placed.cells)
    row["source_ids"] = "; ".join(values.get("sources") or [])
    return row


def claim_row(values: Mapping[str, Any], event_id: str) -> dict[str, str]:
    """The ``claims.csv`` cells of the claim form, about *event_id*."""
    row = {c: _text(values.get(c)) for c in TABLE_COLUMNS["claims"] if c != "claim_id"}
    row["applies_to"] = event_id
    row["source_ids"] = "; ".join(values.get("sources") or [])
    return row


def source_row(values: Mapping[str, Any]) -> dict[str, str]:
    """The ``sources.csv`` cells of the source form."""
    row = {c: _text(values.get(c)) for c in TABLE_COLUMNS["sources"]}
    row["title"] = _text(values.get("source_title"))
    return row


def field_errors(exc: CatalogueError) -> dict[str, str]:
    """A reader's error (or errors) keyed by the form field to show each at."""
    out: dict[str, str] = {}
    for one in exc.errors if isinstance(exc, CatalogueErrors) else (exc,):
        column = one.column or "_form"
        name = COLUMN_FIELDS.get(column, column)
        out[name] = f"{out[name]}; {one.problem}" if name in out else one.problem
    return out


def check_event(row: Mapping[str, str], sources: pd.DataFrame) -> dict[str, str]:
    """The reader's rules over one new or changed event: errors by field."""
    events = pd.DataFrame([row], columns=list(TABLE_COLUMNS["events"])).fillna("")
    claims = pd.DataFrame(columns=list(TABLE_COLUMNS["claims"]))
    names = {"events": "event", "claims": "claim", "sources": "sources"}
    try:
        validate_tables(events, claims, sources, names=names, native=True)
    except CatalogueError as exc:
        return field_errors(exc)
    return {}


def form_from_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """Widget values that load an event into the edit form (anchor: its point)."""
    pairs = parse_constraints(str(event["constraints"]))
    kinds = dict(pairs)
    kept = [f"{k}:{v}" if v else k for k, v in pairs if k not in FORM_CONSTRAINTS]
    values: dict[str, Any] = {
        c: event[c]
        for c in (
            "title",
            "attacker",
            "target",
            "description",
            "confidence",
            "event_type",
            "sub_event_type",
        )
    }
    values.update(
        date_start=pd.Timestamp(event["date_start"]).date(),
        date_end=pd.Timestamp(event["date_end"]).date(),
        time_precision=int(event["time_precision"]),
        anchor=POINT,
        lat=float(event["lat"]),
        lon=float(event["lon"]),
        point_name=str(event["location"]),
        distance_km=float(event["uncertainty_m"]) / 1000.0,
        admin1=kinds.get("admin1", ""),
        valley="valley" in kinds,
        kept_constraints="; ".join(kept),
        retire=False,
    )
    return {key(k): v for k, v in values.items()}
