"""Deck bitt ratings."""

VERSION_INFO = (1, 4, 0)
__version__ = ".".join(str(part) for part in VERSION_INFO)


def rating(tons):
    return tons * 9.81
