"""Buoy positions along a fairway."""

__version__ = '1.4.0'


def spacing(length, buoys):
    return length / max(buoys - 1, 1)
