"""Tests of the `ogi` command line."""
