"""Where a rerun's time goes: cProfile over AppTest reruns, one filter changed each.

Prints the functions with the most cumulative time per rerun (project code and
the Streamlit, pandas and Altair calls it makes), to record in
``docs/performance.md``.

Run: .venv/bin/python benchmarks/profile_rerun.py [--catalogue DIR] [--reruns 24]
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import os
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from benchmarks.bench_dashboard import CHANGES, _widget  # noqa: E402

#: Filled by the app wrapper in the script thread (AppTest runs in-process).
PROFILE = cProfile.Profile()
WRAPPER = """
import runpy
from benchmarks import profile_rerun
if profile_rerun.ACTIVE:
    profile_rerun.PROFILE.enable()
try:
    runpy.run_path({app!r}, run_name="__main__")
finally:
    profile_rerun.PROFILE.disable()
"""
ACTIVE = False


def main(argv: list[str] | None = None) -> None:
    """Profile and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogue", default=None)
    parser.add_argument("--reruns", type=int, default=24)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--callers", default="", help="also print who calls these")
    args = parser.parse_args(argv)
    if args.catalogue:
        os.environ["STRIKEMAP_CATALOGUE"] = str(Path(args.catalogue).resolve())
    # The wrapper imports this file as a module: set its state, not __main__'s.
    shared = importlib.import_module("benchmarks.profile_rerun")
    at = AppTest.from_string(
        WRAPPER.format(app=str(ROOT / "dashboard.py")), default_timeout=600
    )
    at.run()
    defaults = {key: _widget(at, key).value for key, _ in CHANGES}
    shared.ACTIVE = True
    for index in range(args.reruns):
        key, other = CHANGES[(index // 2) % len(CHANGES)]
        _widget(at, key).set_value(other if index % 2 == 0 else defaults[key])
        at.run()
    shared.ACTIVE = False
    out = io.StringIO()
    stats = pstats.Stats(shared.PROFILE, stream=out)
    total = stats.total_tt  # type: ignore[attr-defined]
    each = total / args.reruns * 1000
    print(f"{args.reruns} reruns, {each:.0f} ms CPU each (profiled)")
    stats.sort_stats("cumulative").print_stats(args.top)
    if args.callers:
        stats.print_callers(args.callers)
    print(out.getvalue())


if __name__ == "__main__":
    main()
