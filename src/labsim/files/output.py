"""Writing results safely: labsim deletes or replaces only what it can prove it wrote (docs/safety.md).

Two kinds of output:

- A **results folder** (:class:`ResultsFolder`: ``labsim run|compare --out``, :meth:`labsim.Comparison.write`) is
  labsim's own, marked by its manifest (``comparison.json``), which lists every file it wrote. A new folder, an
  empty one, or a previous result of the same kind is written; a folder that holds anything else is refused
  unless the caller allows it (``--force``, ``overwrite=True``), and even then only labsim's own files are
  replaced: a file of the user's that bears an output's name stops the write. Files are written into a staging
  folder labsim makes *inside* the target, then moved in; the previous result is moved aside first and put back
  if anything fails, so a folder is always the whole old result or the whole new one, never a mix.
- A **single file** (:func:`write_file`: a report, a fitted parameter file, a figure) is written through a
  temporary file in the same folder and moved in place. It replaces an existing file only when that file bears
  labsim's mark (a report's ``generator`` tag, a fitted file's header) or the caller allows it; a symbolic link is
  followed (the link stays), and a device, pipe or folder in the way is refused. Files get the user's umask.

Everything is checked before the work starts (:meth:`ResultsFolder.prepare`, :func:`check_file`), so a long study
never ends in "cannot write".
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from labsim.errors import OutputError
from labsim.files.input import checked_path

__all__ = ["MIN_FREE_BYTES", "ResultsFolder", "check_file", "write_file", "user_mode"]

MIN_FREE_BYTES = 16 * 1024 * 1024
"""The free space a results folder needs before the work starts: 16 MiB, above a comparison's usual files (a few
MB) — a check that the disk is not full, not a promise that the result fits."""

_STAGING = ".labsim-staging-"
_PREVIOUS = ".labsim-previous-"
_WRITTEN = "written"
"""The manifest's key listing the files labsim wrote into the folder."""
_MARK_BYTES = 65536
"""How much of each end of an existing file is searched for labsim's mark."""


