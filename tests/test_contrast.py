"""WCAG 2.1 AA contrast of the map's and the timeline's colours (no browser).

Text needs 4.5:1 against what it is drawn on, graphics that carry meaning 3:1
(WCAG 2.1 success criteria 1.4.3 and 1.4.11). Relative luminance and the ratio
are computed as the WCAG 2.1 definitions state them.
"""

from __future__ import annotations

import re

import pytest

from layers.map.legend import HATCH_SVG, PAGE_CSS
from layers.map.style import EVENT_COLOURS, SEA_COLOUR, THEME_BACKGROUNDS
from layers.registry import LAYERS

SPEC = {spec.name: spec for spec in LAYERS}
LAND = str(SPEC["countries"].style["fillColor"])
#: What map graphics are drawn on: land, sea (the basemap "None").
MAP_GROUNDS = {"land": LAND, "sea": SEA_COLOUR}
#: The map's panels: white at 95 % over the sea, and the buttons' grey.
PANEL = "#f4f4f4"


def _rgb(colour: str) -> tuple[float, float, float]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(colour: str | tuple[float, float, float]) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""
    rgb = _rgb(colour) if isinstance(colour, str) else colour
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(a: str | tuple, b: str | tuple) -> float:
    """WCAG 2.1 contrast ratio of two colours."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(colour: str, alpha: float, ground: str) -> tuple[float, float, float]:
    """*colour* at *alpha* composited over *ground* (sRGB, as browsers blend)."""
    return tuple(
        alpha * c + (1 - alpha) * g
        for c, g in zip(_rgb(colour), _rgb(ground), strict=True)
    )  # type: ignore[return-value]


def test_the_ratio_matches_the_wcag_reference_values():
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("sub_type", list(EVENT_COLOURS))
def test_each_event_colour_is_a_3_to_1_graphic_on_the_map_and_both_themes(sub_type):
    colour = EVENT_COLOURS[sub_type]
    grounds = {**MAP_GROUNDS, **THEME_BACKGROUNDS}  # the timeline is on the page
    low = {name: round(ratio(colour, g), 2) for name, g in grounds.items()}
    assert min(low.values()) >= 3.0, (sub_type, colour, low)


@pytest.mark.parametrize(
    "name", [s.name for s in LAYERS if not s.context and "color" in s.style]
)
def test_each_data_layer_outline_is_a_3_to_1_graphic_on_land_and_sea(name):
    colour = str(SPEC[name].style["color"])
    for ground in MAP_GROUNDS.values():
        assert ratio(colour, ground) >= 3.0, (name, colour, ground)


def test_the_hatching_of_region_level_zones_stands_out_3_to_1():
    line = re.search(r'stroke="(#\w+)"[^>]*stroke-opacity="([\d.]+)"', HATCH_SVG)
    assert line is not None
    for ground in MAP_GROUNDS.values():
        drawn = over(line.group(1), float(line.group(2)), ground)
        assert ratio(drawn, ground) >= 3.0


def _css_text_colours(css: str) -> list[tuple[str, str]]:
    """(selector, text colour) for each rule of *css* that sets ``color``."""
    out = []
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        for colour in re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", body):
            out.append((selectors.strip(), colour))
    return out


def test_all_text_on_the_map_is_4_5_to_1_on_its_panel():
    colours = _css_text_colours(PAGE_CSS)
    assert len(colours) >= 8  # the legend, tips, labels, buttons, measure
    panel = over("#ffffff", 0.95, SEA_COLOUR)  # .sm-legend, .sm-views, .sm-status
    for selector, colour in colours:
        if "aria-pressed=true" in selector:  # white on the pressed button's black
            assert ratio(colour, "#1a1a1a") >= 4.5
            continue
        for ground in (panel, PANEL, *MAP_GROUNDS.values()):
            assert ratio(colour, ground) >= 4.5, (selector, colour, ground)


def test_the_keyboard_focus_ring_stands_out_3_to_1():
    ring = re.search(r"focus-visible \{ outline: \d+px solid (#\w+)", PAGE_CSS)
    assert ring is not None
    for ground in (PANEL, "#ffffff", *MAP_GROUNDS.values()):
        assert ratio(ring.group(1), ground) >= 3.0
