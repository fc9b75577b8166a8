import pytest

from acme_core.api import list_steps, parse_flow
from acme.cli import main


def test_the_demo_flow_parses():
    with open("demo/flow.yaml", encoding="utf-8") as f:
        assert [s for s, _ in parse_flow(f.read())] == list_steps()


def test_an_unknown_step_is_refused_with_its_line():
    with pytest.raises(ValueError, match="line 2"):
        parse_flow("extract: file\nexplode: http\n")


def test_the_cli_validates_the_demo_flow(capsys):
    assert main(["validate", "demo/flow.yaml"]) == 0
    assert "ok: 3 steps" in capsys.readouterr().out
