"""Openings: a static careers site from one Markdown file per open role."""

__version__ = "0.1.0"
