import pathlib

import tidewater


def test_the_package_is_imported_from_its_sources():
    assert pathlib.Path(tidewater.__file__).parent.parent.name == "src"


def test_high_water_wraps_around_midnight():
    assert tidewater.high_water(20) == 2
