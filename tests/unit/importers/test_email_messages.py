"""E-mail (.eml, mbox, Outlook .msg): every sample, plus the cases the samples lack.

Expected values were read off the sample files by eye (headers, MIME structure and,
for .msg, the MAPI streams listed with olefile), never copied from this parser's output.
"""

from __future__ import annotations

import base64
import importlib.util
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nco_desktop.evidence.records import EntryKind, TimeSource
from nco_desktop.importers import model
from nco_desktop.importers.formats import email_messages, outlook_msg
from nco_desktop.importers.model import (
    ParsedAttachment,
    ParsedEntry,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import to_ms
from tests.conftest import SAMPLES

FOLDER = SAMPLES / "email"
needs_samples = pytest.mark.skipif(
    not FOLDER.is_dir(), reason="shared/samples/email is not present"
)
HAVE_OLEFILE = importlib.util.find_spec("olefile") is not None
CHICAGO = ZoneInfo("America/Chicago")


def run(path: Path, mtime_ms: int | None = None) -> list:
    return list(email_messages.parse(ParseSource(path, path.name, CHICAGO, "US", mtime_ms)))


def sample(name: str, mtime_ms: int | None = None) -> list:
    return run(FOLDER / name, mtime_ms)


def entries(items: list) -> list[ParsedEntry]:
    return [i for i in items if isinstance(i, ParsedEntry)]


def only_entry(items: list) -> ParsedEntry:
    (entry,) = entries(items)
    assert entry.kind is EntryKind.EMAIL
    return entry


def attachments(items: list) -> list[ParsedAttachment]:
    return [i for i in items if isinstance(i, ParsedAttachment)]


def problems(items: list) -> list[str]:
    return [i.message for i in items if isinstance(i, ParseProblem)]


def ms(year: int, month: int, day: int, hour: int, minute: int, second: int, micro: int = 0) -> int:
    return to_ms(datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC))


