"""How the map looks: views, basemaps, colours, hatching, words for the codes."""

from __future__ import annotations

from types import MappingProxyType

import xyzservices.providers as xyz

#: Bounds ((south, west), (north, east)) of the three views the map can jump to.
VIEWS = MappingProxyType(
    {
        "Strike area": ((33.9, 40.3), (34.95, 41.75)),
        "Iraq": ((29.0, 38.7), (37.4, 48.6)),
        "Region": ((23.5, 38.0), (37.5, 60.0)),
    }
)

#: Tile basemaps (xyzservices providers); "None" draws only the vector layers.
TILE_PROVIDERS = MappingProxyType(
    {
        "OpenStreetMap": xyz.OpenStreetMap.Mapnik,
        "Light": xyz.Esri.WorldGrayCanvas,
        "Satellite": xyz.Esri.WorldImagery,
    }
)

SEA_COLOUR = "#dce8f0"
#: The page background of Streamlit's light and dark themes.
THEME_BACKGROUNDS = MappingProxyType({"light": "#ffffff", "dark": "#0e1117"})

#: Colour of each ACLED sub-event type on the map and in the timeline: each at
#: least 3:1 (WCAG AA for graphics) against the map's land and sea and against
#: the page in Streamlit's light and dark themes (tests/test_contrast.py).
EVENT_COLOURS = MappingProxyType(
    {
        "Air/drone strike": "#d7301f",
        "Shelling/artillery/missile attack": "#cc5500",
        "Remote explosive/landmine/IED": "#8465c0",
        "Violent demonstration": "#1b7fab",
        "Disrupted weapons use": "#238b45",
        "Other": "#707070",
    }
)

DEFAULT_EVENT_COLOUR = "#707070"

HATCH_ID = "hatch-area-only"

#: How each precision class is drawn (its meaning comes from the catalogue's
#: ``PRECISION_CLASSES``, the words the card uses).
PRECISION_DRAWING = MappingProxyType(
    {
        "P1": "dot and ring",
        "P2": "dot and ring",
        "P3": "an area (its ring or zone), no pin",
        "P4": "an area, dashed or hatched, no pin",
        "P5": "an area, dashed or hatched, no pin",
        "P6": "listed, not drawn",
    }
)

FIELD_LABELS = MappingProxyType(
    {
        "event_id": "Event",
        "title": "What",
        "date_start": "Date",
        "sub_event_type": "Type",
        "precision": "Precision",
        "precision_class": "Precision",
        "uncertainty_m": "Uncertainty radius",
        "area_km2": "Area (km²)",
        "confidence": "Confidence",
        "name": "Name",
        "iso_a3": "ISO3",
        "source": "Source",
        "half_width_km": "Half-width (km)",
        "border_length_km": "Border length (km)",
        "derivation": "How it was drawn",
        "crossing": "Crossing",
        "country": "Country",
        "site_count": "Sites",
        "event_ids": "Events",
    }
)
