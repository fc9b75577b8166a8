"""Mooring line loads."""

__version__ = "1.4.0"


def load(tension, lines):
    return tension / lines
