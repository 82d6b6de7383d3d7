"""Files written whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def write_file(output: Path, write: Callable[[IO], object], binary: bool = False) -> object:
    """Run `write` into a partial file beside `output`, then rename it over `output`.

    The partial name is unique to this run (two exports to one file never mix), its content is on
    disk (fsync) before the rename, and an interrupted export leaves the old file and no partial one.
    Returns what `write` returns.
    """
    fd, partial = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            n = write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(partial, 0o644)  # mkstemp makes 0600; an export is an ordinary file to share
        os.replace(partial, output)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    _fsync_dir(output.parent)  # the rename itself survives a power cut
    return n


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform; the file's own fsync still happened
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
