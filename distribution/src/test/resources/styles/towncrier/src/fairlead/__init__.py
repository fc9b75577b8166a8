"""Fairlead angles for mooring plans."""


def angle(dx, dy):
    import math
    return math.degrees(math.atan2(dy, dx))
