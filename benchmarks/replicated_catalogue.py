"""A big catalogue folder for the dashboard benchmarks: the shipped events, copied.

Every shipped event outside a group (the strikes keep their zones) is copied
with a new id and its anchor moved by up to 0.01 degree, until there are N
events; claims and sources stay as shipped. It reads with the shipped reader,
so the whole page can be timed on it. Prefer the reader's synthetic
``benchmarks/make_catalogue.py`` where it exists.

Run: .venv/bin/python benchmarks/replicated_catalogue.py N OUT
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "catalogue"
JITTER_DEG = 0.01


def write_replicated(n: int, out: Path, *, seed: int = 0) -> Path:
    """Write a catalogue of *n* events into *out* (created); returns *out*."""
    events = pd.read_csv(SHIPPED / "events.csv", dtype=str, keep_default_na=False)
    singles = events[events["group_id"] == ""]
    copies = max(0, n - len(events))
    rng = np.random.default_rng(seed)
    picked = singles.iloc[rng.integers(0, len(singles), copies)].copy()
    picked["event_id"] = [f"REP-{i:07d}" for i in range(copies)]
    picked["title"] = picked["title"] + " (copy " + picked["event_id"].str[4:] + ")"
    for column in ("lat", "lon"):
        values = picked[column].astype(float) + rng.uniform(
            -JITTER_DEG, JITTER_DEG, copies
        )
        picked[column] = values.round(5).astype(str)
    out.mkdir(parents=True, exist_ok=True)
    pd.concat([events, picked]).to_csv(out / "events.csv", index=False)
    for name in ("claims.csv", "sources.csv"):
        shutil.copy(SHIPPED / name, out / name)
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the folder named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    write_replicated(args.n, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
