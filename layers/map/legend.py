"""Map controls: the legend, the view buttons, labels and the page's CSS."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable

from branca.element import MacroElement
from jinja2 import Template

from layers.map.style import (
    DEFAULT_EVENT_COLOUR,
    EVENT_COLOURS,
    HATCH_ID,
    PRECISION_WORDS,
    SEA_COLOUR,
    VIEWS,
)


class Labels(MacroElement):
    """Text labels for points, drawn by one script (not one element per label)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.labels|tojson }}.forEach(function(item) {
            L.marker([item[1], item[2]], {
                interactive: false,
                keyboard: false,
                icon: L.divIcon({
                    className: "strikemap-label",
                    html: item[0],
                    iconSize: null,
                    iconAnchor: [-5, 7]
                })
            }).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
        """
    )

    def __init__(self, labels: list[tuple[str, float, float]]) -> None:
        super().__init__()
        self._name = "Labels"
        self.labels = labels


class HtmlControl(MacroElement):
    """A Leaflet control holding HTML (legend) or view buttons."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function() {
                var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                div.innerHTML = {{ this.inner_html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                div.querySelectorAll('button[data-bounds]').forEach(function(b) {
                    b.addEventListener('click', function() {
                        {{ this._parent.get_name() }}.fitBounds(
                            JSON.parse(b.getAttribute('data-bounds')));
                    });
                });
                return div;
            };
            control.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, inner_html: str, *, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "Control"
        self.inner_html = inner_html
        self.position = position
        self.css_class = css_class


class IconPath(MacroElement):
    """Point Leaflet's default marker images at the local copy."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.path|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, path: str) -> None:
        super().__init__()
        self._name = "IconPath"
        self.path = path


def _swatch(style: str) -> str:
    return f'<i style="display:inline-block;width:14px;height:10px;{style}"></i>'


def legend_html(event_types: Iterable[str]) -> str:
    """The legend's HTML: colours, hatching and the precision classes in words."""
    rows = [
        "<b>Strike zones, 29 Dec 2019</b>",
        f"{_swatch('background:#e34a33;opacity:.6;border:1px solid #b30000')} "
        "district-level zone (P3)",
        f'<svg width="14" height="10"><rect width="14" height="10" '
        f'fill="url(#{HATCH_ID})" stroke="#b30000"/></svg> '
        "region-level zone (P4-P5), hatched",
        "<i>No pin: the sites were never disclosed; the zone is the claim.</i>",
        "<b>Events</b> (ring = uncertainty radius)",
    ]
    for sub_type in event_types:
        colour = EVENT_COLOURS.get(sub_type, DEFAULT_EVENT_COLOUR)
        rows.append(
            _swatch(f"background:{colour};border-radius:5px")
            + f" {html.escape(sub_type)}"
        )
    rows += [
        "<b>Context</b>",
        f"{_swatch('background:#9ecae1;opacity:.7')} Euphrates River Valley",
        f"{_swatch('background:#e7cb94;opacity:.7;border:1px dashed #8c6d31')} "
        "border corridor",
        f"{_swatch('background:#9e9ac8')} border crossing",
    ]
    classes = "<br>".join(
        f"{code}: {html.escape(text)}" for code, text in PRECISION_WORDS.items()
    )
    return (
        "<details open><summary>Legend</summary>"
        + "<br>".join(rows)
        + f"<details><summary>Precision classes</summary>{classes}</details>"
        + "</details>"
    )


def views_html() -> str:
    """Buttons that fit the map to each of ``VIEWS``."""
    buttons = [
        f"<button type=\"button\" data-bounds='{json.dumps(bounds)}'>"
        f"{html.escape(label)}</button>"
        for label, bounds in VIEWS.items()
    ]
    return "<b>View</b><br>" + " ".join(buttons)


PAGE_CSS = (
    "<style>\n"
    f".leaflet-container {{ background: {SEA_COLOUR}; }}\n"
    ".strikemap-legend, .strikemap-views {\n"
    "  background: rgba(255,255,255,.92); padding: 5px 8px;\n"
    "  font: 11px/1.4 sans-serif; border-radius: 4px;\n"
    "  box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 270px;\n"
    "}\n"
    ".strikemap-legend summary { cursor: pointer; font-weight: bold; }\n"
    ".strikemap-label { font: 11px sans-serif; color: #333; white-space: nowrap;\n"
    "  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }\n"
    ".strikemap-views button { margin: 2px 2px 0 0; font-size: 11px; }\n"
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
