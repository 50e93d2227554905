"""One WhatsApp chat exported twice, in the forms WhatsApp offers (issue #18).

WhatsApp's "Export chat" gives a text file alone or a zip with the media ("Attach
media" / "Without media"). An iPhone names the text ``_chat.txt`` inside a zip called
after the chat and writes ``<attached: 00000003-PHOTO-….jpg>``, or "image omitted"
without media; Android writes "WhatsApp Chat with NAME.txt", ``IMG-….jpg (file
attached)``, or ``<Media omitted>``. Users import both forms of one chat, in either
order. The messages must not double, and the files must reach their messages.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from PIL import Image

from nco_desktop.importers.batch import Outcome, import_paths
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file

IOS_WITH_MEDIA = (
    "[09/03/2024, 22:10:00] Alex Roe: \u200eMessages and calls are end-to-end encrypted. "
    "No one outside of this chat, not even WhatsApp, can read or listen to them.\n"
    "[09/03/2024, 22:13:05] Alex Roe: where are you\n"
    "[09/03/2024, 22:14:10] Alex Roe: \u200e<attached: 00000003-PHOTO-2024-03-09-22-14-10.jpg>\n"
    "[09/03/2024, 22:14:40] Alex Roe: \u200e<attached: 00000004-PHOTO-2024-03-09-22-14-40.jpg>\n"
    "[13/03/2024, 22:15:00] Sam Doe: leave me alone\n"
)
IOS_WITHOUT_MEDIA = IOS_WITH_MEDIA.replace(
    "\u200e<attached: 00000003-PHOTO-2024-03-09-22-14-10.jpg>", "\u200eimage omitted"
).replace("\u200e<attached: 00000004-PHOTO-2024-03-09-22-14-40.jpg>", "\u200eimage omitted")
ANDROID_WITH_MEDIA = (
    "09/03/2024, 22:10 - Messages and calls are end-to-end encrypted. No one outside of "
    "this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n"
    "09/03/2024, 22:13 - Alex Roe: where are you\n"
    "09/03/2024, 22:14 - Alex Roe: IMG-20240309-WA0001.jpg (file attached)\n"
    "I see your car\n"
    "09/03/2024, 22:14 - Alex Roe: PTT-20240309-WA0002.opus (file attached)\n"
    "13/03/2024, 22:15 - Sam Doe: leave me alone\n"
)
ANDROID_WITHOUT_MEDIA = ANDROID_WITH_MEDIA.replace(
    "IMG-20240309-WA0001.jpg (file attached)\nI see your car", "<Media omitted>"
).replace("PTT-20240309-WA0002.opus (file attached)", "<Media omitted>")
MESSAGES = 4  # each export: the encryption notice, and four lines by people


def _jpeg(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (shade, 90, 40)).save(out, "JPEG")
    return out.getvalue()


MEDIA = {
    "00000003-PHOTO-2024-03-09-22-14-10.jpg": _jpeg(10),
    "00000004-PHOTO-2024-03-09-22-14-40.jpg": _jpeg(200),
    "IMG-20240309-WA0001.jpg": _jpeg(120),
    "PTT-20240309-WA0002.opus": b"OggS\0\2" + bytes(58) + b"OpusHead",
}


def _zip(path: Path, text_name: str, text: str, media: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(text_name, text)
        for name in media:
            zf.writestr(name, MEDIA[name])
    return path


def _import_both(tmp_path: Path, first: Path, second: Path) -> tuple[Vault, str]:
    """The vault with both imported, and what the second import said."""
    vault = Vault.create(
        tmp_path / "case.ncovault", PASSPHRASE, time_zone="Europe/London", kdf=TEST_KDF
    )
    options = {"date_order": "day-first", "me": "Sam Doe"}
    for path in (first, second):
        summary = import_paths(vault, [path], thumbnails=False, options=options)
        assert [r.outcome for r in summary.results] == [Outcome.IMPORTED], summary.results
    return vault, summary.results[0].message


def _messages(vault: Vault) -> list[tuple[str, int]]:
    """Each message or system line, with how many files are linked to it."""
    return list(
        vault.conn.execute(
            "SELECT e.text, (SELECT count(*) FROM entry_attachments a WHERE a.entry_id = e.id) "
            "FROM entries e WHERE e.kind = 'message' ORDER BY e.occurred_ms, e.id"
        )
    )


def _linked_names(vault: Vault) -> list[str]:
    return sorted(
        row[0]
        for row in vault.conn.execute(
            "SELECT o.original_name FROM entry_attachments a JOIN originals o "
            "ON o.id = a.original_id"
        )
    )


def test_an_iphone_chat_text_then_its_zip_does_not_double(tmp_path):
    text = write_file(tmp_path / "a" / "_chat.txt", IOS_WITH_MEDIA)
    media = ["00000003-PHOTO-2024-03-09-22-14-10.jpg", "00000004-PHOTO-2024-03-09-22-14-40.jpg"]
    zipped = _zip(
        tmp_path / "b" / "WhatsApp Chat - Alex Roe.zip", "_chat.txt", IOS_WITH_MEDIA, media
    )
    vault, said = _import_both(tmp_path, text, zipped)
    with vault:
        messages = _messages(vault)
        assert len(messages) == MESSAGES + 1  # not doubled
        assert [n for _t, n in messages] == [0, 0, 1, 1, 0]
        assert _linked_names(vault) == sorted(media)
        (thread,) = {
            r[0]
            for r in vault.conn.execute("SELECT thread_key FROM entries WHERE kind = 'message'")
        }
        assert thread == "Alex Roe"  # named by the chat itself, not by "_chat"
        assert "2 files linked to messages an earlier export" in said


def test_an_android_chat_text_then_its_zip_links_the_zips_files(tmp_path):
    name = "WhatsApp Chat with Alex Roe"
    text = write_file(tmp_path / "a" / f"{name}.txt", ANDROID_WITH_MEDIA)
    media = ["IMG-20240309-WA0001.jpg", "PTT-20240309-WA0002.opus"]
    zipped = _zip(tmp_path / "b" / f"{name}.zip", f"{name}.txt", ANDROID_WITH_MEDIA, media)
    vault, said_second = _import_both(tmp_path, text, zipped)
    with vault:
        messages = _messages(vault)
        assert len(messages) == MESSAGES + 1
        assert [n for _t, n in messages] == [0, 0, 1, 1, 0]
        assert _linked_names(vault) == media
        (said,) = vault.conn.execute(
            "SELECT details_json FROM audit_log WHERE action = 'import.file' "
            "ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        assert json.loads(said)["linked_to_earlier"] == 2
        assert "2 files linked to messages an earlier export" in said_second
        assert verify_vault(vault).intact  # linking touched no entry an import recorded


def test_without_media_then_with_media_keeps_one_copy_and_links_the_files(tmp_path):
    name = "WhatsApp Chat with Alex Roe"
    for forms, media, text_name in (
        (
            (ANDROID_WITHOUT_MEDIA, ANDROID_WITH_MEDIA),
            ["IMG-20240309-WA0001.jpg", "PTT-20240309-WA0002.opus"],
            f"{name}.txt",
        ),
        (
            (IOS_WITHOUT_MEDIA, IOS_WITH_MEDIA),
            ["00000003-PHOTO-2024-03-09-22-14-10.jpg", "00000004-PHOTO-2024-03-09-22-14-40.jpg"],
            "_chat.txt",
        ),
    ):
        case = tmp_path / text_name.replace(".", "-")
        without = _zip(case / "a" / f"{name}.zip", text_name, forms[0], [])
        with_media = _zip(case / "b" / f"{name}.zip", text_name, forms[1], media)
        vault, _said = _import_both(case, without, with_media)
        with vault:
            messages = _messages(vault)
            assert len(messages) == MESSAGES + 1, messages
            assert [n for _t, n in messages] == [0, 0, 1, 1, 0]
            assert _linked_names(vault) == sorted(media)


def test_the_zip_first_then_the_text_adds_nothing(tmp_path):
    name = "WhatsApp Chat with Alex Roe"
    media = ["IMG-20240309-WA0001.jpg", "PTT-20240309-WA0002.opus"]
    zipped = _zip(tmp_path / "a" / f"{name}.zip", f"{name}.txt", ANDROID_WITH_MEDIA, media)
    text = write_file(tmp_path / "b" / f"{name}.txt", ANDROID_WITHOUT_MEDIA)
    vault, _said = _import_both(tmp_path, zipped, text)
    with vault:
        assert [n for _t, n in _messages(vault)] == [0, 0, 1, 1, 0]


def test_a_look_alike_zip_cannot_add_its_files_to_messages_that_have_theirs(tmp_path):
    """Found in review: the other person holds the same chat and could send a zip of it
    with a doctored picture; its file must not join the message's genuine one."""
    name = "WhatsApp Chat with Alex Roe"
    media = ["IMG-20240309-WA0001.jpg", "PTT-20240309-WA0002.opus"]
    genuine = _zip(tmp_path / "a" / f"{name}.zip", f"{name}.txt", ANDROID_WITH_MEDIA, media)
    doctored = tmp_path / "b" / "funny cats.zip"
    doctored.parent.mkdir(parents=True)
    with zipfile.ZipFile(doctored, "w") as zf:
        zf.writestr(f"{name}.txt", ANDROID_WITH_MEDIA)
        zf.writestr("IMG-20240309-WA0001.jpg", _jpeg(250))  # not the genuine picture
        zf.writestr("PTT-20240309-WA0002.opus", MEDIA["PTT-20240309-WA0002.opus"])
    vault = Vault.create(tmp_path / "case.ncovault", PASSPHRASE, time_zone="Europe/London",
                         kdf=TEST_KDF)  # fmt: skip
    with vault:
        options = {"date_order": "day-first", "me": "Sam Doe"}
        import_paths(vault, [genuine], thumbnails=False, options=options)
        second = import_paths(vault, [doctored], thumbnails=False, options=options)
        assert [n for _t, n in _messages(vault)] == [0, 0, 1, 1, 0]  # one file each
        assert _linked_names(vault) == media
        said = second.results[0].problems
        assert any("files of their own" in problem for problem in said)
