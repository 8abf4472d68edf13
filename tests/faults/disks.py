"""A disk that fills up, for the attachment tests.

As root (as in `make test` here) it is real: a tmpfs of a few hundred KiB mounted on a
temporary folder, which the kernel answers ENOSPC ("No space left on device") when full,
and which can be made larger while mounted. Without the right to mount, a storage that
raises the same OSError past the same capacity stands in for it.
"""

import errno
import os
import subprocess
import tempfile
from pathlib import Path

from django.core.files.storage import FileSystemStorage


def _mount(*args) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True)  # noqa: S603, S607
    return done.returncode == 0


class CapacityStorage(FileSystemStorage):
    """The stand-in: a folder that refuses to hold more than `capacity` bytes."""

    capacity = 0

    def _save(self, name, content):
        used = sum(f.stat().st_size for f in Path(self.location).rglob("*") if f.is_file())
        if used + content.size > self.capacity:
            # Part of the file is written first, as on a real disk.
            partial = Path(self.path(name))
            partial.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(b"\0" * max(0, self.capacity - used))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(partial))
        return super()._save(name, content)


class TinyDisk:
    def __init__(self, settings, size: int):
        self.path = Path(tempfile.mkdtemp(prefix="helpdesk-full-disk-"))
        self.settings = settings
        self.is_real = _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(self.path))
        settings.MEDIA_ROOT = self.path
        if not self.is_real:
            CapacityStorage.capacity = size
            settings.STORAGES = {
                **settings.STORAGES,
                "default": {"BACKEND": "tests.faults.disks.CapacityStorage"},
            }

    def grow(self, size: int):
        if self.is_real:
            assert _mount("-o", f"remount,size={size}", str(self.path))
        else:
            CapacityStorage.capacity = size

    def files(self) -> list[str]:
        return sorted(str(f.relative_to(self.path)) for f in self.path.rglob("*") if f.is_file())

    def remove(self):
        if self.is_real:
            subprocess.run(["umount", str(self.path)], check=True)  # noqa: S603, S607
        for f in sorted(self.path.rglob("*"), reverse=True):
            f.unlink() if f.is_file() else f.rmdir()
        self.path.rmdir()
