"""A canonical digest of a value: the same text for equal values in every process, so that what a result was made
from can be recognised (a study's store, a balance solved before)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np

__all__ = ["canonical", "digest"]


def digest(value: Any, length: int = 16) -> str:
    """The first ``length`` hex digits of the SHA-256 of :func:`canonical` ``(value)``."""
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()[:length]


def canonical(value: Any, depth: int = 0) -> str:
    """A text that is the same for equal values in every process (no ids, no set order, whole arrays)."""
    if depth > 40:
        return "…"
    if isinstance(value, np.ndarray):
        return f"ndarray({value.dtype},{value.shape},{hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest()})"
    if type(value).__module__.startswith("pandas") and type(value).__name__ in ("DataFrame", "Series"):
        import pandas as pd  # only for a frame, which only a caller that has pandas holds

        return f"{type(value).__name__}({hashlib.sha256(pd.util.hash_pandas_object(value).to_numpy().tobytes()).hexdigest()})"
    if is_dataclass(value) and not isinstance(value, type):
        inner = ",".join(f"{f.name}={canonical(getattr(value, f.name), depth + 1)}" for f in fields(value)
                         if not f.name.startswith("_"))
        return f"{type(value).__qualname__}({inner})"
    if isinstance(value, Mapping):
        items = sorted((canonical(k, depth + 1), canonical(v, depth + 1)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, set | frozenset):
        return "set(" + ",".join(sorted(canonical(v, depth + 1) for v in value)) + ")"
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical(v, depth + 1) for v in value) + "]"
    if isinstance(value, str | int | float | bool | type(None) | np.generic):
        return repr(value)
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    state = getattr(value, "__dict__", None)
    slots = getattr(type(value), "__slots__", ())
    if state is None and slots:
        state = {s: getattr(value, s) for s in slots if hasattr(value, s)}
    if state is not None:
        return f"{type(value).__qualname__}{canonical(state, depth + 1)}"
    return json.dumps(repr(value))
