"""Plain-Python stand-ins for Django models, so the sample needs nothing beyond the standard library."""

from dataclasses import dataclass, field


@dataclass
class Hull:
    name: str
    berth: int
    launched: bool = False
    history: list = field(default_factory=list)

    def launch(self):
        if self.launched:
            raise ValueError(f"{self.name} is already launched")
        self.launched = True
        self.history.append("launched")
