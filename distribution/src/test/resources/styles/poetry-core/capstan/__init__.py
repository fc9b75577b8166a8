"""Capstan torque for mooring lines."""


def torque(force, radius):
    return force * radius
