"""The map at scale: this engine beside plain folium for the same points.

For N synthetic events (``benchmarks/synthetic.py``) it prints, per variant:
build time, bytes sent to the browser, and peak Python memory.

- engine, prepare: ``prepare_layers`` (once per catalogue and widths, cached);
- engine, first view: the payload for the default view (strike area, zoom 9)
  plus the shell's script;
- engine, region view: the payload with the whole region in view (zoom 5);
- engine, filter change: a new payload after one event type is dropped;
- folium GeoJson / FastMarkerCluster: the points as one layer, rendered.

No assertions: numbers to compare. Run:
.venv/bin/python benchmarks/bench_map_scale.py [N ...] [--browser]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
from folium.plugins import FastMarkerCluster  # noqa: E402

from benchmarks.synthetic import synthetic_events  # noqa: E402
from layers.map.build import DataLayer, build_shell, map_html  # noqa: E402
from layers.map.channel import fitted_view  # noqa: E402
from layers.map.data import (  # noqa: E402
    PreparedLayers,
    prepare_layers,
    view_payload,
)
from layers.map.style import VIEWS  # noqa: E402

SIZES = (26, 1_000, 10_000, 100_000)
#: folium's GeoJson of a million points takes minutes and gigabytes: skipped.
GEOJSON_MAX = 100_000


def _measure(func: Callable[[], object]) -> tuple[float, int, object]:
    """Seconds, peak traced bytes and the result of *func* (two runs: time, memory)."""
    gc.collect()
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    del result
    gc.collect()
    tracemalloc.start()
    result = func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak, result


def _shell_bytes() -> int:
    context = {"countries": {"fine": "/f.json", "coarse": "/c.json"}}
    return len(map_html(build_shell(context)).encode())


def _engine_rows(events, n: int) -> list[tuple]:
    layers = {"events": events}
    seconds, peak, prepared = _measure(lambda: prepare_layers(layers))
    assert isinstance(prepared, PreparedLayers)
    rows = [("engine: prepare (once, cached)", n, seconds, 0, peak)]
    shell = _shell_bytes()
    views = {
        "engine: first view (strike area)": fitted_view(VIEWS["Strike area"]),
        "engine: region view": fitted_view(VIEWS["Region"]),
    }
    for label, view in views.items():

        def payload(view=view):
            data = view_payload(layers, prepared=prepared, view=view)
            return data, DataLayer(data).payload

        seconds, peak, (data, text) = _measure(payload)
        extra = shell if "first" in label else 0
        rows.append((label, n, seconds, len(text.encode()) + extra, peak))
    dropped = events[events["sub_event_type"] != "Air/drone strike"]

    def filtered():
        data = view_payload(
            {"events": dropped}, prepared=prepared, view=fitted_view(VIEWS["Region"])
        )
        return DataLayer(data).payload

    seconds, peak, text = _measure(filtered)
    label = "engine: filter change (region)"
    rows.append((label, n, seconds, len(text.encode()), peak))
    return rows


def _folium_rows(events, n: int) -> list[tuple]:
    rows = []
    if n <= GEOJSON_MAX:

        def geojson():
            fmap = folium.Map(tiles=None)
            folium.GeoJson(events[["event_id", "title", "geometry"]]).add_to(fmap)
            return map_html(fmap)

        seconds, peak, html = _measure(geojson)
        rows.append(("folium GeoJson", n, seconds, len(html.encode()), peak))

    def fast():
        fmap = folium.Map(tiles=None, maxZoom=18)
        FastMarkerCluster(events[["lat", "lon"]].to_numpy().tolist()).add_to(fmap)
        return map_html(fmap)

    seconds, peak, html = _measure(fast)
    rows.append(("folium FastMarkerCluster", n, seconds, len(html.encode()), peak))
    return rows


def _print(rows: list[tuple]) -> None:
    print("| variant | N | build (s) | bytes sent | peak memory (MB) |")
    print("|---|---:|---:|---:|---:|")
    for label, n, seconds, size, peak in rows:
        sent = f"{size / 1e6:.3f} MB" if size else "-"
        print(f"| {label} | {n:,} | {seconds:.3f} | {sent} | {peak / 1e6:.1f} |")


def main(argv: list[str] | None = None) -> None:
    """Measure and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    args = parser.parse_args(argv)
    rows: list[tuple] = []
    for n in args.sizes:
        events = synthetic_events(n)
        rows += _engine_rows(events, n)
        rows += _folium_rows(events, n)
        print(f"... N = {n:,} done", file=sys.stderr)
    _print(rows)


if __name__ == "__main__":
    main()
