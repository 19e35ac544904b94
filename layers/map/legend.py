"""The legend from the layer specs, and the map's CSS and hatch pattern.

One row per layer (with its switch), plus what each draw kind needs explained.

Rows are data (the browser builds them with ``textContent``), so a style changes
in one place: the spec.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from layers.catalogue.model import PRECISION_CLASSES
from layers.map.style import EVENT_COLOURS, HATCH_ID, PRECISION_DRAWING, SEA_COLOUR
from layers.registry import LAYERS, LayerSpec

_HATCH_CSS = (
    "background:repeating-linear-gradient(45deg,#b30000 0 2px,"
    "rgba(227,74,51,.15) 2px 6px);border:1px dashed #b30000"
)


def swatch_css(style: Mapping[str, object]) -> str:
    """A legend swatch (CSS) for Leaflet path options *style*."""
    colour = style.get("color", "#333333")
    dash = "dashed" if style.get("dashArray") else "solid"
    if style.get("fill", True) is False or "fillColor" not in style:
        weight = max(float(str(style.get("weight", 1))), 1)
        return f"height:0;border-top:{weight:g}px {dash} {colour}"
    opacity = min(1.0, max(float(str(style.get("fillOpacity", 0.2))), 0.2) + 0.2)
    return (
        f"background:{style['fillColor']};opacity:{opacity:g};"
        f"border:1px {dash} {colour}"
    )


def _zones_rows(spec: LayerSpec) -> list[dict[str, Any]]:
    style = spec.style
    return [
        {"swatch": swatch_css(style), "text": "district-level zone (P3)"},
        {"swatch": _HATCH_CSS, "text": "region-level zone (P4-P5), hatched"},
        {
            "text": "One fill per group; each zone outlined. No pin: the sites "
            "were never disclosed, the zone is the claim."
        },
    ]


def _events_rows(spec: LayerSpec) -> list[dict[str, Any]]:
    rows = [
        {"swatch": f"background:{colour};border-radius:5px", "text": sub_type}
        for sub_type, colour in EVENT_COLOURS.items()
    ]
    rows.append(
        {
            "text": "Dashed ring = uncertainty radius; a dot only where the site "
            "is known (P1-P2). Many events: counts per H3 hexagon (click to "
            "zoom in); an event known only as an area counts at a point inside "
            "its area."
        }
    )
    return rows


#: Extra legend rows per draw kind (not per layer name).
_KIND_ROWS = {"zones": _zones_rows, "events": _events_rows}


def legend_rows(specs: Iterable[LayerSpec] = LAYERS) -> list[dict[str, Any]]:
    """The legend as rows, top layer first.

    Each row is a ``heading``, or a ``text`` with an optional ``swatch`` (CSS)
    and ``layer`` (the name its switch shows or hides).
    """
    rows: list[dict[str, Any]] = [{"heading": "Layers (tick to show)"}]
    for spec in reversed(tuple(specs)):
        rows.append(
            {"layer": spec.name, "swatch": swatch_css(spec.style), "text": spec.title}
        )
        rows.extend(_KIND_ROWS.get(spec.draw, lambda _s: [])(spec))
    return rows


def precision_words() -> list[tuple[str, str]]:
    """Each precision class: the catalogue's words (as on the card) and how drawn."""
    return [
        (code, f"{words[0]}: {PRECISION_DRAWING.get(code, '')}")
        for code, words in PRECISION_CLASSES.items()
    ]


#: The map's own CSS. Colours are set explicitly everywhere, so the map reads
#: the same in Streamlit's light and dark themes.
PAGE_CSS = (
    "<style>\n"
    f".leaflet-container {{ background: {SEA_COLOUR}; }}\n"
    ".sm-legend, .sm-views, .sm-status {\n"
    "  background: rgba(255,255,255,.95); color: #1a1a1a; padding: 5px 8px;\n"
    "  font: 12px/1.4 sans-serif; border-radius: 4px;\n"
    "  box-shadow: 0 1px 4px rgba(0,0,0,.35); max-width: 280px;\n"
    "}\n"
    ".sm-legend details > summary { cursor: pointer; font-weight: bold; }\n"
    ".sm-legend-head { font-weight: bold; margin-top: 4px; }\n"
    ".sm-legend-row { display: block; cursor: pointer; }\n"
    ".sm-legend { max-height: 70vh; overflow-y: auto; }\n"
    ".sm-swatch { display: inline-block; width: 14px; height: 10px;"
    " margin: 0 3px; vertical-align: middle; }\n"
    ".sm-views button, .sm-picklist button { margin: 2px 2px 0 0; font-size: 12px;"
    " color: #1a1a1a; background: #f4f4f4; border: 1px solid #888;"
    " border-radius: 3px; cursor: pointer; text-align: left; }\n"
    ".sm-picklist ul { list-style: none; margin: 4px 0 0; padding: 0; }\n"
    ".sm-picklist, .sm-tip { color: #1a1a1a; font: 12px/1.4 sans-serif; }\n"
    ".sm-tip { white-space: normal; max-width: 260px; }\n"
    ".sm-tooltip { white-space: normal; }\n"
    ".sm-tip-key { color: #555; }\n"
    ".sm-label { font: 11px sans-serif; color: #333; white-space: nowrap;\n"
    "  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }\n"
    ".sm-count { font: bold 12px sans-serif; color: #111; text-align: center;\n"
    "  transform: translate(-50%, -50%); text-shadow: 0 0 3px #fff, 0 0 3px #fff; }\n"
    ".sm-status:empty { display: none; }\n"
    # Keyboard focus is always visible (WCAG 2.4.7), in a colour that stands
    # out 3:1 on the panels and the map.
    ".leaflet-container :focus-visible, .leaflet-container:focus-visible {"
    " outline: 3px solid #0b57d0; outline-offset: 1px; }\n"
    ".sm-cross { position: absolute; left: 50%; top: 50%; width: 18px;"
    " height: 18px; margin: -9px 0 0 -9px; pointer-events: none; z-index: 800;"
    " display: none; background: linear-gradient(#1a1a1a,#1a1a1a) center/2px"
    " 100% no-repeat, linear-gradient(#1a1a1a,#1a1a1a) center/100% 2px"
    " no-repeat; }\n"
    ".leaflet-container:focus-visible .sm-cross { display: block; }\n"
    ".sm-measure { background: #fff; color: #1a1a1a; padding: 3px;"
    " font: 12px/1.4 sans-serif; max-width: 220px; }\n"
    ".sm-measure-button { font-size: 12px; color: #1a1a1a; background: #f4f4f4;"
    " border: 1px solid #888; border-radius: 3px; cursor: pointer; }\n"
    ".sm-measure-button[aria-pressed=true] { background: #1a1a1a; color: #fff; }\n"
    ".sm-measure-result:empty { display: none; }\n"
    ".sm-measure-label { font: bold 12px sans-serif; color: #111; }\n"
    ".leaflet-control-attribution { max-width: 60%; white-space: nowrap;"
    " overflow: hidden; text-overflow: ellipsis; }\n"
    ".leaflet-control-attribution:hover { white-space: normal; }\n"
    "</style>\n"
)

HATCH_SVG = f"""
<svg width="0" height="0" style="position:absolute" aria-hidden="true">
  <defs>
    <pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="8" height="8"
             patternTransform="rotate(45)">
      <rect width="8" height="8" fill="#e34a33" fill-opacity="0.12"/>
      <line x1="0" y1="0" x2="0" y2="8" stroke="#b30000" stroke-width="2"
            stroke-opacity="0.7"/>
    </pattern>
  </defs>
</svg>
"""
