"""Print the dashboard's speed and size figures (no assertions: numbers to compare).

Server side, with AppTest: the first run, then reruns with one filter changed
each time (median and p90 server time), and the bytes the map component sends
per rerun (the shell's script, and the data swapped into it). The map's own
share of a rerun (payload, shell, streamlit-folium's strings) is timed apart.

Run: .venv/bin/python benchmarks/bench_dashboard.py [--catalogue DIR] [--reruns 24]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

#: Widget key -> another value; each rerun changes one widget to it or back.
CHANGES = (
    ("countries", ["SYR"]),
    ("precision", ["P1", "P2", "P3"]),
    ("confidence", ["confirmed", "fair"]),
    ("dates", (date(2019, 12, 1), date(2020, 1, 31))),
    ("valley_km", 15.0),
    ("types", ["Air/drone strike"]),
)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def component_json(at: AppTest) -> str:
    """The map component's arguments as Streamlit sends them (JSON text)."""
    component = next(
        c
        for c in at.get("component_instance")
        if c.proto.component_name == "streamlit_folium.st_folium"
    )
    return component.proto.json_args


def _component_args(at: AppTest) -> dict:
    return json.loads(component_json(at))


def _widget(at: AppTest, key: str):
    if key == "valley_km":
        return at.slider(key=key)
    if key == "dates":
        return at.date_input(key=key)
    return at.multiselect(key=key)


def _map_share(catalogue_dir: str | None, repeat: int = 10) -> tuple[float, float]:
    """Median ms of the map's work in one rerun, and of payload alone."""
    from streamlit_folium import _get_feature_group_string, _get_map_string

    from layers.catalogue import read_catalogue
    from layers.catalogue.reference import read_reference
    from layers.map import assets, refs
    from layers.map.build import DataLayer, build_shell
    from layers.map.channel import fitted_view
    from layers.map.data import prepare_layers
    from layers.map.style import VIEWS
    from layers.page.filters import apply_view
    from layers.page.view import default_state, options_for
    from layers.params import LayerInputs, LayerParams
    from layers.registry import build_layers

    catalogue = read_catalogue(catalogue_dir) if catalogue_dir else read_catalogue()
    inputs = LayerInputs(read_reference(), catalogue)
    layers = build_layers(inputs, LayerParams())
    static = Path(tempfile.mkdtemp(prefix="bench-static-"))
    shared = refs.share(
        prepare_layers(layers), lambda data: assets.install_data(static, data)
    )
    state = default_state(options_for(inputs.catalogue.events))
    shown = apply_view(layers, state)
    view = fitted_view(VIEWS["Strike area"])
    context = {name: {"fine": "f", "coarse": "c"} for name in layers}
    totals, payloads = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        payload = refs.view_payload(shown, shared, view=view)
        payloads.append(time.perf_counter() - start)
        fmap = build_shell(context)
        fmap.get_root().render()
        _get_map_string(fmap)
        _get_feature_group_string(DataLayer(payload), fmap)
        totals.append(time.perf_counter() - start)
    return statistics.median(totals) * 1000, statistics.median(payloads) * 1000


def _run_baseline(checkout: Path, args: argparse.Namespace) -> None:
    """Print the figures of *checkout* (its own script), for a same-run ratio."""
    command = [sys.executable, str(checkout / "benchmarks" / "bench_dashboard.py")]
    command += ["--app-only", "--reruns", str(args.reruns)]
    if args.catalogue:
        command += ["--catalogue", args.catalogue]
    print(f"## baseline: {checkout}")
    subprocess.run(command, cwd=checkout, check=True)
    print("## this checkout")


def main(argv: list[str] | None = None) -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogue", default=None)
    parser.add_argument("--reruns", type=int, default=24)
    parser.add_argument(
        "--app-only",
        action="store_true",
        help="only the AppTest figures (to run this file in an older checkout)",
    )
    parser.add_argument(
        "--baseline",
        default=None,
        help="another checkout: run its copy of this script (--app-only) first",
    )
    args = parser.parse_args(argv)
    if args.baseline:
        _run_baseline(Path(args.baseline), args)
    if args.catalogue:
        os.environ["STRIKEMAP_CATALOGUE"] = str(Path(args.catalogue).resolve())
    else:
        os.environ.pop("STRIKEMAP_CATALOGUE", None)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    first_args = _component_args(at)
    defaults = {key: _widget(at, key).value for key, _ in CHANGES}
    reruns, shell_bytes, data_bytes, total_bytes = [], [], [], []
    for index in range(args.reruns):
        key, other = CHANGES[(index // 2) % len(CHANGES)]
        _widget(at, key).set_value(other if index % 2 == 0 else defaults[key])
        start = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - start)
        sent = _component_args(at)
        shell = len(sent["script"]) + len(sent["header"]) + len(sent["html"])
        shell_bytes.append(shell)
        data_bytes.append(len(sent.get("feature_group") or ""))
        total_bytes.append(len(component_json(at)))
    map_ms, payload_ms = (
        (float("nan"), float("nan")) if args.app_only else _map_share(args.catalogue)
    )
    first_kb = len(json.dumps(first_args)) / 1024
    rows = [
        ("first run (cold caches)", f"{first * 1000:.0f} ms"),
        ("reruns, one filter changed each", f"{len(reruns)}"),
        ("rerun median", f"{statistics.median(reruns) * 1000:.0f} ms"),
        ("rerun p90", f"{_percentile(reruns, 0.9) * 1000:.0f} ms"),
        ("map's share of a rerun (payload, shell, st_folium)", f"{map_ms:.0f} ms"),
        ("of which the payload", f"{payload_ms:.0f} ms"),
        ("map component arguments, first run", f"{first_kb:.0f} KB"),
        (
            "shell (script + header + html) per rerun",
            f"{statistics.median(shell_bytes) / 1024:.1f} KB",
        ),
        (
            "data layer per rerun, median",
            f"{statistics.median(data_bytes) / 1024:.1f} KB",
        ),
        (
            "map component per rerun, all its arguments, median",
            f"{statistics.median(total_bytes) / 1024:.1f} KB",
        ),
    ]
    print("| measure (AppTest, server side) | value |")
    print("|---|---:|")
    for label, value in rows:
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
