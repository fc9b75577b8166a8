"""Acme scheduler."""

__version__ = "0.4.0"