def check_order(items: list) -> None:
    """Every attachment comes before the entry that lists it."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, ParsedAttachment):
            seen.add(item.ref)
        elif isinstance(item, ParsedEntry):
            assert set(item.attachment_refs) <= seen


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# --- every sample ----------------------------------------------------------------------


@needs_samples
def test_every_sample_is_recognised() -> None:
    names = sorted(p.name for p in FOLDER.iterdir() if p.name != "SOURCES.txt")
    assert len(names) == 11
    for name in names:
        head = (FOLDER / name).read_bytes()[: 64 * 1024]
        assert email_messages.sniff(head, name), name


@needs_samples
def test_mail_test_3_quoted_printable_and_text_attachment() -> None:
    items = sample("mailparser__mail_test_3.eml")
    check_order(items)
    entry = only_entry(items)
    # Date: Mon, 22 Aug 2016 16:56:09 +0300
    assert entry.occurred_ms == ms(2016, 8, 22, 13, 56, 9)
    assert entry.time_source is TimeSource.HEADER and entry.utc_offset_min == 180
    assert (entry.party, entry.party_name) == ("Oneil.844@randtelekom.com.tr", "Ava Oneil")
    assert entry.meta["subject"] == "Hi there" and entry.thread_key == "Hi there"
    assert entry.meta["to"] == ["kalinokyra@thismail.it"]
    message_id = "<8AF5A2192C2A46BE.2743cdb5-7033-d969-fce8-c552542a49a3@mail.outlook.com>"
    assert entry.meta["message_id"] == message_id and entry.dedup_key == message_id
    # the quoted-printable soft line break ("... in the =") is joined
    assert entry.text == (
        "I am sending you the bills of the goods we delivered to you in the attachment"
    )
    assert "body_from_html" not in entry.meta
    (attachment,) = attachments(items)
    assert (attachment.name, attachment.media_type) == ("message.txt", "text/plain")
    assert attachment.data == (
        b"\nThe WatchGuard Firebox that protects your network has detected a message "
        b"that may not be safe.\n\nCause : The file type may not be safe.\n"
        b"Content type : application/x-compressed\nFile name    : export_pdf_ 65acf801~.js\n"
        b"Status       : File Name violation\n"
        b"Action       : The Firebox deleted export_pdf_ 65acf801~.js.\n\n"
        b"Your network administrator can not restore this attachment.\n\n"
    )
    assert entry.attachment_refs == (attachment.ref,)
    assert [name for name, _ in entry.meta["headers"]].count("Received") == 2
    assert problems(items) == []


@needs_samples
def test_mail_test_9_gb2312_label_on_gbk_bytes_and_html_only_body() -> None:
    items = sample("mailparser__mail_test_9.eml")
    entry = only_entry(items)
    # Date: Mon, 26 Dec 2016 13:33:31 +0800
    assert entry.occurred_ms == ms(2016, 12, 26, 5, 33, 31) and entry.utc_offset_min == 480
    assert (entry.party, entry.party_name) == ("zyb@sgis.com.cn", "xwfcpggy")
    subject = entry.meta["subject"]
    assert subject.startswith("我把镜头拉近些，你们看看这个是什么")
    assert subject.endswith("这种场合自然少不了内射")
    assert "\ufffd" not in subject  # GBK-only bytes read as GB18030, not replaced
    assert len(entry.meta["to"]) == 21
    assert entry.meta["to"][0] == "webmaster@khaleejtimes.com"
    assert entry.meta["to"][-1] == "sale@taida-hk.net"
    assert entry.dedup_key == "<5AF385F77A53C2509D46E44914A76433@ljhw>"
    assert entry.meta["body_from_html"] is True
    assert entry.text is not None
    assert entry.text.startswith("http://go2buy.com.cn/") and "<" not in entry.text
    assert "\ufffd" not in entry.text
    assert attachments(items) == [] and problems(items) == []


@needs_samples
def test_mail_test_12_utf8_body_labelled_gb2312_and_raw_8bit_header() -> None:
    entry = only_entry(sample("mailparser__mail_test_12.eml"))
    # Date: Sun, 13 May 2018 12:32:22 +0800
    assert entry.occurred_ms == ms(2018, 5, 13, 4, 32, 22) and entry.utc_offset_min == 480
    assert (entry.party, entry.party_name) == ("baoguan@hotmail.com", "张先生")
    assert entry.meta["subject"] == "代开各地增值税发票"
    assert entry.meta["to"] == ["danglüe@email.com"]  # raw UTF-8 bytes in the header
    assert entry.text is not None and entry.text.startswith("你好！我公司可代开各类增值税发票")
    assert "13662615434" in entry.text
    assert entry.meta["message_id"] is None
    assert entry.dedup_key is not None and entry.dedup_key.startswith("sha256:")


@needs_samples
def test_mail_test_14_html_plain_and_inline_image() -> None:
    items = sample("mailparser__mail_test_14.eml")
    check_order(items)
    entry = only_entry(items)
    # Date: Wed, 24 Apr 2019 10:05:02 +0200 (CEST)
    assert entry.occurred_ms == ms(2019, 4, 24, 8, 5, 2) and entry.utc_offset_min == 120
    assert (entry.party, entry.party_name) == ("example@example.com", None)
    assert entry.meta["subject"] == "Test" and entry.meta["to"] == ["rcpt@example.com"]
    # both inline text parts of the multipart/mixed, in order; the <title> is not text
    assert entry.text == "HTML here\n\nPlaintext here."
    (image,) = attachments(items)
    assert (image.media_type, image.data) == ("image/png", b"PNG here")  # UE5HIGhlcmU=
    assert image.name == "part-1.png"
    assert entry.attachment_refs == (image.ref,)


@needs_samples
def test_mail_test_17_truncated_multipart_keeps_what_is_readable() -> None:
    items = sample("mailparser__mail_test_17.eml")
    entry = only_entry(items)
    # Date: Mon, 10 Oct 2022 20:11:32 +0000
    assert entry.occurred_ms == ms(2022, 10, 10, 20, 11, 32) and entry.utc_offset_min == 0
    assert "date_zone_unknown" not in entry.meta
    assert entry.meta["subject"] == "Transferencia Interbancaria Banca en Línea"
    # a display name spoofing a bank address is kept as written: it is the evidence
    assert entry.party == "notificaccion-clientes@bbva.mx"
    assert entry.party_name == "notificaccion-clientes@bbva.mx"
    assert entry.meta["reply_to"] == ["info@alejandrosalcedo.es"]
    assert entry.dedup_key == "<202210102011.29AKBWwn005317@vps-051e4cda.vps.ovh.net>"
    # the text/plain part is empty, so the HTML alternative gives the words
    assert entry.text == "Test" and entry.meta["body_from_html"] is True
    (problem,) = problems(items)
    assert "cut off" in problem


@needs_samples
def test_mail_malformed_2_bounce_with_report_parts() -> None:
    items = sample("mailparser__mail_malformed_2.eml")
    check_order(items)
    entry = only_entry(items)
    # Date: Mon, 22 Aug 2016 06:23:36 -0300
    assert entry.occurred_ms == ms(2016, 8, 22, 9, 23, 36) and entry.utc_offset_min == -180
    assert (entry.party, entry.party_name) == ("postmaster@netpar.com.br", None)
    assert entry.meta["subject"] == "Delivery failure (abh@netpar.com.br)"
    assert entry.dedup_key == "<B0950073156@apus.netpar.com.br>"
    assert entry.text is not None
    assert entry.text.startswith("Your message has encountered delivery problems")
    assert entry.text.endswith("User's mailbox quota exceeded")
    status, headers = attachments(items)
    assert (status.name, status.media_type) == ("DSN57BAC498.txt", "message/delivery-status")
    assert status.data == (
        b"Reporting-MTA: dns; apus.netpar.com.br\n"
        b"Arrival-Date: Mon, 22 Aug 2016 06:23:36 -0300\n\n"
        b"Final-Recipient: rfc822; abh@netpar.com.br\nAction: failed\n"
        b"Status: 4.2.2 (Persistent transient failure - mailbox: mailbox full)\n"
    )
    assert headers.media_type == "message/rfc822-headers" and headers.name == "part-2.txt"
    assert headers.data.startswith(b"Received: from cygnus.netpar.com.br")
    assert b"Subject: Trabajo perfecto a distancia\n" in headers.data
    assert entry.attachment_refs == (status.ref, headers.ref)
    assert problems(items) == []


@needs_samples
def test_cpython_mbox_unquoted_from_in_body_does_not_split() -> None:
    items = sample("cpython__mailbox_01.mbox", mtime_ms=1_700_000_000_000)
    entry = only_entry(items)  # Python's mailbox.mbox would make two messages here
    assert entry.meta["subject"] == "unquoted From in body; extra info on From line"
    assert (entry.party, entry.party_name) == ("foo", None)
    assert entry.text == "Hello\n\nFrom time to time"
    # no Date, no Received, and a mailbox's file time says nothing about one message
    assert entry.occurred_ms is None and entry.time_source is TimeSource.UNKNOWN
    assert entry.meta["mbox_from_line"] == "From MAILER-DAEMON Sun Aug  7 11:40:37 2022 extra info"


@needs_samples
def test_msgvault_mboxrd_two_messages_unescaped() -> None:
    one, two = entries(sample("msgvault__mboxrd_two_messages.mbox"))
    assert (one.meta["subject"], two.meta["subject"]) == ("One", "Two")
    assert one.text == "From should-unescape\n>From keep-one\nNormal"
    assert two.text == "Body2"
    assert one.time_source is TimeSource.UNKNOWN and one.party is None
    assert one.dedup_key != two.dedup_key


@needs_samples
@pytest.mark.parametrize(
    "name",
    ["extract-msg__strangeDate.msg", "extract-msg__unicode.msg", "mailparser__mail_outlook_1.msg"],
)
@pytest.mark.skipif(HAVE_OLEFILE, reason="olefile is installed: .msg files are read")
def test_msg_without_olefile_is_a_clear_failure(name: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        sample(name)
    assert str(caught.value) == outlook_msg.NOT_SUPPORTED


needs_olefile = pytest.mark.skipif(not HAVE_OLEFILE, reason="olefile is not installed")


@needs_samples
@needs_olefile
def test_msg_unicode_transport_headers_and_tiff_attachments() -> None:
    items = sample("extract-msg__unicode.msg")
    check_order(items)
    entry = only_entry(items)
    # transport header Date: Mon, 18 Nov 2013 10:26:24 +0200
    assert entry.occurred_ms == ms(2013, 11, 18, 8, 26, 24) and entry.utc_offset_min == 120
    assert entry.time_source is TimeSource.HEADER
    assert (entry.party, entry.party_name) == ("brizhou@gmail.com", "Brian Zhou")
    assert entry.meta["subject"] == "Test for TIF files"
    assert entry.meta["to"] == ["brianzhou@me.com"]
    assert entry.meta["cc"] == ["Brian Zhou <brizhou@gmail.com>"]
    assert entry.dedup_key == "<CADtJ4eNjQSkGcBtVteCiTF+YFG89+AcHxK3QZ=-Mt48xygkvdQ@mail.gmail.com>"
    assert entry.text is not None
    assert entry.text.startswith("This is a test email to experiment with the MS Outlook MSG")
    tiffs = attachments(items)
    assert [(a.name, a.media_type, len(a.data)) for a in tiffs] == [
        ("import OleFileIO.tif", "image/tiff", 969674),
        ("raised value error.tif", "image/tiff", 1033142),
    ]
    assert all(a.data.startswith(b"II*\x00") for a in tiffs)


@needs_samples
@needs_olefile
def test_msg_outlook_1_newsletter_with_inline_images() -> None:
    items = sample("mailparser__mail_outlook_1.msg")
    entry = only_entry(items)
    # transport header Date: Mon, 18 Sep 2017 12:00:18 +0200
    assert entry.occurred_ms == ms(2017, 9, 18, 10, 0, 18) and entry.utc_offset_min == 120
    assert (entry.party, entry.party_name) == ("NueblingV@w-vwa.de", None)
    assert entry.meta["subject"] == "Newsletter Prüfung Personalwesen / Prüfung Eröffnungsbilanz"
    assert entry.dedup_key == "<20170918100018.6AE0948009C@www.w-vwa.de>"
    assert entry.text is not None and "Sehr geehrte Frau Gaiser-Schönenborn," in entry.text
    assert [(a.name, a.media_type, len(a.data)) for a in attachments(items)] == [
        ("newsletter.png", "image/png", 100150),
        ("spacer.gif", "image/gif", 58),
        ("image004.jpg", "image/jpeg", 790),
        ("image006.jpg", "image/jpeg", 786),
        ("image008.jpg", "image/jpeg", 823),
    ]
    assert len(entry.attachment_refs) == 5


@needs_samples
@needs_olefile
def test_msg_strange_date_draft_falls_back_to_creation_time() -> None:
    entry = only_entry(sample("extract-msg__strangeDate.msg", mtime_ms=1_700_000_000_000))
    # no transport headers, no sent or delivery time: PR_CREATION_TIME 2016-02-23 14:57:50.904
    assert entry.occurred_ms == ms(2016, 2, 23, 14, 57, 50, micro=904000)
    assert entry.time_source is TimeSource.FILE_MTIME and entry.utc_offset_min is None
    assert entry.meta["time_from"] == "outlook-creation-time"
    assert entry.meta["outlook_unsent"] is True
    assert entry.meta["subject"] == "MSG Test File" and entry.party is None
    assert entry.meta["to"] == ["time2talk@online-convert.com"]
    assert entry.text is not None
    assert entry.text.startswith("MSG test file\nPurpose: Provide example of this file type")


@needs_olefile
def test_msg_names_hiding_a_line_break_stay_one_line(tmp_path: Path) -> None:
    """A .msg's recipient name and subject overwritten (same length) with a line break:
    on the e-mail page they would print a line of their own."""
    import shutil

    import olefile

    forged = tmp_path / "forged.msg"
    shutil.copy(FOLDER / "extract-msg__strangeDate.msg", forged)
    ole = olefile.OleFileIO(str(forged), write_mode=True)
    changed = 0
    for entry in ole.listdir():
        recipient = "__recip_version1.0_" in "/".join(entry)
        if (recipient and entry[-1].startswith("__substg1.0_3001")) or (
            len(entry) == 1 and entry[-1].startswith("__substg1.0_0037")
        ):
            data = ole.openstream(entry).read()
            if entry[-1].endswith("001F"):
                size = len(data) // 2
                text = ("Court\nInterpreter" + " " * size)[:size].encode("utf-16-le")
            else:
                text = (b"Court\nInterpreter" + b" " * len(data))[: len(data)]
            ole.write_stream("/".join(entry), text)
            changed += 1
    ole.close()
    assert changed == 2
    entry = only_entry(run(forged))
    assert "\n" not in entry.meta["subject"] and entry.meta["subject"].startswith("Court Interp")
    assert entry.meta["to"] and not any("\n" in shown for shown in entry.meta["to"])
    assert entry.meta["to"][0].startswith("Court Interpreter")


# --- cases the samples lack ------------------------------------------------------------


def test_rfc2047_subject_and_name(tmp_path: Path) -> None:
    subject = base64.b64encode("Ünïcödé – ты где?".encode()).decode()
    path = write(
        tmp_path,
        "a.eml",
        "From: =?UTF-8?Q?Jos=C3=A9_P=C3=A9rez?= <jose@example.com>\n"
        'To: "Doe, Jane" <jane@example.com>, bob@example.com\n'
        f"Subject: Re: Fwd: =?UTF-8?B?{subject}?=\n"
        "Date: Tue, 12 Mar 2024 17:15:30 -0500\n"
        "Message-ID: <abc@example.com>\n\nhi\n",
    )
    entry = only_entry(run(path))
    assert entry.meta["subject"] == "Re: Fwd: Ünïcödé – ты где?"
    assert entry.thread_key == "Ünïcödé – ты где?"
    assert (entry.party, entry.party_name) == ("jose@example.com", "José Pérez")
    assert entry.meta["to"] == ["Doe, Jane <jane@example.com>", "bob@example.com"]
    assert entry.occurred_ms == ms(2024, 3, 12, 22, 15, 30) and entry.utc_offset_min == -300


def test_an_encoded_line_break_in_a_header_stays_one_line(tmp_path: Path) -> None:
    """A forged subject or name hiding a line break (=0A) or a control character in an
    encoded word is one line: printed, it cannot start a line of its own ("Translated
    by a court interpreter") in the binder."""
    path = write(
        tmp_path,
        "forged.eml",
        "From: =?UTF-8?Q?Jordan=0ACourt_Interpreter?= <jordan@example.org>\n"
        "To: me@example.org\n"
        "Subject: =?UTF-8?Q?Hola=0D=0AI,_Ana_Ruiz,=1B[2Jcertified?=\n"
        "Date: Tue, 12 Mar 2024 17:15:30 -0500\n\nhi\n",
    )
    entry = only_entry(run(path))
    assert entry.meta["subject"] == "Hola I, Ana Ruiz, [2Jcertified"
    assert entry.party_name == "Jordan Court Interpreter"


def test_spaces_a_header_means_are_kept(tmp_path: Path) -> None:
    """A no-break or ideographic space is the writer's: kept (a message without a
    Message-ID is known by a hash of its subject, so changing it would double it)."""
    path = write(
        tmp_path,
        "spaces.eml",
        "From: =?UTF-8?Q?John=C2=A0Roe?= <john@example.org>\n"
        "Subject: =?UTF-8?Q?=E4=BC=9A=E8=AD=B0=E3=80=80=E3=81=AE?=\n"
        "Date: Tue, 12 Mar 2024 17:15:30 -0500\n\nhi\n",
    )
    entry = only_entry(run(path))
    assert entry.meta["subject"] == "会議\u3000の" and entry.party_name == "John\u00a0Roe"


def test_quoted_printable_body(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "qp.eml",
        "From: a@example.com\nSubject: qp\nDate: Tue, 12 Mar 2024 17:15:30 +0000\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n\n"
        "Caf=C3=A9 at n=\nine =3D late\n",
    )
    assert only_entry(run(path)).text == "Café at nine = late"


def test_html_only_body_is_readable_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "h.eml",
        "From: a@example.com\nSubject: html\nDate: Tue, 12 Mar 2024 17:15:30 +0000\n"
        "Content-Type: text/html; charset=utf-8\n\n"
        "<html><head><style>p{color:red}</style><script>alert('x')</script></head>"
        "<body><p>I know where you live.</p><p>See&nbsp;<a href='https://evil.example/p'>"
        "this</a><br>tonight</p></body></html>",
    )
    entry = only_entry(run(path))
    assert entry.text == "I know where you live.\n\nSee this <https://evil.example/p>\ntonight"
    assert entry.meta["body_from_html"] is True


