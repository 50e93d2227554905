"""The exhibit list beside the binder agrees with it and is safe to open (#19)."""

from __future__ import annotations

import csv
import io
import stat

from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.exhibit_list import cell, csv_bytes, exhibit_rows, write_exhibit_list
from nco_desktop.binder.exhibits import add_exhibit
from nco_desktop.binder.options import BinderOptions
from nco_desktop.binder.plan import build_plan
from nco_desktop.importers.batch import import_paths
from tests.conftest import write_file

_LINE = (
    '  <sms protocol="0" address="+13125550100" date="{ms}" type="1" body="{body}" read="1" '
    'status="-1" contact_name="Alex" />\n'
)
SMS = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"3\">\n"
    + _LINE.format(ms=1710040500000, body="where are you")
    + _LINE.format(ms=1710126900000, body="I see your car")
    + _LINE.format(ms=1712790000000, body="answer me")
    + "</smses>\n"
)


def test_the_list_gives_each_exhibits_pages_dates_and_hashes(vault, tmp_path):
    # A title the other person could have chosen the words of: a formula, a bidi trick.
    backup = write_file(tmp_path / "in" / "=HYPERLINK(evil).xml", SMS)
    import_paths(vault, [backup], thumbnails=False)
    ids = [r[0] for r in vault.conn.execute("SELECT id FROM entries ORDER BY occurred_ms")]
    add_exhibit(vault, "Texts in March", "=cmd|' /C calc'!A0", ids[:2])
    add_exhibit(vault, "Text in April \u202eevil", "", ids[2:])
    out = tmp_path / "out" / "binder.pdf"
    out.parent.mkdir()
    options = BinderOptions()
    result = build_binder(vault, out, options)
    rows = exhibit_rows(build_plan(vault, options), result.first_pages, result.exhibit_pages)
    path = write_exhibit_list(out, rows)
    assert path.name == "binder-exhibit-list.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:6] == ["Exhibit", "Title", "Description", "Dates", "Items", "Pages in binder"]
    first, second = table[1], table[2]
    assert first[0] == "Pet. Ex. 1" and first[1] == "Texts in March"
    assert first[2].startswith("'=")  # shown as text, never run
    assert first[3] == "Mar 9, 2024 – Mar 10, 2024" and first[4] == "2"
    assert "\u202e" not in second[1]
    assert first[6] == "'=HYPERLINK(evil).xml"
    (sha,) = {r[0] for r in vault.conn.execute("SELECT sha256 FROM originals")}
    assert first[7] == sha
    # The pages named are the pages the binder gives: each exhibit's first page is its
    # divider, and the two ranges meet.
    reader = PdfReader(out)
    start, end = (int(n) for n in first[5].split("–"))
    assert second[5].split("–")[0] == str(end + 1)
    labels = reader.page_labels
    assert "Pet. Ex. 1" in reader.pages[start - 1].extract_text()
    assert labels[start - 1] == str(start)
    assert int(second[5].split("–")[-1]) <= len(reader.pages)


def test_a_cell_that_looks_like_a_formula_is_text():
    for evil in ("=1+1", "+1", "-2", "@SUM(A1)"):
        assert cell(evil).startswith("'")
    assert not cell("\t=1").startswith(("\t", "="))  # the tab is shown as an escape
    for evil in (" =1+1", "\u00a0=1", "\uff1dSUM(A1)", "\uff0b1", "\u3000@x"):
        assert cell(evil).startswith("'"), evil  # trimmed or folded, still a formula
    assert cell("Texts in March") == "Texts in March"
    assert csv_bytes([]).decode("utf-8-sig").startswith("Exhibit,Title")
