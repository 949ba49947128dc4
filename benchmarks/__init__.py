"""Benchmarks: scripts that print side-by-side measurements; run from the repo root."""
