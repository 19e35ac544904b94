"""Reading the map's data layer as the browser draws it (references resolved)."""

from __future__ import annotations

import json

from geo.safe import script_json
from layers.map.assets import STATIC_URL
from layers.map.refs import resolve
from tests.conftest import ROOT

#: The script streamlit-folium runs: ``StrikeMap.update(map, <payload>)``.
_CALL = "StrikeMap.update("


def read_static(url: str) -> dict:
    """The JSON of a file the app serves under ``STATIC_URL``."""
    assert url.startswith(STATIC_URL + "/"), url
    return json.loads((ROOT / "static" / url[len(STATIC_URL) + 1 :]).read_text())


def payload_of(script: str) -> dict:
    """The payload inside a data layer's script."""
    start = script.index(_CALL)
    text = script[script.index(",", start) + 1 :]
    payload, _ = json.JSONDecoder().raw_decode(text.lstrip())
    return payload


def resolved_data(script: str) -> str:
    """*script* followed by its payload with every reference resolved."""
    if _CALL not in script:
        return script
    return script + "\n" + script_json(resolve(payload_of(script), read_static))
