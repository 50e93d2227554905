"""Every file in ../shared/samples through the real pipeline: detection by content, the
sandboxed parsers, the writer. Each file imports with the format expected of it, or is
kept with a clear sentence; duplicates across overlapping exports are not doubled; the
vault verifies afterwards. Expectations were checked by hand against the files (the
per-format unit tests hold the exact times and texts).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nco_desktop.importers.batch import Outcome, import_paths
from nco_desktop.verification import verify_vault
from tests.conftest import SAMPLES

NOTE = "note"
DOC = "document"
PIC = "picture"

# folder → {file name (prefix) → (outcome, kind, entries added)}; SOURCES.txt is a note.
FB = "msgvault__{}~your_activity_across_facebook~messages~{}~message_1.json"

EXPECTED: dict[str, dict[str, tuple[Outcome, str | None, int]]] = {
    "sms_backup_restore": {
        "mobilecombackup__archive-calls.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 16),
        "mobilecombackup__calls-test-00.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 3),
        "mobilecombackup__calls-test-01.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 3),
        "mobilecombackup__sms-test.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 15),
        "sbr2__corrupt_attachments.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 2),
        "sbr2__empty.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 0),
        "sbr2__sample_mms.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 4),
        "sbr2__sms_and_mms.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 49),
        "sbr2__sms_small.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 0),  # all in the above
        "shruggietech__edge_cases.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 4),
        "shruggietech__malformed.xml": (Outcome.KEPT, "SMS Backup & Restore", 1),
        "shruggietech__minimal_calls.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 1),
        "shruggietech__minimal_mms.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 1),
        "shruggietech__minimal_sms.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 1),
        "shruggietech__mixed.xml": (Outcome.IMPORTED, "SMS Backup & Restore", 4),
    },
    "whatsapp_txt": {
        # Every date in these reads two ways (12/9/20): the import asks (issue #18);
        # the answer is given below and they import then.
        "chatanalytics__android_group_mdyy_24h_4A_11M.txt": (
            Outcome.NEEDS_CHOICE,
            "WhatsApp chat",
            0,
        ),
        "chatanalytics__android_mdyy_media_omitted_2A_5M.txt": (
            Outcome.IMPORTED,
            "WhatsApp chat",
            5,
        ),
        "chatanalytics__export_zip_4A_11M.zip": (Outcome.NEEDS_CHOICE, "WhatsApp chat", 0),
        "chatminer__android_ddmmyy_24h.txt": (Outcome.IMPORTED, "WhatsApp chat", 9),
        "chatminer__android_mmddyy_24h.txt": (Outcome.IMPORTED, "WhatsApp chat", 9),
        "chatminer__android_mmddyyyy_12h_es.txt": (Outcome.IMPORTED, "WhatsApp chat", 9),
        "chatminer__android_yyyymmdd_24h.txt": (Outcome.IMPORTED, "WhatsApp chat", 9),
        "chatminer__expected_parse.json": (Outcome.IMPORTED, DOC, 1),
        "chatminer__ios_bracket_mmddyy_24h.txt": (Outcome.IMPORTED, "WhatsApp chat", 9),
        "pustur__header_variants_from_tests.txt": (Outcome.IMPORTED, "WhatsApp chat", 12),
        "whatstk__header_format_support.json": (Outcome.IMPORTED, DOC, 1),
        "whatstk__lorem_bracket_yymmdd_hms.txt": (Outcome.IMPORTED, "WhatsApp chat", 500),
        "whatstk__lorem_merge_part1_yyyy-mm-dd.txt": (Outcome.IMPORTED, "WhatsApp chat", 300),
        "whatstk__pokemon_de_ddmmyyyy.txt": (Outcome.IMPORTED, "WhatsApp chat", 20),
    },
    "email": {
        "cpython__mailbox_01.mbox": (Outcome.IMPORTED, "e-mail", 1),
        "extract-msg__strangeDate.msg": (Outcome.IMPORTED, "e-mail", 1),
        "extract-msg__unicode.msg": (Outcome.IMPORTED, "e-mail", 1),
        "mailparser__mail_malformed_2.eml": (Outcome.IMPORTED, "e-mail", 1),
        "mailparser__mail_outlook_1.msg": (Outcome.IMPORTED, "e-mail", 1),
        "mailparser__mail_test_12.eml": (Outcome.IMPORTED, "e-mail", 1),
        "mailparser__mail_test_14.eml": (Outcome.IMPORTED, "e-mail", 1),
        "mailparser__mail_test_17.eml": (Outcome.IMPORTED, "e-mail", 1),
        "mailparser__mail_test_3.eml": (Outcome.IMPORTED, "e-mail", 1),
        "mailparser__mail_test_9.eml": (Outcome.IMPORTED, "e-mail", 1),
        "msgvault__mboxrd_two_messages.mbox": (Outcome.IMPORTED, "e-mail", 2),
    },
    "screenshots_photos": {
        **{
            name: (Outcome.IMPORTED, PIC, 1)
            for name in (
                "exifsamples__HMD_Nokia_8.3_5G.heif",
                "exifsamples__HMD_Nokia_8.3_5G_android.jpg",
                "exifsamples__iPhone11ProMax_iOS14_IMG_5195.HEIC",
                "exifsamples__iphone6_iOS8.3_hdr.jpg",
                "exifsamples__iphone_13_pro_max.HEIC",
                "pillow__eXIf_chunk_tIME_tEXt_dates.png",
                "pillow__exif_in_tEXt.png",
                "pillow__imagemagick_raw_profile_exif.png",
                "pillow__itxt_comment_tIME.png",
                "pillowheif__L_exif_xmp_iptc.heic",
                "pillowheif__apple_vision_pro_spatial_photo.heic",
                "pillowheif__xiaomi_android.heic",
                "pillowheif__xmp_itxt.png",
            )
        },
        "pillowheif__corrupted.heic": (Outcome.KEPT, PIC, 1),
        "pillowheif__truncated.heic": (Outcome.KEPT, PIC, 1),
        "pillowheif__empty.heic": (Outcome.FAILED, None, 0),
    },
    "voicemail_audio": {
        name: (Outcome.IMPORTED, "voicemail or recording", 1)
        for name in (
            "mutagen__alac.m4a",
            "mutagen__example.opus",
            "mutagen__has-tags.m4a",
            "mutagen__no-tags.3g2",
            "mutagen__no-tags.m4a",
        )
    },
    "google_voice_takeout": {
        "msgvault__Group Conversation - 2020-02-05T17_16_14Z.html": (
            Outcome.IMPORTED,
            "Google Voice",
            2,
        ),
        "msgvault__Keith Stern - Received - 2020-02-05T23_26_28Z.html": (
            Outcome.IMPORTED,
            "Google Voice",
            1,
        ),
        "msgvault__Keith Stern - Text - 2020-02-03T17_37_45Z.html": (
            Outcome.IMPORTED,
            "Google Voice",
            2,
        ),
        "msgvault__Kicy Motley - Placed - 2020-02-03T20_05_20Z.html": (
            Outcome.IMPORTED,
            "Google Voice",
            1,
        ),
        "msgvault__mms_video_attachment_text.html": (Outcome.IMPORTED, "Google Voice", 1),
    },
    "telegram_signal_json": {
        "chatanalytics__telegram_result_DM_2A_7M.json": (
            Outcome.IMPORTED,
            "Telegram chat",
            8,
        ),
        "chatminer__signal_export_carderne_style.txt": (
            Outcome.IMPORTED,
            "Signal chat",
            2,
        ),
        "chatminer__telegram_full_account_result.json": (
            Outcome.IMPORTED,
            "Telegram chat",
            2,
        ),
        "chatminer__telegram_single_chat.json": (Outcome.IMPORTED, "Telegram chat", 2),
    },
    "imessage_iphone": {
        "imessage-exporter__example_output.html": (
            Outcome.IMPORTED,
            "iMessage chat",
            11,
        ),
        "imessage-exporter__txt_expected_from_tests.txt": (
            Outcome.IMPORTED,
            "iMessage chat",
            9,
        ),
        # chat.db internals, not something a person exports: kept as documents
        "imessage-exporter__style.css": (Outcome.IMPORTED, DOC, 1),
        "AttributedBodyTextOnly.bin": (Outcome.IMPORTED, DOC, 1),
        "Deleted.plist": (Outcome.IMPORTED, DOC, 1),
    },
    "facebook_instagram_json": {
        "chatanalytics__messenger_message_1_2A_7M.json": (
            Outcome.IMPORTED,
            "Facebook/Instagram chat",
            7,
        ),
        "chatminer__instagram_message_1.json": (Outcome.IMPORTED, "Facebook/Instagram chat", 2),
        FB.format("corrupt", "inbox~broken_BAD"): (
            Outcome.KEPT,
            "Facebook/Instagram chat",
            1,
        ),
        FB.format("corrupt", "inbox~goodsibling_OK"): (
            Outcome.IMPORTED,
            "Facebook/Instagram chat",
            1,
        ),
        FB.format("json_nontext", "inbox~sam_NONTXT"): (
            Outcome.IMPORTED,
            "Facebook/Instagram chat",
            6,
        ),
        "msgvault__e2ee_simple~your_activity_across_facebook~messages~media~photo.jpg": (
            Outcome.IMPORTED,
            DOC,
            1,
        ),
    },
}


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_every_sample_imports_or_is_kept_with_a_reason(vault, folder):
    path = SAMPLES / folder
    if not path.is_dir():
        pytest.skip("shared/samples is not present")
    summary = import_paths(vault, [path])
    results = {r.name: r for r in summary.results}
    for name, (outcome, kind, entries) in EXPECTED[folder].items():
        result = results[name]
        assert (result.outcome, result.kind, result.entries_added) == (outcome, kind, entries), name
        if outcome in (Outcome.KEPT, Outcome.FAILED):
            assert result.message and "Traceback" not in result.message
    for result in summary.results:
        assert result.outcome is not Outcome.FAILED or result.name.endswith("empty.heic")
        if result.name == "SOURCES.txt":
            assert result.kind == NOTE
    asked = [Path(r.path) for r in summary.results if r.outcome is Outcome.NEEDS_CHOICE]
    if folder == "whatsapp_txt":  # answered as the files' names say (month, day, year)
        again = import_paths(vault, asked, options={"date_order": "month-first"})
        assert [(r.outcome, r.entries_added) for r in again.results] == [
            (Outcome.IMPORTED, 14),
            (Outcome.IMPORTED, 14),
        ]
    else:
        assert not asked
    report = verify_vault(vault)
    assert report.intact, report.problems
    if folder == "screenshots_photos":
        assert summary.thumbnails_made == 13
