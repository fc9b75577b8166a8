"""The public API boundary of acme-core: everything else is internal."""

_STEPS = ("extract", "transform", "load")
_CONNECTORS = ("file", "http")


def list_steps():
    return list(_STEPS)


def list_connectors():
    return list(_CONNECTORS)


def parse_flow(text):
    """Parses 'step: connector' lines into (step, connector) pairs; raises ValueError on unknown names."""
    flow = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        step, _, connector = (part.strip() for part in line.partition(":"))
        if step not in _STEPS:
            raise ValueError(f"line {number}: unknown step {step!r}")
        if connector not in _CONNECTORS:
            raise ValueError(f"line {number}: unknown connector {connector!r}")
        flow.append((step, connector))
    return flow
