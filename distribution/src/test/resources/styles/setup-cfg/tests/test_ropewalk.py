import pathlib

import ropewalk


def test_the_package_is_imported_from_its_sources():
    assert pathlib.Path(ropewalk.__file__).parent.parent.name == "src"


def test_fathoms():
    assert ropewalk.fathoms(18.288) == 10.0
