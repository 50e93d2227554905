"""Reading the pictures in a vault, in the background, one sandboxed worker per picture.

The CLI (``nco-desktop ocr``) and the window call :func:`read_pending` the same way. The
work list is :func:`.store.pending_pages`: pictures and PDF pages with no reading by the
current reader, so stopping (a cancel, a lock, a kill -9) loses at most the pictures being read
at that moment, and the next run starts where this one stopped.

Each picture goes to a worker of its own (forked from a zygote that loaded the engine
once), because the picture may have been made to take its reader over: a worker that
read one picture never answers for the next. A picture the reader cannot read gets a
'failed' row with the reason, so the queue never loops on it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from nco_desktop.evidence.store import get_original
from nco_desktop.ocr import store
from nco_desktop.ocr.answer import OcrAnswer
from nco_desktop.progress import Cancelled, CancelToken
from nco_desktop.sandbox import wire
from nco_desktop.sandbox.pool import CLOSED, Limits, ParseFailed, ParseJob, ParserPool
from nco_desktop.vault import Vault
from nco_desktop.vault.blobs import open_blob
from nco_desktop.vault.connection import IntegrityError

#: A long scrolling capture takes several seconds on a busy core; a minute is a hang.
OCR_LIMITS = Limits(cpu_seconds=90, wall_seconds=120, wall_seconds_per_mb=2.0)
#: A picture larger than this is not read (the importer keeps larger ones as files).
MAX_PICTURE_BYTES = 64 * 1024 * 1024
TOO_LARGE = "the picture is too large to read its text"

#: Pictures read between two counts of what is still waiting.
RECOUNT_EVERY = 25
#: (read so far, still to read) after each picture, for a progress bar.
Progress = Callable[[int, int], None]


@dataclass
class OcrRun:
    """What one run did, for the CLI's summary and the status bar."""

    read: int = 0  # pictures and PDF pages
    words: int = 0
    failed: int = 0
    stopped: bool = False


class ReaderUnavailable(Exception):
    """The text reader cannot run on this computer (its language data is missing, or
    its worker does not start): said once, in words, instead of failing every picture."""


#: What a worker that could not start looks like from here.
_NO_START = (EOFError, TimeoutError, wire.WireError)


def new_pool(workers: int | None = None) -> ParserPool:
    """A pool of OCR workers: each task gets a fresh one (see the module docstring).
    The language data is found here, where the user's environment is (``NCO_TESSDATA``),
    and its folder is handed to the workers, whose environment is empty."""
    from nco_desktop.ocr.tesseract import tessdata_dir

    try:
        tessdata = tessdata_dir()
    except FileNotFoundError as exc:
        raise ReaderUnavailable(str(exc)) from None
    return ParserPool(workers, OCR_LIMITS, render=True, ocr=tessdata, fresh_per_task=True)


def read_pending(
    vault: Vault,
    pool: ParserPool,
    *,
    cancel: CancelToken | None = None,
    progress: Progress | None = None,
    limit: int | None = None,
) -> OcrRun:
    """Read every picture and PDF page not read yet (at most *limit* of them), storing
    each as it comes; ``read`` counts pages.

    Up to the pool's size pages are read at once. *cancel* stops it between
    pictures, and kills the workers busy at that moment (their pictures stay pending);
    so does closing the pool from another thread (what locking the window does).
    """
    run = OcrRun()
    in_flight: deque[tuple[tuple[int, int], ParseJob]] = deque()
    started: set[tuple[int, int]] = set()
    counted = {"at": -1, "waiting": 0}  # the queue's length, counted every so often

    def collect_one() -> None:
        task, job = in_flight.popleft()
        _store_answer(vault, task, job, run)
        if progress is None:
            return
        done = run.read + run.failed
        if done - counted["at"] >= RECOUNT_EVERY or counted["at"] < 0:
            # Counting reads every picture's row: not after each of 5,000 pictures.
            counted["at"], counted["waiting"] = done, store.status(vault).pending
        progress(done, max(0, counted["waiting"] - (done - counted["at"])))

    try:
        while limit is None or len(started) < limit:
            if cancel is not None and cancel.cancelled:
                raise Cancelled()
            waiting = store.pending_pages(vault.conn, pool.size * 4)
            batch = [task for task in waiting if task not in started]
            if not batch:
                break
            for task in batch:
                if limit is not None and len(started) >= limit:
                    break
                while not pool.free:
                    collect_one()
                if cancel is not None and cancel.cancelled:
                    raise Cancelled()
                started.add(task)
                job = _submit(vault, pool, task, cancel, run)
                if job is not None:
                    in_flight.append((task, job))
            while in_flight:  # the pending list is read again only once these are stored
                collect_one()
    except (Cancelled, ParseFailed, OSError):
        if not (pool.closed or (cancel is not None and cancel.cancelled)):
            raise  # not a stop: a real failure, for the caller to report
        run.stopped = True  # stopped, or the pool closed under it (a lock)
        for _original_id, job in in_flight:
            job.abandon()
    return run


