"""Print the dashboard's speed and size figures (no assertions: numbers to compare).

Run: .venv/bin/python benchmarks/bench_dashboard.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from layers.map.build import build_map, map_html  # noqa: E402
from layers.map.data import prepare_layers  # noqa: E402
from layers.params import LayerInputs, LayerParams  # noqa: E402
from layers.registry import build_layers  # noqa: E402
from layers.sources import read_catalogue  # noqa: E402
from layers.sources.reference import read_reference  # noqa: E402


def _timed(func, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _print_ms(label: str, seconds: float, extra: str = "") -> None:
    print(f"{label}: {seconds * 1000:.0f} ms{extra}")


def main() -> None:
    """Measure and print."""
    read_s, inputs = _timed(
        lambda: LayerInputs(read_reference(), read_catalogue()), repeat=3
    )
    build_s, layers = _timed(lambda: build_layers(inputs, LayerParams()), repeat=3)
    prepare_s, _ = _timed(lambda: prepare_layers(layers))
    map_s, html = _timed(lambda: map_html(build_map(layers)))
    _print_ms("read reference + catalogue", read_s)
    _print_ms(f"build all {len(layers)} layers", build_s)
    _print_ms("prepare map payloads (cached per catalogue and widths)", prepare_s)
    _print_ms("build + render the map (folium)", map_s, f", {len(html) / 1024:.0f} KB")

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    start = time.perf_counter()
    at.run()
    _print_ms("first run of the page (cold caches)", time.perf_counter() - start)
    component = at.get("component_instance")[0]
    payload_kb = len(component.proto.json_args) / 1024
    print(f"default view map payload (st_folium args): {payload_kb:.0f} KB")
    script = json.loads(component.proto.json_args)["script"]
    print(f"default view map script: {len(script) / 1024:.0f} KB")
    reruns = []
    for countries in (["IRQ", "SYR"], ["IRQ", "SYR", "IRN"], ["SYR"], ["IRQ"]) * 3:
        at.multiselect(key="countries").set_value(countries)
        start = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - start)
    _print_ms(
        "rerun after a filter change (AppTest, server side): median",
        statistics.median(reruns),
        f", max {max(reruns) * 1000:.0f} ms over {len(reruns)} reruns",
    )


if __name__ == "__main__":
    main()
