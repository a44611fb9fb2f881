"""Writing files that hold private key material: owner-only permissions, atomic replace."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
"""Key files are readable and writable by their owner only."""

PRIVATE_DIR_MODE = 0o700
"""Directories holding key files are accessible to their owner only."""


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and missing parents) with mode 0700 if it does not exist yet."""
    if not path.is_dir():
        path.mkdir(parents=True, mode=PRIVATE_DIR_MODE, exist_ok=True)
        # mkdir's mode is filtered by the umask; the safety rule is 0700 regardless.
        path.chmod(PRIVATE_DIR_MODE)


def write_private_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` with mode 0600, replacing any old file atomically.

    The bytes go to a sibling temporary file created 0600 (so they are never readable by others,
    even briefly) which is then renamed over `path`.
    """
    temporary = path.with_name(f".{path.name}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
