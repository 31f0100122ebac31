"""The web admin (issue 5)."""