def user_mode() -> int:
    """The permission bits a new file gets under the user's umask (``0o666 & ~umask``)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _path(path: str | os.PathLike[str], option: str) -> Path:
    return checked_path(path, option, OutputError)


def _where(path: Path, option: str) -> str:
    return f"{option} {path}" if option else str(path)


class ResultsFolder:
    """A folder of labsim results, written whole (see the module).

    ``manifest`` is the name of the file that marks the folder as labsim's (``comparison.json``), ``names`` the
    files a write will make, ``owns`` whether an existing manifest is one of this kind (it is read as JSON first).
    Use :meth:`prepare` before the work, :meth:`stage` for the path to write each file to, then :meth:`commit`;
    as a context manager, an error in the block abandons the staged files.
    """

    def __init__(self, path: str | os.PathLike[str], manifest: str, names: Iterable[str], *,
                 owns: Callable[[Mapping[str, Any]], bool], legacy: Iterable[str] = (), overwrite: bool = False,
                 option: str = "") -> None:
        self.option = option
        self.path = _path(path, option or "results folder")
        self.manifest = manifest
        self.names = sorted(set(names) | {manifest})
        self.overwrite = overwrite
        self._owns = owns
        self._legacy = set(legacy) | {manifest}
        self._own: set[str] = set()
        self._staging: Path | None = None
        self._made: list[Path] = []

    # --- before the work ---------------------------------------------------------------------------------

    def prepare(self) -> ResultsFolder:
        """Check that the folder can take the result and make the staging folder inside it; raise
        :class:`~labsim.errors.OutputError` naming the folder and the rule otherwise. Makes the folder (and
        missing parents) when it does not exist; :meth:`abandon` removes what it made."""
        if self._staging is not None:
            return self
        where = _where(self.path, self.option)
        self._own = {name for name in self._previous(where) if _is_file_or_link(self.path / name)}
        self._check_names(where)
        self._make_folders(where)
        try:
            self._staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=self.path))
        except OSError as error:
            self._remove_made()
            raise OutputError(f"{where}: cannot write in the folder ({error.strerror or error}).") from None
        self._check_space(where)
        return self

    def _previous(self, where: str) -> set[str]:
        """The files of a previous result of labsim's in the folder (empty when there is none); refuses a
        folder that is not labsim's unless overwriting is allowed."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return set()
        except OSError as error:
            raise OutputError(f"{where}: cannot use the folder ({error.strerror or error}).") from None
        if not stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{where}: exists and is not a folder.")
        try:
            entries = [p.name for p in self.path.iterdir()]
        except OSError as error:
            raise OutputError(f"{where}: cannot read the folder ({error.strerror or error}).") from None
        entries = [name for name in entries if not name.startswith((_STAGING, _PREVIOUS))]
        if not entries:
            return set()
        manifest = self._read_manifest()
        if manifest is not None:
            # only names a result of this kind can hold are labsim's, whatever an edited manifest lists
            if _WRITTEN not in manifest:  # a manifest from before the list was kept
                return {name for name in entries if name in self._legacy}
            listed = manifest[_WRITTEN]
            names = {n for n in listed if isinstance(n, str)} if isinstance(listed, list) else set()
            return (names & self._legacy) | {self.manifest}
        if not self.overwrite:
            raise OutputError(f"{where}: the folder is not empty and is not a labsim results folder (it has no "
                              f"{self.manifest}); choose a new or empty folder, or allow labsim to write beside its "
                              f"files (--force, overwrite=True).")
        return set()

    def _read_manifest(self) -> Mapping[str, Any] | None:
        path = self.path / self.manifest
        try:
            if not stat.S_ISREG(path.lstat().st_mode) or path.stat().st_size > 64 * 1024 * 1024:
                return None
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return found if isinstance(found, dict) and self._owns(found) else None

    def _check_names(self, where: str) -> None:
        for name in self.names:
            existing = self.path / name
            if not os.path.lexists(existing):
                continue
            mode = existing.lstat().st_mode
            if name not in self._own or not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
                raise OutputError(f"{where}: {name} is there and labsim did not write it; labsim never replaces "
                                  f"a file it did not write. Move it or choose another folder.")

    def _make_folders(self, where: str) -> None:
        missing = []
        folder = self.path
        while not os.path.lexists(folder):
            missing.append(folder)
            if folder.parent == folder:
                break
            folder = folder.parent
        if os.path.lexists(folder) and not folder.is_dir():
            raise OutputError(f"{where}: {folder} is not a folder.")
        for path in reversed(missing):
            try:
                path.mkdir()
            except OSError as error:
                self._remove_made()
                raise OutputError(f"{where}: cannot make the folder {path} ({error.strerror or error}).") from None
            self._made.append(path)

    def _check_space(self, where: str) -> None:
        assert self._staging is not None
        try:
            free = shutil.disk_usage(self._staging).free
        except OSError:
            return
        if free < MIN_FREE_BYTES:
            self.abandon()
            raise OutputError(f"{where}: only {free / 1e6:.1f} MB free; labsim needs at least "
                              f"{MIN_FREE_BYTES / 1e6:.0f} MB to write its results.")

    # --- the work ----------------------------------------------------------------------------------------

    def stage(self, name: str) -> Path:
        """Where to write the file ``name`` (one of :attr:`names`) before :meth:`commit`."""
        if name not in self.names:
            raise OutputError(f"{_where(self.path, self.option)}: {name} is not one of the files this result "
                              f"writes.")
        self.prepare()
        assert self._staging is not None
        return self._staging / name

    def commit(self, manifest: Mapping[str, Any]) -> list[Path]:
        """Write ``manifest`` (with the list of files written) and move the staged files into the folder in
        place of the previous result; returns the paths. On any failure the previous result is put back."""
        staging = self.stage(self.manifest).parent
        written = [name for name in self.names if name != self.manifest and (staging / name).is_file()]
        missing = sorted(set(self.names) - {*written, self.manifest})
        if missing:
            raise OutputError(f"{_where(self.path, self.option)}: {', '.join(missing)} were not written.")
        record = {**manifest, _WRITTEN: written}
        (staging / self.manifest).write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
        previous = Path(tempfile.mkdtemp(prefix=_PREVIOUS, dir=self.path))
        moved_aside: list[str] = []
        moved_in: list[str] = []
        try:
            for name in sorted(self._own, key=lambda n: n != self.manifest):  # the old manifest first
                if _is_file_or_link(self.path / name):  # again: a folder put there during the run is not labsim's
                    os.rename(self.path / name, previous / name)
                    moved_aside.append(name)
            for name in [*written, self.manifest]:  # the new manifest last: it commits the result
                if os.path.lexists(self.path / name):
                    raise OutputError(f"{_where(self.path, self.option)}: {name} appeared in the folder while "
                                      f"labsim wrote; nothing was replaced.")
                os.rename(staging / name, self.path / name)
                moved_in.append(name)
        except (OSError, OutputError) as error:
            self._restore(previous, moved_aside, moved_in)
            if isinstance(error, OutputError):
                raise
            raise OutputError(f"{_where(self.path, self.option)}: cannot move the result into place "
                              f"({error.strerror or error}); the previous result is kept.") from None
        for name in moved_aside:  # only labsim's own previous files, one by one
            try:
                (previous / name).unlink()
            except OSError:
                pass
        try:
            previous.rmdir()
        except OSError:  # something else appeared in it: leave it where the user can find it
            pass
        self._remove_staging()
        self._made = []
        return [self.path / name for name in [*written, self.manifest]]

    def _restore(self, previous: Path, moved_aside: list[str], moved_in: list[str]) -> None:
        assert self._staging is not None
        for name in reversed(moved_in):
            try:
                os.rename(self.path / name, self._staging / name)
            except OSError:
                pass
        for name in reversed(moved_aside):
            try:
                os.rename(previous / name, self.path / name)
            except OSError:
                pass
        try:
            previous.rmdir()
        except OSError:  # something could not be put back: keep it where the user can find it
            pass
        self.abandon()

    def abandon(self) -> None:
        """Remove the staged files and any folder :meth:`prepare` made; the folder's other files are untouched."""
        self._remove_staging()
        self._remove_made()

    def _remove_staging(self) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)  # labsim's own folder, made by mkdtemp
            self._staging = None

    def _remove_made(self) -> None:
        for folder in reversed(self._made):
            try:
                folder.rmdir()  # only when still empty
            except OSError:
                break
        self._made = []

    def __enter__(self) -> ResultsFolder:
        return self.prepare()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.abandon()


