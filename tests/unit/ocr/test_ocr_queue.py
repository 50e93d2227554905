"""Pictures are read in the background by sandboxed workers, stored as derived data,
and found by search; the queue is whatever is not read yet, so it resumes by itself.

Real parts: pictures drawn here with known words, imported into a real vault, read by
Tesseract in real confined workers.
"""

from __future__ import annotations

import io
import json
import math

import pytest
from PIL import Image, ImageDraw, ImageFont

from nco_desktop.importers.batch import import_paths
from nco_desktop.ocr import answer, queue, store
from nco_desktop.ocr.words import OcrWord
from nco_desktop.progress import CancelToken
from nco_desktop.sandbox import wire
from nco_desktop.timeline.query import TimelineQuery, iter_entries
from nco_desktop.vault.audit import check_chain
from tests.conftest import write_file

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def screenshot(lines: list[str], *, dark: bool = False, size=(900, 700)) -> bytes:
    """A plain picture of *lines*, 34 px text, as a PNG."""
    image = Image.new("RGB", size, "black" if dark else "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 34)
    for number, line in enumerate(lines):
        draw.text((40, 60 + number * 70), line, fill="white" if dark else "black", font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def pool():
    with queue.new_pool(2) as made:
        yield made


def import_pictures(vault, tmp_path, pictures: dict[str, bytes]) -> None:
    for name, data in pictures.items():
        write_file(tmp_path / "in" / name, data)
    import_paths(vault, [tmp_path / "in"], thumbnails=False)


def found(vault, words: str) -> list[str]:
    return [e.original_name for e in iter_entries(vault.conn, TimelineQuery(words=words))]


def test_a_screenshot_with_known_words_is_found_by_search_after_reading(vault, tmp_path, pool):
    import_pictures(
        vault,
        tmp_path,
        {
            "threat.png": screenshot(["Answer me now", "I know where you live"]),
            "other.png": screenshot(["See you at practice"]),
        },
    )
    assert found(vault, "where you live") == []  # not read yet
    assert store.status(vault).pending == 2
    run = queue.read_pending(vault, pool)
    assert (run.read, run.failed, run.stopped) == (2, 0, False)
    assert found(vault, "where you live") == ["threat.png"]
    assert found(vault, "WHERE YOU LIVE") == ["threat.png"]  # any case, like every search
    (page,) = store.pages_of(vault.conn, _original_id(vault, "threat.png"))
    assert (page.status, page.width, page.height) == ("ok", 900, 700)
    where = next(w for w in page.words if w.text == "where")
    assert 60 + 70 <= where.top + where.height // 2 <= 60 + 70 + 40  # on the second line
    assert "i know where you live" in page.text.lower()  # read, so case may slip
    status = store.status(vault)
    assert (status.done, status.pending, status.failed) == (2, 0, 0)


def test_each_reading_is_audited_without_its_words(vault, tmp_path, pool):
    import_pictures(vault, tmp_path, {"a.png": screenshot(["Maria Lopez 555 0142"])})
    queue.read_pending(vault, pool)
    rows = vault.conn.execute(
        "SELECT details_json FROM audit_log WHERE action = 'ocr.read'"
    ).fetchall()
    assert len(rows) == 1
    details = json.loads(rows[0][0])
    assert set(details) == {"original_id", "page", "words"} and details["words"] >= 3
    assert "Lopez" not in rows[0][0]
    assert check_chain(vault.conn).intact


def test_dark_mode_and_spanish_are_read(vault, tmp_path, pool):
    import_pictures(
        vault,
        tmp_path,
        {
            "dark.png": screenshot(["I am outside your door"], dark=True),
            "es.png": screenshot(["Mañana sabrás dónde estoy"]),
        },
    )
    queue.read_pending(vault, pool)
    assert found(vault, "outside your door") == ["dark.png"]
    assert found(vault, "Mañana") == ["es.png"] and found(vault, "dónde") == ["es.png"]


def test_a_picture_the_reader_cannot_read_is_recorded_and_not_tried_again(vault, tmp_path, pool):
    good = screenshot(["the rest goes on"])
    broken = good[:200]  # a PNG cut short: kept as a file, unreadable to any decoder
    import_pictures(vault, tmp_path, {"a-broken.png": broken, "b-good.png": good})
    run = queue.read_pending(vault, pool)
    assert (run.read, run.failed) == (1, 1)
    (page,) = store.pages_of(vault.conn, _original_id(vault, "a-broken.png"))
    assert page.status == "failed" and page.message and "damaged" in page.message
    assert found(vault, "rest goes on") == ["b-good.png"]
    again = queue.read_pending(vault, pool)
    assert (again.read, again.failed) == (0, 0)  # nothing left: the failure is not retried


def test_a_cancelled_run_leaves_the_rest_pending_and_the_next_run_resumes(vault, tmp_path, pool):
    import_pictures(vault, tmp_path, {f"p{n}.png": screenshot([f"picture {n}"]) for n in range(5)})
    cancel = CancelToken()
    seen: list[tuple[int, int]] = []

    def progress(done: int, waiting: int) -> None:
        seen.append((done, waiting))
        if done >= 2:
            cancel.cancel()

    first = queue.read_pending(vault, pool, cancel=cancel, progress=progress)
    assert first.stopped and 2 <= first.read < 5
    assert store.status(vault).pending == 5 - first.read
    second = queue.read_pending(vault, pool)
    assert first.read + second.read == 5 and not second.stopped
    ids = [row[0] for row in vault.conn.execute("SELECT original_id FROM ocr_pages")]
    assert len(ids) == len(set(ids)) == 5  # each read once
    assert seen[0][0] == 1


def test_a_reading_by_an_older_reader_is_redone(vault, tmp_path, pool, monkeypatch):
    import_pictures(vault, tmp_path, {"a.png": screenshot(["read me again"])})
    queue.read_pending(vault, pool)
    vault.conn.execute("UPDATE ocr_pages SET engine = 'an older reader', text = 'stale'")
    assert store.status(vault).pending == 1 and found(vault, "stale") == ["a.png"]
    queue.read_pending(vault, pool)
    assert found(vault, "stale") == [] and found(vault, "read me again") == ["a.png"]
    assert vault.conn.execute("SELECT count(*) FROM ocr_pages").fetchone()[0] == 1


def test_the_reading_workers_are_confined(pool):
    layers = pool.layers
    if layers.get("platform") != "linux":
        pytest.skip("the confinement layers are Linux's")
    assert layers["seccomp"] and layers["no_new_privs"] and layers["landlock"]


def test_pause_is_remembered_in_the_vault_and_audited(vault):
    assert not store.status(vault).paused
    store.set_paused(vault, True)
    store.set_paused(vault, True)  # no change, no audit row
    assert store.status(vault).paused
    store.set_paused(vault, False)
    actions = [r[0] for r in vault.conn.execute("SELECT action FROM audit_log")]
    assert actions.count("ocr.paused") == 1 and actions.count("ocr.resumed") == 1


def _original_id(vault, name: str) -> int:
    return int(
        vault.conn.execute("SELECT id FROM originals WHERE original_name = ?", (name,)).fetchone()[
            0
        ]
    )


# ----- the answer check: a worker that lies ---------------------------------------------


def lie(rows: object, width: int = 100, height: int = 50) -> None:
    payload = json.dumps(rows).encode() if not isinstance(rows, bytes) else rows
    answer.check({"kind": "ocr", "width": width, "height": height}, [payload])


@pytest.mark.parametrize(
    "rows",
    [
        [["word", 90, 10, 20, 10, 90.0, 0]],  # ends right of the picture
        [["word", 10, 45, 10, 10, 90.0, 0]],  # ends below it
        [["word", -1, 10, 10, 10, 90.0, 0]],
        [["word", 10, 10, 0, 10, 90.0, 0]],
        [["word", 10, 10, 10, 10, math.nan, 0]],
        [["word", 10, 10, 10, 10, 101, 0]],
        [["word", 10, 10, 10, 10, True, 0]],
        [["", 10, 10, 10, 10, 50, 0]],
        [["x" * 201, 10, 10, 10, 10, 50, 0]],
        [["bell\x07", 10, 10, 10, 10, 50, 0]],
        [["word", 10, 10, 10, 10, 50]],
        [["word", 10.5, 10, 10, 10, 50, 0]],
        {"not": "a list"},
        b"\xff\xfe not json",
        [["w", 0, 0, 1, 1, 50, 0]] * (answer.MAX_WORDS + 1),
    ],
)
def test_the_answer_check_refuses_a_lying_worker(rows):
    with pytest.raises(wire.WireError):
        lie(rows)


def test_the_answer_check_refuses_a_bad_size_or_extra_fields():
    with pytest.raises(wire.WireError):
        answer.check({"kind": "ocr", "width": 0, "height": 5}, [b"[]"])
    with pytest.raises(wire.WireError):
        answer.check({"kind": "ocr", "width": 5, "height": 5, "path": "/etc"}, [b"[]"])
    with pytest.raises(wire.WireError):
        answer.check({"kind": "ocr", "width": 5, "height": 5}, [])


@pytest.mark.parametrize(
    "extra",
    [{"pages": 0}, {"pages": True}, {"pages": 10**9}, {"has_text": 1}, {"has_text": "yes"}],
)
def test_the_answer_check_refuses_a_lying_page_count(extra):
    with pytest.raises(wire.WireError):
        answer.check({"kind": "ocr", "width": 5, "height": 5, **extra}, [b"[]"])


def test_a_page_with_text_of_its_own_cannot_come_back_with_words():
    words = json.dumps([["planted", 0, 0, 1, 1, 90, 0]]).encode()
    with pytest.raises(wire.WireError):
        answer.check({"kind": "ocr", "width": 5, "height": 5, "has_text": True}, [words])


def test_a_good_answer_becomes_words():
    checked = answer.check(
        {"kind": "ocr", "width": 100, "height": 50},
        [json.dumps([["Sé", 0, 0, 100, 50, 96.5, 0]]).encode()],
    )
    assert checked.words == (OcrWord("Sé", 0, 0, 100, 50, 96.5, 0),)


def scanned_pdf(scanned_words: str, text_page: str) -> bytes:
    """A PDF of two pages: a scan (a picture of *scanned_words*, no text) and a page
    with text of its own."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    scan = Image.open(io.BytesIO(screenshot([scanned_words], size=(1275, 1650))))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter, invariant=1)
    canvas.drawImage(ImageReader(scan), 0, 0, 612, 792)
    canvas.showPage()
    canvas.drawString(72, 700, text_page)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_a_scanned_pdf_page_is_read_and_a_page_with_text_is_not(vault, tmp_path, pool):
    import_pictures(
        vault,
        tmp_path,
        {
            "report.pdf": scanned_pdf("Police report 4471 filed", "typed page of its own"),
            "broken.pdf": b"%PDF-1.7\n" + b"\x00" * 300,
        },
    )
    assert store.status(vault).pending == 2
    run = queue.read_pending(vault, pool)
    assert (run.read, run.failed) == (2, 1)  # two pages of the report; the broken file
    pages = store.pages_of(vault.conn, _original_id(vault, "report.pdf"))
    assert [(p.page, p.status) for p in pages] == [(0, "ok"), (1, "none")]
    assert "Police report 4471 filed" in pages[0].text and pages[1].words == ()
    assert pages[0].width == 2550  # letter at 300 dpi
    assert found(vault, "report 4471") == ["report.pdf"]
    status = store.status(vault)
    assert (status.done, status.pending, status.failed) == (1, 0, 1)
    (broken,) = store.pages_of(vault.conn, _original_id(vault, "broken.pdf"))
    assert broken.status == "failed" and "damaged" in (broken.message or "")


def test_a_pdf_stopped_after_its_first_page_goes_on_with_the_next(vault, tmp_path, pool):
    import_pictures(vault, tmp_path, {"report.pdf": scanned_pdf("first page words", "x")})
    first = queue.read_pending(vault, pool, limit=1)
    assert first.read == 1 and store.pending_pages(vault.conn) == [(1, 1)]
    assert store.status(vault).pending == 1  # the file is not done until every page is
    queue.read_pending(vault, pool)
    assert store.pending_pages(vault.conn) == [] and store.status(vault).done == 1


def test_reading_writes_no_file(vault, tmp_path, pool):
    """Tesseract and the worker leave nothing behind: no temporary picture, no debug
    output (the worker cannot write at all; this checks it did not try elsewhere)."""
    import os
    import tempfile

    import_pictures(vault, tmp_path, {"a.png": screenshot(["nothing on disk"])})
    before = set(os.listdir(tempfile.gettempdir()))
    home = set(os.listdir(os.path.expanduser("~")))
    queue.read_pending(vault, pool)
    assert set(os.listdir(tempfile.gettempdir())) - before == set()
    assert set(os.listdir(os.path.expanduser("~"))) - home == set()
    assert found(vault, "nothing on disk") == ["a.png"]
