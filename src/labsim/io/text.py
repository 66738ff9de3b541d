"""Reading labsim's text files: from a path or from the package's data, with errors that name the file."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from labsim.errors import ValidationError
from labsim.files import input as files_input

__all__ = ["read_text", "packaged_text", "parse_toml", "merge_tables"]


def read_text(path: str | Path, what: str, error: type[ValidationError]) -> str:
    """The file's text; ``error`` naming the file and ``what`` it should be when it cannot be read (not a
    regular file, too large, not UTF-8: :func:`labsim.files.input.read_text`)."""
    return files_input.read_text(path, what, error)


def packaged_text(name: str) -> str:
    """A data file shipped in ``labsim/data``."""
    return resources.files("labsim.data").joinpath(name).read_text(encoding="utf-8")


def parse_toml(text: str, name: str, error: type[ValidationError]) -> dict[str, Any]:
    """Parsed TOML; ``error`` naming the file when it is not valid TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise error(f"{name}: not valid TOML ({problem}).") from None


def merge_tables(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: tables merge key by key, anything else is replaced (a new dict; inputs unchanged)."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_tables(out[key], value)
        else:
            out[key] = value
    return out
