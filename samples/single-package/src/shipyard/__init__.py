"""shipyard: hulls, berths and launches."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("shipyard")
except PackageNotFoundError:  # running from a source checkout
    __version__ = open(__file__.rsplit("/src/", 1)[0] + "/VERSION", encoding="utf-8").read().strip()
