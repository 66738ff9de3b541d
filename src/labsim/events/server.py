"""What every capacity process shares: a SimPy process that serves one month at each month's start and keeps what it
served for the step."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Generator

import simpy

from labsim.core.participation import Served
from labsim.core.population import Population

__all__ = ["Server"]


class Server(ABC):
    """A caseworker team, a course, the efforts: each month it serves, records, and hands back :attr:`served`."""

    served: Served | None = None

    @abstractmethod
    def month(self, t: int, month: int, population: Population) -> Served:
        """Serve month ``month`` (run month ``t``); returns who is served and their multipliers."""

    def process(self, env: simpy.Environment, months: range, population: Population
                ) -> Generator[simpy.Event, None, None]:
        """The SimPy process: at the start of every month, serve it."""
        for t, month in enumerate(months):
            self.served = self.month(t, month, population)
            yield env.timeout(1)