def test_mboxrd_quoting_and_separators(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "box.mbox",
        b"From a@example.com Tue Mar 12 22:15:30 2024\r\n"
        b"From: a@example.com\r\nSubject: first\r\nDate: Tue, 12 Mar 2024 17:15:30 -0500\r\n"
        b"Message-ID: <1@x>\r\n\r\n>From here\r\n>>From there\r\nFrom 9 to 5 I wait\r\n\r\n"
        b"From b@example.com Wed Mar 13 10:00:00 2024\r\n"
        b"From: b@example.com\r\nSubject: Re: first\r\nMessage-ID: <2@x>\r\n\r\nsecond\r\n",
    )
    items = run(path, mtime_ms=1_700_000_000_000)
    first, second = entries(items)
    assert first.text == "From here\n>From there\nFrom 9 to 5 I wait"
    assert first.occurred_ms == ms(2024, 3, 12, 22, 15, 30)
    assert second.text == "second" and second.time_source is TimeSource.UNKNOWN
    assert first.thread_key == second.thread_key == "first"
    assert (first.dedup_key, second.dedup_key) == ("<1@x>", "<2@x>")


def test_huge_attachment_declared_but_truncated(tmp_path: Path) -> None:
    chunk = base64.b64encode(bytes(range(256)) * 4).decode()
    path = write(
        tmp_path,
        "cut.eml",
        "From: a@example.com\nSubject: video\nDate: Tue, 12 Mar 2024 17:15:30 +0000\n"
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nwatch this\n"
        "--b\nContent-Type: video/mp4\nContent-Transfer-Encoding: base64\n"
        'Content-Disposition: attachment; filename="clip.mp4"; size=500000000\n\n'
        + chunk[:1001],  # cut inside a base64 quantum, no closing boundary
    )
    items = run(path)
    check_order(items)
    entry = only_entry(items)
    assert entry.text == "watch this"
    (clip,) = attachments(items)
    assert clip.name == "clip.mp4" and clip.media_type == "video/mp4"
    assert clip.data == (bytes(range(256)) * 4)[:750]  # 1000 whole base64 characters
    said = " ".join(problems(items))
    assert "“clip.mp4” is incomplete" in said and "cut off" in said
    assert entry.attachment_refs == (clip.ref,)