def _submit(
    vault: Vault,
    pool: ParserPool,
    task: tuple[int, int],
    cancel: CancelToken | None,
    run: OcrRun,
) -> ParseJob | None:
    original_id, page = task
    original = get_original(vault.conn, original_id)
    if original.size > MAX_PICTURE_BYTES:
        store.save_failure(vault, original_id, TOO_LARGE, page, _pages(vault, task))
        run.failed += 1
        return None
    with open_blob(vault.conn, original.blob_id) as handle:
        data = handle.read()
    # PDF or picture by the type found at import, never by what the bytes claim.
    header = {"op": "ocr", "page": page, "pdf": original.media_type == store.PDF_TYPE}
    try:
        # A file's own size, not the page's, sets the time allowed: a PDF is opened whole.
        return pool.request(header, [data], len(data) / 1e6, cancel)
    except _NO_START as exc:
        raise ReaderUnavailable(
            "the text reader could not start on this computer; pictures are kept as they "
            "are and can be read later"
        ) from exc


def _store_answer(vault: Vault, task: tuple[int, int], job: ParseJob, run: OcrRun) -> None:
    original_id, page = task
    try:
        answer = None
        for message in job.messages():
            if message[0] == "ocr" and isinstance(message[1], OcrAnswer):
                answer = message[1]
                break
    except ParseFailed as failure:
        stopped = job.cancel is not None and job.cancel.cancelled
        if failure.message == CLOSED or job.pool.closed or stopped:
            raise Cancelled() from None  # stopped or locked, not the picture: stays pending
        store.save_failure(vault, original_id, _short(failure.message), page, _pages(vault, task))
        run.failed += 1
        return
    problem = "the reader gave no answer" if answer is None else _misfit(vault, task, answer)
    if problem is not None or answer is None:
        store.save_failure(vault, original_id, problem or "", page, _pages(vault, task))
        run.failed += 1
        return
    try:
        store.save_page(
            vault,
            original_id,
            page,
            width=answer.width,
            height=answer.height,
            words=answer.words,
            pages=answer.pages,
            has_text=answer.has_text,
        )
    except IntegrityError:  # the file was deleted meanwhile, or a page that cannot be
        store.save_failure(vault, original_id, MISFIT, page, _pages(vault, task))
        run.failed += 1
        return
    run.read += 1
    run.words += len(answer.words)


MISFIT = "the reader's answer does not fit this file"


def _misfit(vault: Vault, task: tuple[int, int], answer: OcrAnswer) -> str | None:
    """Why a checked answer still cannot be this page's (a worker taken over by the file
    may say anything that is well-formed): a picture has one page and no text layer; a
    PDF's page count is the one its first page gave, and holds the page asked for."""
    original_id, page = task
    media_type = get_original(vault.conn, original_id).media_type
    if media_type != store.PDF_TYPE:
        return None if (answer.pages, answer.has_text, page) == (1, False, 0) else MISFIT
    if answer.pages <= page:
        return MISFIT
    known = store.known_pages(vault.conn, original_id)
    return None if known is None or known == answer.pages else MISFIT


def _pages(vault: Vault, task: tuple[int, int]) -> int:
    """How many pages the file was found to have (by page 0's reading), at least
    enough to hold *task*'s page."""
    return max(store.known_pages(vault.conn, task[0]) or 1, task[1] + 1)


def _short(message: str) -> str:
    """The reader's sentence without the importer's ending ("…; it was kept as it is")."""
    return message.split("; it was kept")[0].split("; the file was kept")[0]
