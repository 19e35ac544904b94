"""Benchmarks: speed and size, printed as tables (results in docs/performance.md)."""
