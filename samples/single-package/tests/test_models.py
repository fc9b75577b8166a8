import pytest

from shipyard.models import Hull


def test_a_hull_launches_once():
    hull = Hull("Endeavour", berth=3)
    hull.launch()
    assert hull.launched and hull.history == ["launched"]
    with pytest.raises(ValueError):
        hull.launch()