def test_attachment_over_the_limit_is_refused_and_message_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, "MAX_ATTACHMENT_BYTES", 100)
    path = write(
        tmp_path,
        "big.eml",
        "From: a@example.com\nSubject: big\nDate: Tue, 12 Mar 2024 17:15:30 +0000\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhi\n'
        '--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename="a.pdf"'
        "\n\n" + "x" * 500 + "\n--b--\n",
    )
    items = run(path)
    assert attachments(items) == []
    entry = only_entry(items)
    assert entry.text == "hi" and entry.attachment_refs == ()
    (problem,) = problems(items)
    assert "“a.pdf” is larger than the import limit" in problem


def test_long_text_is_capped_with_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(email_messages, "TEXT_LIMIT", 10)
    path = write(tmp_path, "long.eml", "From: a@x\nSubject: long\n\n" + "0123456789" * 5)
    entry = only_entry(run(path))
    assert entry.text is not None and entry.text.startswith("0123456789\n\n[… the rest")
    assert entry.meta["text_truncated_at"] == 10


def test_oversized_message_keeps_its_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(email_messages, "MAX_MESSAGE_BYTES", 1000)
    path = write(
        tmp_path,
        "huge.eml",
        "From: a@example.com\nSubject: huge\nDate: Tue, 12 Mar 2024 17:15:30 +0000\n\n"
        + "line of text\n" * 500,
    )
    items = run(path)
    entry = only_entry(items)
    assert entry.meta["subject"] == "huge" and entry.occurred_ms == ms(2024, 3, 12, 17, 15, 30)
    assert entry.text is None
    assert "only its header was read" in problems(items)[0]


