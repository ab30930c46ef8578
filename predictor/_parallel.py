"""Labelling a stream of speeches on several cores, in input order, with flat memory.

The speeches come already read (``predictor._batch``: decoded, split, size
checked) from the reading process. With one job each is labelled as it comes;
with several they are grouped into chunks, and each worker process loads the
model once and labels whole chunks through the public ``Labeller`` API (so the
model's own cleaning and feature pipeline run, whatever the model is) and
renders them. At most ``PREFETCH`` chunks per worker are in flight, so a
stream of any length is read only as fast as it is labelled, and results are
yielded in the order the items came in: ``--jobs N`` writes exactly what
``--jobs 1`` writes. Items other than speeches (notes, input ends) pass
through in their place, so the one writer can commit or roll back each input.

A worker that dies (killed, out of memory) breaks the pool: a new pool is
started and the chunks not yet done are given again; a chunk whose workers
died ``MAX_TRIES`` times fails its inputs alone (kind ``crashed``), and the
run goes on. Workers end when the main process does, even killed
(``predictor._orphans``).
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from govspeech.errors import CRASHED
from govspeech.predictor._batch import Done, Failure, Item, SpeechItem
from govspeech.predictor._labeller import load
from govspeech.predictor._orphans import die_with_parent
from govspeech.predictor._output import Layout, render, unit_row
from govspeech.predictor._profile import speech_key, speech_profile

__all__ = ["CHUNK_CHARS", "CRASHED", "MAX_TRIES", "PREFETCH", "Rendered", "label_stream", "resolve_jobs"]

# Characters of speech text per task: enough that inter-process traffic is
# small beside labelling, few enough that a chunk takes well under a second.
CHUNK_CHARS = 100_000
# Chunks in flight per worker: keeps every core busy while bounding memory.
PREFETCH = 3
# Times a chunk is given to workers that die before it counts as the cause: the second death is the input's.
MAX_TRIES = 2

# The labeller of this process: set once by the parent (inherited on fork) or by _init_worker.
_STATE: dict = {}


@dataclass(frozen=True)
class Rendered:
    """One speech, labelled and written in the output format (``text``); ``notes``: the labeller's warnings
    about it; ``profile``: its role counts (``predictor._profile``); ``key``: its text's, for duplicates
    (profiles only)."""

    doc_id: str
    text: str
    n_units: int
    notes: tuple[str, ...] = ()
    profile: dict = field(default_factory=dict)  # every speech labelled has one
    key: str = ""
    source: str = ""


Result = Rendered | Item


def resolve_jobs(jobs: int) -> int:
    """Worker processes for ``--jobs``: 0 or -1 mean one per available core."""
    if jobs in (0, -1):
        try:
            return len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            return os.cpu_count() or 1
    if jobs < -1:
        raise ValueError(f"--jobs must be a positive number of processes, or 0 / -1 for all cores; got {jobs}")
    return jobs


def _chunks(items: Iterable[Item], max_chars: int) -> Iterator[list[Item]]:
    chunk, size = [], 0
    for item in items:
        chunk.append(item)
        size += len(item.text) if isinstance(item, SpeechItem) else 0
        if size >= max_chars:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _use(labeller, model_path) -> None:
    _STATE.update(labeller=labeller, model_path=model_path)


def _init_worker(model_path, sha256: str, parent: int) -> None:
    die_with_parent(parent)
    # Interruption is the parent's to handle (it stops the pool); a worker must not die mid-chunk on ^C.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if "labeller" in _STATE and _STATE["model_path"] == model_path:
        return  # inherited from the parent on fork: already loaded
    _use(load(model_path, sha256=sha256), model_path)  # the very model the parent checked


def _label_item(item: Item, layout: Layout | None) -> Result:
    if not isinstance(item, SpeechItem):
        return item
    labeller = _STATE["labeller"]
    notes: list[str] = []
    units = labeller.label(item.text, notes=notes, first_sent_id=item.first_sent_id,
                           explain=layout is not None and layout.explain)
    text = render(item.doc_id, units, layout, item.meta, speech_text=item.text) if layout else ""
    rows = [unit_row(item.doc_id, u, explained=False) for u in units]  # for the profile: roles, not reasons
    key = speech_key(rows) if layout is None else ""  # only profiles look for duplicates
    return Rendered(item.doc_id, text, len(units), tuple(notes),
                    profile=speech_profile(item.doc_id, rows, labeller.roles, item.meta), key=key, source=item.source)


def _label_chunk(chunk: list[Item], layout: Layout | None) -> list[Result]:
    return [_label_item(item, layout) for item in chunk]


def label_stream(items: Iterable[Item], *, labeller, model_path, layout: Layout | None, jobs: int = 1,
                 chunk_chars: int = CHUNK_CHARS) -> Generator[Result, None, None]:
    """The result of every item, in order; ``jobs`` worker processes (1: this process); ``layout`` None:
    the speeches are labelled and profiled, not rendered."""
    _use(labeller, model_path)
    if jobs == 1:  # each speech written as soon as it is labelled
        yield from (_label_item(item, layout) for item in items)
        return
    workers = _Workers(jobs, model_path, labeller.model.sha256, layout)
    try:
        for chunk in _chunks(items, chunk_chars):
            workers.submit(chunk)
            if len(workers.pending) >= jobs * PREFETCH:
                yield from workers.take()
        while workers.pending:
            yield from workers.take()
    finally:  # stopped early (an error, ^C, the reader gone): drop what has not started
        workers.pool.shutdown(wait=True, cancel_futures=True)


class _Workers:
    """A process pool and its chunks in flight, in order; a pool broken by a dead worker is replaced."""

    def __init__(self, jobs: int, model_path, sha256: str, layout: Layout | None):
        self.jobs, self.model_path, self.sha256, self.layout = jobs, model_path, sha256, layout
        self.pending: deque[tuple[list[Item], int, Future]] = deque()  # (chunk, tries, future)
        self.failed: set[str] = set()  # inputs failed on a crash whose later items are dropped
        self.pool = self._start()

    def _start(self):
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=self.jobs, initializer=_init_worker,
                                   initargs=(self.model_path, self.sha256, os.getpid()))

    def submit(self, chunk: list[Item], tries: int = 1) -> None:
        self.pending.append((chunk, tries, self.pool.submit(_label_chunk, chunk, self.layout)))

    def take(self) -> list[Result]:
        """The results of the oldest chunk, without the items of inputs failed on a crash."""
        while True:
            chunk, tries, future = self.pending[0]
            try:
                results = future.result()
            except BrokenProcessPool:
                if tries < MAX_TRIES:
                    self._restart()
                    continue
                self.pending.popleft()
                self._restart()
                results = self._crashed(chunk)
            else:
                self.pending.popleft()
            return [r for r in results if self._keep(r)]

    def _restart(self) -> None:
        """A new pool; every chunk in flight not finished before the break is given to it again."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._start()
        again = [(c, t, f) for c, t, f in self.pending]
        self.pending.clear()
        for chunk, tries, future in again:
            if future.done() and not future.cancelled() and future.exception() is None:
                self.pending.append((chunk, tries, future))
            else:
                self.submit(chunk, tries + 1)

    def _crashed(self, chunk: list[Item]) -> list[Result]:
        """A failure for each input of a chunk whose workers died every time; other items pass to ``_keep``."""
        results: list[Result] = []
        for item in chunk:
            if not isinstance(item, SpeechItem):
                results.append(item)  # its input's end, or a note: _keep decides
            elif item.source not in self.failed:
                self.failed.add(item.source)
                results.append(Failure(item.source, f"{item.source}: the worker process labelling it died "
                                       f"{MAX_TRIES} times (killed, or out of memory); label it alone, with -j 1, "
                                       "to see why", CRASHED))
        return results

    def _keep(self, result: Result) -> bool:
        """False for what an input failed on a crash still sends; its end lets later inputs of its name pass."""
        if isinstance(result, Failure) and result.kind == CRASHED:
            return True
        source = getattr(result, "source", None)
        if source not in self.failed:
            return True
        if isinstance(result, (Done, Failure)):
            self.failed.discard(source)
        return False
