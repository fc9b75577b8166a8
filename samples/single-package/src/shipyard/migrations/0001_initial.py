"""Initial schema: hulls and berths (squashed before each release; see the release checkpoint)."""

operations = [
    ("create_table", "hull", ["id", "name", "berth", "launched"]),
    ("create_table", "berth", ["id", "number"]),
]
