"""Tide tables for small harbours."""


def high_water(hour):
    return (hour + 6) % 24
