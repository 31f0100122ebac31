"""Tests of the models and their migrations."""
