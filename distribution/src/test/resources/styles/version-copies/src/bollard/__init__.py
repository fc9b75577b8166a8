"""Bollard pull ratings."""

__version__ = "1.4.0"


def rating(tonnes):
    return tonnes * 1.25
