"""Spread independent work over forked processes; results come back in order.

Forked children inherit the parent's memory (the site, the templates), so nothing
is pickled on the way in; only each child's results come back, batch by batch. The
processes, this one among them, take the work a batch at a time. The
work runs in this process instead when it is small, when one job is asked for,
where fork does not exist, or when other threads are running (forking a threaded
process can deadlock the child): the results are the same either way.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import tempfile
import threading
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MIN_ITEMS = 200  # below this, starting processes costs more than it saves
BATCHES = 16  # batches a process, by default: enough for all to end at about one time


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork(jobs: int, items: int, min_items: int = MIN_ITEMS) -> bool:
    return (
        jobs > 1
        and items >= min_items
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def fork_map(
    func: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    jobs: int,
    min_items: int = MIN_ITEMS,
    batch: int | None = None,
) -> list[R]:
    """`func(items)` computed in up to `jobs` processes; same result as one call.

    The items are cut in batches (of `batch` items, else `BATCHES` a process), and each
    process takes the next batch nobody has taken whenever it is done with one, so that
    all of them end together, however much longer some items take than others. This
    process takes batches too: its results need no pickling, and one fork fewer is made.
    A child writes each batch's results to a file as it finishes it (a pipe would hold
    it up until this process read them), and this process reads them between its own
    batches, so that little is left to read when the last batch is done.
    """
    if not can_fork(jobs, len(items), min_items):
        return func(items)
    size = batch or -(-len(items) // (jobs * BATCHES))
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    ctx = multiprocessing.get_context("fork")
    taken = ctx.Value("i", 0)  # the number of batches taken so far
    done: dict[int, list[R]] = {}
    try:
        files = tempfile.TemporaryDirectory(prefix="openings-")
    except OSError:  # nowhere to put the children's results: do it all here
        return func(items)
    with files as folder:
        count = min(jobs, len(batches)) - 1
        workers = [_Worker(ctx, func, batches, taken, folder) for _ in range(count)]
        try:
            while (index := _take(taken, len(batches))) is not None:
                done[index] = func(batches[index])
                for worker in workers:
                    worker.collect(done, wait=False)
            for worker in workers:
                worker.collect(done, wait=True)
        finally:
            for worker in workers:
                worker.stop()
    failures = [worker.failure for worker in workers if worker.failure]
    if failures:
        raise RuntimeError("worker failed:\n" + failures[0])
    return [result for index in range(len(batches)) for result in done[index]]


def _take(taken: Any, count: int) -> int | None:
    """The index of the next batch nobody has taken, taking it; None when all are."""
    with taken.get_lock():
        index = taken.value
        taken.value = index + 1
    return index if index < count else None


class _Worker:
    """A forked process taking batches; it says through a pipe which it has finished."""

    def __init__(
        self,
        ctx: Any,
        func: Callable[[Sequence[T]], list[R]],
        batches: list[Sequence[T]],
        taken: Any,
        folder: str,
    ) -> None:
        self.folder = folder
        self.failure = ""
        self.ended = False
        self.receive, send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(
            target=_child, args=(func, batches, taken, folder, send), daemon=True
        )
        self.process.start()
        send.close()

    def collect(self, done: dict[int, Any], wait: bool) -> None:
        """Read the results of the batches it has finished (with `wait`, until it ends)."""
        while not self.ended and (wait or self.receive.poll()):
            try:
                kind, value = self.receive.recv()
            except EOFError:
                kind, value = "failed", "a worker process died"
            if kind == "done":
                path = os.path.join(self.folder, str(value))
                with open(path, "rb") as file:
                    done[value] = pickle.load(file)
                os.unlink(path)
            elif kind == "sent":
                index, results = value
                done[index] = results
            else:
                self.ended = True
                self.failure = value if kind == "failed" else ""

    def stop(self) -> None:
        if not self.ended:
            self.process.kill()  # this process failed: the rest of the work is not needed
        self.process.join()
        self.receive.close()


def _child(
    func: Callable[[Sequence[T]], list[R]],
    batches: list[Sequence[T]],
    taken: Any,
    folder: str,
    send: Connection,
) -> None:
    # What the child inherited lives until it exits: the garbage collector need not look
    # at it again (nor write to every page of it, which copies the pages from the parent).
    gc.freeze()
    try:
        while (index := _take(taken, len(batches))) is not None:
            result = func(batches[index])
            try:
                with open(os.path.join(folder, str(index)), "wb") as file:
                    pickle.dump(result, file, protocol=pickle.HIGHEST_PROTOCOL)
            except OSError:  # no room for the file (a full disk): through the pipe, then
                send.send(("sent", (index, result)))
            else:
                send.send(("done", index))
        send.send(("ended", ""))
    except BaseException:
        send.send(("failed", traceback.format_exc()))
    finally:
        send.close()


class Started(Generic[R]):
    """Work started by `fork_start`; `result()` waits for it."""

    def __init__(
        self, func: Callable[[], R], process: object = None, receive: Connection | None = None
    ) -> None:
        self._func = func
        self._process = process
        self._receive = receive

    def result(self) -> R:
        if self._process is None or self._receive is None:
            return self._func()  # it could not be forked: do it now
        try:
            ok, value = self._receive.recv()
        except EOFError:
            ok, value = False, "the worker process died"
        finally:
            self._receive.close()
            self._process.join()  # type: ignore[attr-defined]
            self._process = None
        if not ok:
            raise RuntimeError("worker failed:\n" + value)
        return value

    def cancel(self) -> None:
        """Stop the work if it runs in another process (it may be half done)."""
        if self._process is not None:
            self._process.kill()  # type: ignore[attr-defined]
            self._process.join()  # type: ignore[attr-defined]
            self._process = None
            if self._receive is not None:
                self._receive.close()


def fork_start(func: Callable[[], R]) -> Started[R]:
    """Start `func()` in a forked process, to run beside this one; `.result()` collects it.

    Where a fork is not possible (see the module's docstring), `func` runs when its
    result is asked for.
    """
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() != 1:
        return Started(func)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child_call, args=(func, send), daemon=True)
    process.start()
    send.close()
    return Started(func, process, receive)


def _child_call(func: Callable[[], R], send: Connection) -> None:
    gc.freeze()  # as in _child
    try:
        send.send((True, func()))
    except BaseException:
        send.send((False, traceback.format_exc()))
    finally:
        send.close()