def _is_file_or_link(path: Path) -> bool:
    """Whether ``path`` is a regular file or a symbolic link (what labsim may move aside; never a folder)."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) or stat.S_ISLNK(mode)


# --- single files ------------------------------------------------------------------------------------------

def check_file(path: str | os.PathLike[str], *, mark: bytes, overwrite: bool = False, option: str = "") -> Path:
    """The path :func:`write_file` will write (a symbolic link resolved), checked before the work: not a folder
    or special file, in a folder that exists and can be written, and — when it exists — bearing ``mark`` unless
    ``overwrite``. Raises :class:`~labsim.errors.OutputError` naming the path and the rule."""
    given = _path(path, option or "output file")
    where = _where(given, option)
    target = Path(os.path.realpath(given)) if os.path.islink(given) else given
    if os.path.lexists(target):
        try:
            info = target.stat()
        except OSError as error:  # a loop of links, a link to nowhere
            raise OutputError(f"{where}: cannot use the path ({error.strerror or error}).") from None
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{where}: is a folder; give the file to write.")
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(f"{where}: is not a regular file (a device, pipe or socket); labsim writes regular "
                              f"files only.")
        if not overwrite and not _marked(target, mark):
            raise OutputError(f"{where}: exists and was not written by labsim; labsim never replaces a file it did "
                              f"not write. Choose another name, or allow it (--force, overwrite=True).")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{where}: the folder {parent} does not exist.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{where}: the folder {parent} cannot be written.")
    return target


def _marked(path: Path, mark: bytes) -> bool:
    """Whether the file's first or last 64 KiB hold ``mark`` (a PDF keeps its metadata at the end)."""
    try:
        with open(path, "rb") as handle:
            if mark in handle.read(_MARK_BYTES):
                return True
            size = os.fstat(handle.fileno()).st_size
            handle.seek(max(0, size - _MARK_BYTES))
            return mark in handle.read(_MARK_BYTES)
    except OSError:
        return False


def write_file(path: str | os.PathLike[str], data: bytes | str | Callable[[Path], None], *, mark: bytes,
               overwrite: bool = False, option: str = "") -> Path:
    """Write ``data`` (bytes, UTF-8 text, or a function that writes a given path) to ``path`` through a
    temporary file moved into place, with the user's permissions; returns the path. See :func:`check_file`
    for what is refused; ``mark`` is what a file labsim wrote holds (the new file must hold it too)."""
    target = check_file(path, mark=mark, overwrite=overwrite, option=option)
    where = _where(Path(os.fspath(path)), option)
    handle, name = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.",
                                    suffix=".labsim-tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            if isinstance(data, str | bytes):
                file.write(data.encode("utf-8") if isinstance(data, str) else data)
        if callable(data):
            data(temporary)
        os.chmod(temporary, user_mode())
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"{where}: cannot write the file ({error.strerror or error}).") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
