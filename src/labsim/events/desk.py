"""A service desk: ``servers`` caseworkers serving cases one at a time, first come first served (SimPy)."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field

import simpy

__all__ = ["ServiceDesk"]


@dataclass(slots=True, eq=False)
class ServiceDesk:
    """Cases queue for one of ``servers`` caseworkers and hold them for their service time.

    This is an M/M/c queue when arrivals are Poisson and service times exponential; its waits match
    the Erlang-C formula (checked in the test suite). Times are in months.
    """

    env: simpy.Environment
    servers: int
    waits: list[float] = field(default_factory=list)
    resource: simpy.Resource = field(init=False)

    def __post_init__(self) -> None:
        self.resource = simpy.Resource(self.env, capacity=self.servers)

    def serve(self, service_months: float) -> Generator[simpy.Event, None, None]:
        """A SimPy process step: queue, then hold a server for ``service_months``."""
        arrived = self.env.now
        with self.resource.request() as request:
            yield request
            self.waits.append(self.env.now - arrived)
            yield self.env.timeout(service_months)
