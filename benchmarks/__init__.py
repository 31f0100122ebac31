"""Benchmarks: every performance target beside its baseline (issue 6)."""
