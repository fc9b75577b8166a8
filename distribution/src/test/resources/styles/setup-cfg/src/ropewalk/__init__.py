"""Rope lengths for a small chandlery."""


def fathoms(metres):
    return round(metres / 1.8288, 2)
