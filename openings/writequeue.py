"""File writes handed to a few threads, so rendering goes on while the disk works.

Creating a file and its folder costs this kind of machine 0.1 to 1 ms of waiting on
the file system for each page, about as long as rendering the page; a process that
waits for each write leaves its core idle that long. The threads release the
interpreter while the kernel works, and at most `limit` writes wait at once, so
memory stays bounded.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

THREADS = 2
LIMIT = 64  # writes waiting at once


class WriteQueue:
    """`put(rel, data)` calls `write(rel, data)` in a thread; leaving the block waits
    for every write and raises the first error one of them met."""

    def __init__(
        self, write: Callable[[str, bytes], None], threads: int = THREADS, limit: int = LIMIT
    ) -> None:
        self._write = write
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="openings-write")
        self._pending: deque[Future[None]] = deque()
        self._limit = limit

    def put(self, rel: str, data: bytes) -> None:
        while len(self._pending) >= self._limit:
            self._pending.popleft().result()  # raises the write's error, if any
        self._pending.append(self._pool.submit(self._write, rel, data))

    def __enter__(self) -> WriteQueue:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            while self._pending:
                future = self._pending.popleft()
                if kind is None:
                    future.result()
                else:
                    future.cancel()
        finally:
            self._pool.shutdown(wait=True)
