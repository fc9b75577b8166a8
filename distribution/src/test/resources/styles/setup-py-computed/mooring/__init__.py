"""Swing circles for moorings."""

__version__ = "1.4.0"


def swing_radius(chain, depth):
    return round((chain ** 2 - depth ** 2) ** 0.5, 1)
