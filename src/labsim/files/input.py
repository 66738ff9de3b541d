"""Reading input files safely: only regular files, within a size bound, as UTF-8 text.

A path in a user's file may name anything: a folder, a FIFO that blocks forever, ``/dev/zero``, a file of
gigabytes, a binary or UTF-16 file. Each is refused here with an error that names the path and the rule,
before anything is read; nothing of the file's contents is echoed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from labsim.errors import LabsimError, ValidationError

__all__ = ["TEXT_LIMIT", "DATA_LIMIT", "checked_path", "regular_file", "read_bytes", "read_text", "decode_text"]

TEXT_LIMIT = 8 * 1024 * 1024
"""The largest text file (scenario, profile, study, model patch, observed series) labsim reads: 8 MiB. A
hand-written file is a few kilobytes; the bound keeps a wrong path from filling memory."""

DATA_LIMIT = 4 * 1024 * 1024 * 1024
"""The largest data file (a population file) labsim reads: 4 GiB, a whole country's persons with room to spare."""


def checked_path(path: str | os.PathLike[str], what: str, error: type[LabsimError]) -> Path:
    """``path`` as a :class:`~pathlib.Path`; ``error`` when it cannot name a file at all (empty, a NUL
    character, not text)."""
    if not isinstance(path, str | os.PathLike):
        raise error(f"the {what} must be a path; got {type(path).__name__}.")
    text = os.fspath(path)
    if not isinstance(text, str) or not text.strip():
        raise error(f"the {what} path is empty.")
    if "\x00" in text:
        raise error(f"the {what} path {text!r} contains a NUL character.")
    return Path(text)


def regular_file(path: str | os.PathLike[str], what: str, error: type[ValidationError],
                 limit: int = TEXT_LIMIT) -> Path:
    """``path`` when it is a regular file (a symbolic link to one is followed) of at most ``limit`` bytes;
    ``error`` naming the path and the rule otherwise."""
    file = checked_path(path, what, error)
    try:
        info = file.stat()
    except FileNotFoundError:
        raise error(f"{file}: no such {what}.") from None
    except OSError as problem:
        raise error(f"{file}: cannot read the {what} ({problem.strerror or problem}).") from None
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{file}: the {what} is {_kind(info.st_mode)}, not a regular file.")
    if info.st_size > limit:
        raise error(f"{file}: the {what} is {info.st_size:,} bytes; labsim reads at most {limit:,} bytes.")
    return file


def read_bytes(path: str | os.PathLike[str], what: str, error: type[ValidationError], limit: int = TEXT_LIMIT) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`regular_file`)."""
    file = regular_file(path, what, error, limit)
    try:
        with open(file, "rb") as handle:
            # never ask for ``limit`` bytes at once: a read allocates what it is asked for
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(size, limit) + 1)
            if len(data) <= limit:
                data += handle.read(limit + 1 - len(data)) if len(data) > size else b""
    except OSError as problem:
        raise error(f"{file}: cannot read the {what} ({problem.strerror or problem}).") from None
    if len(data) > limit:  # grew since it was checked
        raise error(f"{file}: the {what} is over {limit:,} bytes; labsim reads at most {limit:,} bytes.")
    return data


def read_text(path: str | os.PathLike[str], what: str, error: type[ValidationError], limit: int = TEXT_LIMIT) -> str:
    """The text of the regular file ``path``, read as UTF-8 (a byte-order mark is dropped, line ends kept);
    ``error`` naming the file, the line and column of the first bad byte, and the encoding it seems to be in."""
    return decode_text(read_bytes(path, what, error, limit), str(path), what, error)


def decode_text(data: bytes, name: str, what: str, error: type[ValidationError]) -> str:
    """``data`` as UTF-8 text (see :func:`read_text`)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error(f"{name}: the {what} is UTF-16 text; save it as UTF-8.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        column = problem.start - (data.rfind(b"\n", 0, problem.start) + 1) + 1
        hint = "it looks like Latin-1 or Windows-1252; save it as UTF-8" if _latin(data) else "is it a text file?"
        raise error(f"{name}: the {what} is not UTF-8 text: byte 0x{data[problem.start]:02x} at line {line}, "
                    f"column {column} ({hint}).") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise error(f"{name}: the {what} holds a NUL character at line {line}; it is not a text file.")
    return text


def _latin(data: bytes) -> bool:
    """Whether the bytes that are not ASCII are all Latin-1 letters (æ, ø, å, é …), as Excel writes them."""
    high = {b for b in data if b >= 0x80}
    return bool(high) and all(b >= 0xC0 for b in high)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
