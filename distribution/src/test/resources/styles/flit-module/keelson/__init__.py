"""Keel loads for dry-dock planning."""

__version__ = "1.4.0"


def load(tonnes, blocks):
    return tonnes / blocks