def test_nested_message_becomes_an_eml_attachment(tmp_path: Path) -> None:
    inner = "From: stalker@example.com\nSubject: original threat\n\nI am watching.\n"
    path = write(
        tmp_path,
        "fwd.eml",
        "From: friend@example.com\nSubject: Fwd: original threat\n"
        "Date: Tue, 12 Mar 2024 17:15:30 +0000\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
        "see below\n--b\nContent-Type: message/rfc822\n\n" + inner + "--b--\n",
    )
    items = run(path)
    (forwarded,) = attachments(items)
    assert forwarded.name == "part-1.eml" and forwarded.media_type == "message/rfc822"
    # the line break before the boundary belongs to the boundary (RFC 2046)
    assert forwarded.data == inner.encode().removesuffix(b"\n")
    assert only_entry(items).text == "see below"


def test_hostile_attachment_names_lose_their_folders(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "evil.eml",
        "From: a@example.com\nSubject: x\nContent-Type: multipart/mixed; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\nx\n--b\nContent-Type: application/octet-stream\n"
        'Content-Disposition: attachment; filename="../../etc/passwd"\n\ndata\n'
        "--b\nContent-Type: application/octet-stream\n"
        'Content-Disposition: attachment; filename="C:\\\\evil\\\\x.exe"\n\nmore\n--b--\n',
    )
    assert [a.name for a in attachments(run(path))] == ["_.._etc_passwd", "C:_evil_x.exe"]


