"""Compass deviation cards."""


def deviation(card, heading):
    return card.get(heading % 360, 0.0)
