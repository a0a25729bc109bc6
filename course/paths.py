"""Where the learner's record lives: the data folder, and how it is chosen and created.

The order of precedence is `--data-dir DIR`, then the `IVSTEM_DATA_DIR` environment variable,
then the platform's user data folder (`~/.local/share/ivstem` on Linux). The program never
writes anywhere else, in particular never inside its own install, so it runs from a read-only
install.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, NamedTuple

import platformdirs

APP_NAME = "ivstem"
ENV_VAR = "IVSTEM_DATA_DIR"
STORE_FILENAME = "progress.sqlite3"

#: Only the owner may list or enter the data folder, or read and write the store: on a lab
#: machine other accounts must not see a student's answers.
DIR_MODE = 0o700
FILE_MODE = 0o600

DataDirSource = Literal["option", "environment", "default"]


class DataDir(NamedTuple):
    """A resolved data folder and where the choice came from (for messages)."""

    path: Path
    source: DataDirSource

    @property
    def store_path(self) -> Path:
        """The progress store inside this folder."""
        return self.path / STORE_FILENAME


def default_data_dir() -> Path:
    """The platform's per-user data folder for ivstem."""
    # appauthor=False: on Windows, no extra "ivstem" level for the author.
    return platformdirs.user_data_path(APP_NAME, appauthor=False, roaming=False)


def resolve_data_dir(
    explicit: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> DataDir:
    """Choose the data folder: `explicit` (from --data-dir), then $IVSTEM_DATA_DIR, then default.

    An empty value counts as unset, so `IVSTEM_DATA_DIR=` in a shell profile does not put the
    store in the current folder. `~` is expanded and relative paths are made absolute, so the
    folder named in messages is the one actually used.
    """
    env = os.environ if environ is None else environ
    if explicit is not None and str(explicit) != "":
        return DataDir(_absolute(explicit), "option")
    from_env = env.get(ENV_VAR, "")
    if from_env:
        return DataDir(_absolute(from_env), "environment")
    return DataDir(default_data_dir(), "default")


def ensure_private_dir(path: Path, *, tighten: bool) -> Path:
    """Create `path` (and missing parents) with mode 0700; return it.

    Folders created here are always 0700 whatever the umask. An existing folder is tightened to
    0700 only when `tighten` is true (our own default folder): a folder the learner chose with
    --data-dir may be shared on purpose, or on a file system without Unix modes. Raises OSError
    when the folder cannot be created.
    """
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            # Another ivstem process created it between our check and now.
            if not folder.is_dir():
                raise
        _chmod_quietly(folder, DIR_MODE)
    if not path.is_dir():
        raise NotADirectoryError(f"{path} is not a folder")
    if tighten and not missing:
        _chmod_quietly(path, DIR_MODE)
    return path


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 if it does not exist; tighten it if it does.

    SQLite creates its journal with the mode of the database file, so a 0600 store keeps its
    journal private too, without touching the process umask (which other threads share).
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        if path.is_file() and (path.stat().st_mode & 0o077):
            _chmod_quietly(path, FILE_MODE)
        return
    os.close(fd)
    _chmod_quietly(path, FILE_MODE)


def _absolute(value: str | os.PathLike[str]) -> Path:
    return Path(os.path.abspath(Path(value).expanduser()))


def _chmod_quietly(path: Path, mode: int) -> None:
    # Some file systems (FAT on a USB stick, some network mounts) refuse modes: the store still
    # works there, so this is best effort rather than a reason to lose progress.
    with contextlib.suppress(OSError):
        os.chmod(path, mode)


SHIPPED_COURSE = "iv-stem-cell-therapy"


def shipped_course_dir() -> Path:
    """The folder of the course that ships with ivstem (read-only: never written to)."""
    return Path(__file__).parent / "content" / SHIPPED_COURSE
