"""Handing freed heap back to the system (a replica's resident memory would otherwise stay at
the peak of its last bulk read or view build)."""

from __future__ import annotations


def release_freed_memory() -> None:
    """glibc's malloc_trim(0): return the heap's free pages; a no-op where there is no glibc."""
    import ctypes
    import ctypes.util

    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
