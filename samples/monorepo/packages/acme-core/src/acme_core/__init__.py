"""Acme core: flows made of steps and connectors."""

__version__ = "0.4.0"
