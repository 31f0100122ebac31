"""The demo organ and sample case histories (ogi demo, benchmarks, tests)."""