def test_time_fallbacks(tmp_path: Path) -> None:
    no_zone = write(
        tmp_path, "z.eml", "From: a@x\nSubject: s\nDate: 12 Mar 2024 17:15:30 -0000\n\nb"
    )
    entry = only_entry(run(no_zone))
    assert entry.occurred_ms == ms(2024, 3, 12, 17, 15, 30) and entry.utc_offset_min is None
    assert entry.meta["date_zone_unknown"] is True and entry.time_source is TimeSource.HEADER
    received = write(
        tmp_path,
        "r.eml",
        "Received: from a by b; Wed, 13 Mar 2024 01:00:00 +0100\n"
        "Received: from c by a; Tue, 12 Mar 2024 23:00:00 +0000\n"
        "From: a@x\nSubject: s\nDate: not a date\n\nb",
    )
    entry = only_entry(run(received, mtime_ms=1_700_000_000_000))
    assert entry.occurred_ms == ms(2024, 3, 13, 0, 0, 0) and entry.utc_offset_min == 60
    assert entry.meta["time_from"] == "received"
    bare = write(tmp_path, "m.eml", "From: a@x\nSubject: s\n\nb")
    entry = only_entry(run(bare, mtime_ms=1_700_000_000_000))
    assert entry.occurred_ms == 1_700_000_000_000 and entry.time_source is TimeSource.FILE_MTIME
    entry = only_entry(run(bare))
    assert entry.occurred_ms is None and entry.time_source is TimeSource.UNKNOWN


