"""One way to name and set a value inside labsim's objects: a dotted path (scikit-learn's ``set_params`` with
nested names, for frozen objects).

A path walks the objects a user built, whether from a file or in Python: ``efforts.ips.effect`` (a knob of
the built-in effort ``ips`` in every strategy that has it), ``strategies.hjoerring.efforts.ips.caseworkers``,
``profile.inhabitants``, ``macro.values.0``, ``model.hazards.kontanthjaelp_aktivitetsparat.employed``. Each
part is, in turn,

* a field of a frozen dataclass (its ``init`` fields that do not start with ``_``);
* an index of a tuple, or the ``name`` of one of its items (``efforts.ips`` inside a strategy);
* a key of a mapping;
* whatever an object's own ``with_value(path, value)`` takes: a built-in effort's knobs, a scenario's
  ``efforts.<name>`` shorthand, a model's ``hazards.<from>.<to>``.

Setting returns new objects, checked again as they are made; the originals are unchanged. An unknown part, or a
value the object's own checks reject, raises :class:`~labsim.errors.ValidationError` naming the path.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Box:
...     seats: int
...     sizes: tuple[int, ...] = (1, 2)
>>> set_path(Box(3), "sizes.1", 5)
Box(seats=3, sizes=(1, 5))
>>> set_path(Box(3), "seets", 5)
Traceback (most recent call last):
...
labsim.errors.ValidationError: path 'seets': Box has no 'seets'; it has seats, sizes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from labsim.errors import LabsimError, ValidationError

__all__ = ["set_path", "get_path", "set_fields", "split", "plain_value"]


def split(path: str) -> list[str]:
    """The parts of a dotted path; an empty part is an error."""
    if not isinstance(path, str) or not path or any(not part for part in path.split(".")):
        raise ValidationError(f"a path is dotted names like 'efforts.ips.effect'; got {path!r}.")
    return path.split(".")


def plain_value(value: Any) -> Any:
    """numpy scalars as the Python numbers a file would hold (a sweep's values come from numpy); else as it is.
    Known by their type's module, so that this module, below every layer, imports no numpy."""
    item = getattr(value, "item", None)
    return item() if callable(item) and type(value).__module__ == "numpy" and getattr(value, "ndim", 1) == 0 else value


def set_path(obj: Any, path: str, value: Any) -> Any:
    """``obj`` with the value at the dotted ``path`` set to ``value`` (see the module)."""
    parts = split(path)
    try:
        return _set(obj, parts, value)
    except _PathError as error:
        raise ValidationError(f"path {path!r}: {error}") from None
    except (LabsimError, TypeError, ValueError) as error:
        raise ValidationError(f"path {path!r}: {error}") from None


def get_path(obj: Any, path: str) -> Any:
    """The value at the dotted ``path`` of ``obj``."""
    node = obj
    for part in split(path):
        try:
            node = _child(node, part)
        except _PathError as error:
            raise ValidationError(f"path {path!r}: {error}") from None
    return node


class _PathError(LabsimError):
    """A part of a path that names nothing."""


def _set(obj: Any, parts: Sequence[str], value: Any) -> Any:
    hook = getattr(obj, "with_value", None)
    if callable(hook) and not isinstance(obj, type):
        return hook(parts, value)
    return set_fields(obj, parts, value)


def set_fields(obj: Any, parts: Sequence[str], value: Any) -> Any:
    """``obj`` with the value at ``parts`` set, walking its fields, items and keys (an object's ``with_value``
    calls this for the paths it does not handle itself)."""
    head, rest = parts[0], parts[1:]
    if not rest and isinstance(obj, Mapping) and _key(obj, head) is None and not any(map(_composite, obj.values())):
        return {**obj, head: value}  # a new key of a table of plain values (a start level not given before)
    old = _child(obj, head)
    if not rest and _composite(old) and not isinstance(value, type(old)):
        raise _PathError(f"{head!r} is a {type(old).__name__}; a path sets a value inside it, not the whole "
                         f"(got {type(value).__name__}).")
    new = value if not rest else _set(old, rest, value)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        maker = getattr(obj, "replace", None)
        try:
            return maker(**{head: new}) if callable(maker) else dataclasses.replace(obj, **{head: new})
        except LabsimError:
            raise
        except (TypeError, ValueError) as error:
            raise _PathError(f"{type(obj).__name__}.{head}: {error}") from None
    if isinstance(obj, tuple):
        index = _index(obj, head)
        return (*obj[:index], new, *obj[index + 1:])
    if isinstance(obj, Mapping):
        return {**obj, _key(obj, head): new}
    raise _PathError(f"{head!r} goes inside a {type(obj).__name__}, which has no fields.")


def _composite(value: Any) -> bool:
    """Whether ``value`` is an object a path goes into (a dataclass, a sequence, a mapping), not a plain value."""
    return (dataclasses.is_dataclass(value) and not isinstance(value, type)) or isinstance(value, Mapping)


def _child(obj: Any, part: str) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = [f.name for f in dataclasses.fields(obj) if f.init and not f.name.startswith("_")]
        if part not in names:
            raise _PathError(f"{type(obj).__name__} has no {part!r}; it has {', '.join(names)}.")
        return getattr(obj, part)
    if isinstance(obj, tuple):
        return obj[_index(obj, part)]
    if isinstance(obj, Mapping):
        key = _key(obj, part)
        if key is None:
            raise _PathError(f"no key {part!r}; there are {', '.join(map(str, obj)) or 'none'}.")
        return obj[key]
    if obj is None:
        raise _PathError(f"there is nothing to set {part!r} in: the value here is none (not given).")
    raise _PathError(f"{part!r} goes inside a {type(obj).__name__} ({obj!r}), which has no fields.")


def _key(mapping: Mapping[Any, Any], part: str) -> Any:
    """The key of ``mapping`` that ``part`` names: itself, or the whole number it writes (years, ages)."""
    if part in mapping:
        return part
    if part.lstrip("-").isdigit() and int(part) in mapping:
        return int(part)
    return None


def _index(items: tuple[Any, ...], part: str) -> int:
    if part.isdigit() and int(part) < len(items):
        return int(part)
    named = [i for i, item in enumerate(items) if getattr(item, "name", None) == part]
    if named:
        return named[0]
    if not items:
        raise _PathError(f"{part!r} goes into an empty sequence: there is nothing to set.")
    names = [str(getattr(item, "name", "")) for item in items if getattr(item, "name", None)]
    known = f" or a name ({', '.join(names)})" if names else ""
    raise _PathError(f"{part!r} is neither an index of a sequence of {len(items)} (0 to {len(items) - 1}){known}.")
