"""Run one function over many jobs in forked worker processes that cannot take the caller down.

A job may make its worker abort (a native library that fails to allocate aborts the whole process), grow
without bound, or spin: each worker runs under an address-space limit (what it inherited plus
:attr:`Limits.memory_bytes`) and a CPU limit per job, so the worker ends instead of the machine, and the
caller gets ``failed(job, why)`` for that job only, with what the worker last wrote to stderr (a native
library's one-line reason) instead of a backtrace on the caller's terminal; the other jobs go on in a fresh
worker. Workers are forked (spawn and forkserver would re-run ``__main__``, which under Streamlit is the page
script itself), take the default signal handlers (a server's SIGTERM handler never runs in a worker), and end
with the process that started them, even when it is killed with SIGKILL (Linux: ``PR_SET_PDEATHSIG``; a
worker also checks its parent between jobs).
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import multiprocessing
import os
import resource
import signal
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import IO, Any, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

_PR_SET_PDEATHSIG = 1
_STOP = None


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 2 << 30  # address space a worker may add to what it inherited from its parent
    cpu_seconds: int = 120  # CPU time one job may use (a sheet takes well under ten)


@dataclass(eq=False)
class _Worker:
    process: Any
    connection: Connection
    stderr: IO[bytes]
    job: int | None = None


def run(
    function: Callable[[Job], Result], jobs: Iterable[Job], workers: int, failed: Callable[[Job, str], Result], limits: Limits | None = None
) -> Iterator[Result]:
    """``function(job)`` for each job, in job order, computed in up to ``workers`` worker processes. A job whose
    worker dies, or whose function raises, gives ``failed(job, why)`` instead (``why``: one line)."""
    jobs = list(jobs)
    limits = limits or Limits()
    context = multiprocessing.get_context("fork")
    pending = deque(range(len(jobs)))
    results: dict[int, Result] = {}
    pool: list[_Worker] = []
    done = 0
    try:
        while done < len(jobs):
            while pending and len(pool) < workers:
                pool.append(_start(context, function, limits))
            for worker in list(pool):
                if worker.job is None and pending:
                    given = pending.popleft()
                    try:
                        worker.connection.send((given, jobs[given]))
                    except OSError:  # it ended while idle (killed from outside): the job goes to a new worker
                        pending.appendleft(given)
                        _close(worker, report=False)
                        pool.remove(worker)
                        continue
                    worker.job = given
            busy = [w for w in pool if w.job is not None]
            if not busy:
                continue
            ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy]))
            for worker in busy:
                index = worker.job
                assert index is not None
                if worker.connection in ready or worker.connection.poll():
                    with contextlib.suppress(EOFError, OSError):
                        _, (ok, value) = worker.connection.recv()
                        results[index] = value if ok else failed(jobs[index], value)
                        worker.job = None
                        continue
                if worker.process.sentinel in ready or not worker.process.is_alive():
                    worker.process.join()
                    results[index] = failed(jobs[index], _death(worker, limits))
                    _close(worker, report=False)
                    pool.remove(worker)
            while done in results:
                yield results.pop(done)
                done += 1
    finally:
        for worker in pool:
            _close(worker, report=True)


def _start(context: Any, function: Callable, limits: Limits) -> _Worker:
    ours, theirs = context.Pipe()
    stderr = tempfile.TemporaryFile()
    process = context.Process(target=_serve, args=(function, theirs, stderr.fileno(), limits, os.getpid()), daemon=True)
    process.start()
    theirs.close()
    return _Worker(process, ours, stderr)


def _serve(function: Callable, connection: Connection, stderr_fd: int, limits: Limits, parent: int) -> None:
    """A worker's life: die with the parent, default signals, stderr to its file, the memory limit, then jobs."""
    _die_with_parent(parent)
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    sys.stderr.flush()
    os.dup2(stderr_fd, 2)
    if faulthandler.is_enabled():  # its own copy of the old stderr: a crash dump goes to the worker's file too
        faulthandler.enable(file=2)
    _limit_memory(limits.memory_bytes)
    while os.getppid() == parent:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            break
        if message is _STOP:
            break
        index, job = message
        _limit_cpu(limits.cpu_seconds)
        try:
            answer = (True, function(job))
        except BaseException as exc:  # noqa: BLE001 - the caller names the job and the cause
            answer = (False, _one_line(f"{type(exc).__name__}: {exc}"))
        try:
            connection.send((index, answer))
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            connection.send((index, (False, _one_line(f"the result could not be sent back ({type(exc).__name__}: {exc})"))))


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent ends (a SIGKILL to the parent included)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _limit_memory(extra: int) -> None:
    """Address space: what this process already maps (inherited from its parent) plus ``extra``."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = mapped + extra
        resource.setrlimit(resource.RLIMIT_AS, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _limit_cpu(seconds: int) -> None:
    """SIGXCPU (which ends the process) once this job has used ``seconds`` of CPU on top of the jobs before it."""
    with contextlib.suppress(OSError, ValueError):
        used = resource.getrusage(resource.RUSAGE_SELF)
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        soft = int(used.ru_utime + used.ru_stime) + seconds
        resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _death(worker: _Worker, limits: Limits) -> str:
    """Why a worker ended before answering, in one line: its last words on stderr, else how it ended."""
    code = worker.process.exitcode
    if code is not None and code < 0:
        number = -code
        how = {
            signal.SIGABRT: "it aborted",
            signal.SIGKILL: "it was killed (out of memory?)",
            signal.SIGXCPU: f"it used more than {limits.cpu_seconds} s of CPU",
            signal.SIGSEGV: "it crashed (segmentation fault)",
        }.get(number, f"signal {signal.Signals(number).name}")
    else:
        how = f"exit code {code}"
    said = _last_words(worker.stderr)
    return (
        f"the process reading it ended ({how}{': ' + said if said else ''}; memory limit {limits.memory_bytes >> 20:,} MB above its start)"
    )


def _last_words(stderr: IO[bytes]) -> str:
    """The line a dying native library wrote (Rust: 'memory allocation of N bytes failed'), else the first line."""
    with contextlib.suppress(OSError):
        stderr.seek(0)
        lines = [line.strip() for line in stderr.read(64 * 1024).decode("utf-8", "replace").splitlines() if line.strip()]
        for line in lines:
            if "memory allocation" in line or "out of memory" in line.lower():
                return _one_line(line)
        return _one_line(lines[0]) if lines else ""
    return ""


def _close(worker: _Worker, report: bool) -> None:
    """Stop a worker (asked first, then terminated); what it wrote to stderr goes to ours when ``report``."""
    with contextlib.suppress(OSError, ValueError):
        if worker.process.is_alive():
            worker.connection.send(_STOP)
    worker.process.join(5)
    if worker.process.is_alive():
        worker.process.terminate()
        worker.process.join(5)
    worker.connection.close()
    if report:
        with contextlib.suppress(OSError, ValueError):
            worker.stderr.seek(0)
            text = worker.stderr.read(64 * 1024).decode("utf-8", "replace")
            if text.strip():
                sys.stderr.write(text if text.endswith("\n") else text + "\n")
    worker.stderr.close()


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]
