"""Rail heights above the waterline."""


def freeboard(rail, waterline):
    return rail - waterline
