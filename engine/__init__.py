"""explainer: a static site generator for interactive explainer posts."""

__version__ = "0.1.0"