def test_dedup_key_is_the_message_id_whatever_the_container(tmp_path: Path) -> None:
    message = (
        "From: a@x\nSubject: s\nDate: Tue, 12 Mar 2024 17:15:30 +0000\nMessage-ID: <m@x>\n\nb\n"
    )
    eml = only_entry(run(write(tmp_path, "m.eml", message)))
    mbox = only_entry(
        run(write(tmp_path, "m.mbox", "From a@x Tue Mar 12 17:15:30 2024\n" + message))
    )
    assert eml.dedup_key == mbox.dedup_key == "<m@x>"
    assert eml.occurred_ms == mbox.occurred_ms


def test_empty_and_not_mail(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="the file is empty"):
        run(write(tmp_path, "e.eml", b""))
    with pytest.raises(UnreadableFile, match="no e-mail header lines"):
        run(write(tmp_path, "n.eml", b"\x89PNG\r\n\x1a\n\x00\x00binary"))


def test_ole_file_that_is_not_a_message(tmp_path: Path) -> None:
    path = write(tmp_path, "report.msg", email_messages.OLE_MAGIC + b"\0" * 600)
    with pytest.raises(UnreadableFile):
        run(path)


def test_sniff() -> None:
    assert email_messages.sniff(b"From: a@x\nSubject: hi\n\nbody", "x.txt")
    assert email_messages.sniff(b"Received: x\n y\nX-Foo: 1\n\n", "noext")
    assert email_messages.sniff(b"From a@x Tue Mar 12 17:15:30 2024\nSubject: s\n\nb", "a")
    assert not email_messages.sniff(b"Subject: groceries\nmilk, eggs\n", "note.txt")
    assert not email_messages.sniff(b"Dear diary,\nFrom: nowhere\n", "note.txt")
    assert not email_messages.sniff(b"Subject: only one field\n\ntext", "x.txt")
    ole = email_messages.OLE_MAGIC + b"\0" * 100
    assert email_messages.sniff(ole, "Mail.MSG")
    assert not email_messages.sniff(ole, "report.doc")
    assert email_messages.sniff(ole + "__substg1.0_0037001F".encode("utf-16-le"), "x")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=2048),
    prefix=st.sampled_from([b"", b"From: a@x\n", b"From x 1:00 2024\n"]),
)
def test_nothing_but_unreadable_file_escapes(tmp_path: Path, data: bytes, prefix: bytes) -> None:
    path = write(tmp_path, "fuzz.eml", prefix + data)
    try:
        items = run(path)
    except UnreadableFile as exc:
        assert str(exc)
        return
    check_order(items)
