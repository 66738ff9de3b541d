"""The one exception hierarchy of labsim.

Every error a user can cause derives from :class:`LabsimError`; each subclass also derives from
the built-in exception a Python programmer would expect (``ValueError``, ``KeyError`` …), so
``except ValueError`` keeps working. Messages say what was wrong, the rule, and the bad value.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "LabsimError",
    "ValidationError",
    "UnknownStateError",
    "ForbiddenTransitionError",
    "PopulationError",
    "StoreError",
    "OutputError",
    "CalibrationError",
    "FileProblemsError",
    "ModelError",
    "CalendarError",
    "LabsimWarning",
    "CalibrationWarning",
]


class LabsimError(Exception):
    """Base class of every error labsim raises on purpose."""


class ValidationError(LabsimError, ValueError):
    """An input value breaks a documented rule."""


class UnknownStateError(ValidationError, KeyError):
    """A state code that the catalogue does not contain."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class ForbiddenTransitionError(ValidationError):
    """A hazard, effect or move on a transition the state catalogue forbids."""


class PopulationError(ValidationError):
    """A population whose persons break a rule (age, state, counters)."""


class ModelError(ValidationError):
    """Transition-model parameters that break a rule (negative hazard, bands out of order …)."""


class CalendarError(ValidationError):
    """A month or date that cannot be read, or a period whose start is after its end."""


class FileProblemsError(ValidationError):
    """A file breaks one or more rules: :attr:`file` names it, :attr:`problems` lists each problem (its place, the
    rule and the bad value), and the message holds them all on one line."""

    def __init__(self, file: str, problems: Sequence[object]) -> None:
        self.file = file
        self.problems = list(problems)
        count = f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        super().__init__(f"{file}: {count}: " + "; ".join(str(p) for p in self.problems))


class StoreError(LabsimError):
    """A results store that cannot take or give this study's runs: another study's, a changed scenario, not a
    store at all."""


class OutputError(LabsimError, OSError):
    """A place labsim was asked to write that it cannot or will not use: a folder that holds a user's files, a file
    labsim did not write, a special file, a folder that cannot be written or is full (docs/safety.md)."""

    def __str__(self) -> str:  # OSError would otherwise format its arguments as a tuple
        return str(self.args[0]) if self.args else ""


class CalibrationError(ValidationError):
    """A calibration that cannot be set up: a parameter the model does not have, a series it cannot simulate,
    no series to fit."""


class LabsimWarning(UserWarning):
    """Base class of the warnings labsim emits."""


class CalibrationWarning(LabsimWarning):
    """A fit that did not converge (the result says so too: ``converged_`` is ``False``)."""
