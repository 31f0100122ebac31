"""Year-end counting, checks, snapshots and renderers (issue 3)."""
