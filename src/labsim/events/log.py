"""The event log: every dated, named thing that happened in a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["EventRecord", "EventLog"]


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One logged event: the month it took effect, its kind, its name and its details."""

    month: int
    kind: str
    name: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class EventLog:
    """Events in the order they took effect."""

    records: list[EventRecord] = field(default_factory=list)

    def add(self, month: int, kind: str, name: str, **details: Any) -> None:
        """Record an event."""
        self.records.append(EventRecord(month, kind, name, details))

    def __len__(self) -> int:
        return len(self.records)
