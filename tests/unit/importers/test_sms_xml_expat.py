"""The SMS backup parser reads with expat directly (issue 18, speed): what defusedxml
refused is still refused, and what the element tree read is still read the same way."""

from __future__ import annotations

import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.evidence.records import Direction
from nco_desktop.importers.formats import sms_xml
from nco_desktop.importers.model import (
    FormatNote,
    ParsedAttachment,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)

REFUSED = "refused as unsafe"
T = 1_710_281_730_000


def _parse(tmp_path: Path, data: bytes) -> list[ParsedItem]:
    path = tmp_path / "sms-20240312.xml"
    path.write_bytes(data)
    return list(sms_xml.parse(ParseSource(path, path.name, ZoneInfo("UTC"), "US", None)))


def _entries(items: list[ParsedItem]) -> list[ParsedEntry]:
    return [item for item in items if isinstance(item, ParsedEntry)]


@pytest.mark.parametrize(
    "hostile",
    [
        # billion laughs: nested internal entities
        b'<!DOCTYPE smses [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><smses><sms body="&c;" /></smses>',
        # an external entity that would read a file of the user's
        b'<!DOCTYPE smses [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<smses><sms body="&x;" /></smses>',
        # an external DTD, and a parameter entity fetching one
        b'<!DOCTYPE smses SYSTEM "http://example.invalid/a.dtd"><smses />',
        b'<!DOCTYPE smses [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd">%p;]><smses />',
        # an unparsed entity, and a DTD with nothing in it
        b'<!DOCTYPE smses [<!NOTATION n SYSTEM "x"><!ENTITY u SYSTEM "y" NDATA n>]><smses />',
        b"<!DOCTYPE smses><smses />",
    ],
)
def test_a_dtd_or_an_entity_is_refused_before_anything_is_read(tmp_path, hostile):
    with pytest.raises(UnreadableFile, match=REFUSED):
        _parse(tmp_path, b'<?xml version="1.0"?>\n' + hostile)


def test_an_undefined_entity_is_damage_not_a_refusal(tmp_path):
    data = (
        f'<smses><sms address="1" date="{T}" type="1" body="kept" />\n'
        '<sms address="1" date="1" type="1" body="&nope;" /></smses>'
    ).encode()
    items = _parse(tmp_path, data)
    assert [e.text for e in _entries(items)] == ["kept"]
    problems = [i.message for i in items if isinstance(i, ParseProblem)]
    assert any("damaged at line 2" in p and "the 1 records" in p for p in problems)


def test_a_namespaced_root_is_not_a_backup(tmp_path):
    """Named as ElementTree named it ("{uri}smses"), so it is refused as before."""
    with pytest.raises(UnreadableFile, match="not an SMS or call-log backup"):
        _parse(tmp_path, b'<smses xmlns="urn:x"><sms date="1" /></smses>')
    items = _parse(tmp_path, b'<smses xmlns:a="urn:x"><a:sms date="1" /></smses>')
    assert _entries(items) == []
    assert [i.message for i in items if isinstance(i, FormatNote)] == [
        "the backup holds no messages or calls"
    ]


def test_mms_addresses_and_parts_at_any_depth_in_document_order(tmp_path):
    data = (
        f'<smses count="2"><mms date="{T}" msg_box="2" address="5550100">'
        '<parts><part ct="application/smil" text="x" />'
        '<part ct="text/plain" text="first" />'
        '<part ct="image/png" name="a/b.png" data="iVBORw0KGgo=" />'
        '<part ct="text/plain" text="second" /></parts>'
        '<addrs><addr address="5550199" type="137" /><addr address="5550100" type="151" />'
        '<addr address="5550101" type="151" /></addrs></mms>'
        f'<sms address="5550100" date="{T + 1}" type="2" body="after" /></smses>'
    ).encode()
    items = _parse(tmp_path, data)
    attachment, mms, sms = items
    assert isinstance(attachment, ParsedAttachment) and attachment.name == "a_b.png"
    assert attachment.ref == "mms:0:part:2" and attachment.data.startswith(b"\x89PNG")
    assert isinstance(mms, ParsedEntry) and mms.text == "first\nsecond"
    assert mms.party == "5550100, 5550101" and mms.thread_key == "5550100"
    assert mms.meta["recipients"] == ["5550100", "5550101"]
    assert mms.direction is Direction.OUTGOING and mms.attachment_refs == (attachment.ref,)
    assert isinstance(sms, ParsedEntry) and sms.text == "after"


def _repaired(data: bytes, block: int) -> bytes:
    return b"".join(sms_xml.repaired_blocks(io.BytesIO(data), block))


def test_surrogate_pairs_are_joined_wherever_a_read_splits_them():
    data = (
        b"a &#55357;&#56832; b &#xD83D;&#xdc40;&#65;&#55357; c &#56832; d "
        b"&#0055357;&#056832; e &#00055357; f &#55000;&#10; g &#x0D83D;&#x000DC40;"
    )
    expected = (
        b"a &#128512; b &#128064;&#65;&#65533; c &#65533; d &#128512; e &#00055357; "
        b"f &#55000;&#10; g &#65533;&#x000DC40;"
    )
    assert _repaired(data, 1 << 20) == expected
    for block in range(1, 40):  # every split point, pairs held back across reads
        assert _repaired(data, block) == expected, block


def test_emoji_written_as_pairs_read_as_the_real_characters(tmp_path):
    body = "&#55357;&#56832;" * 3 + "&#xD83D;&#xDC40;"
    data = f'<smses><sms address="1" date="{T}" type="1" body="{body} &#10;ok" /></smses>'
    (message,) = _entries(_parse(tmp_path, data.encode()))
    assert message.text == "😀😀😀👀 \nok"


def test_a_part_belongs_to_the_innermost_mms_only(tmp_path):
    """A 100 KB file of MMSes nested 8,000 deep took 26 s and 538 MB when every part
    went to every open MMS (found in review): the parts read grew with the square of
    the depth. Each part now goes to the innermost MMS: as many as the file holds."""
    depth = 300
    data = (
        b'<smses count="1">'
        + b'<mms date="1710000000000" msg_box="1" address="+13125550100">' * depth
        + b'<part ct="text/plain" text="hi"/>' * depth
        + b"</mms>" * depth
        + b"</smses>"
    )
    items = _parse(tmp_path, data)
    read = sum((entry.text or "").count("hi") for entry in _entries(items))
    assert read == depth  # not depth * (depth + 1) / 2
    problems = [i.message for i in items if isinstance(i, ParseProblem)]
    assert any("inside another MMS" in p for p in problems)
