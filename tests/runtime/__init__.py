"""Tests of the demo runtime, in plain CPython."""
