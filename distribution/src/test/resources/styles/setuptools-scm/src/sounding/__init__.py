"""Depth soundings for harbour charts."""


def fathoms(metres):
    return metres / 1.8288
