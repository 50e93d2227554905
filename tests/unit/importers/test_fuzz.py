"""Random and mutated input thrown at every parser (hypothesis).

In-process, each parser must either yield well-formed items or raise UnreadableFile:
any other exception is a bug (the sandbox would contain it, but the user would get a
vaguer sentence). Through the whole pipeline, a damaged file never leaves a partial
import behind and the vault still verifies.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nco_desktop.importers.batch import Outcome, import_paths
from nco_desktop.importers.formats import available, load
from nco_desktop.importers.model import (
    FormatNote,
    ParsedAttachment,
    ParsedEntry,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timeline.query import iter_entries
from nco_desktop.verification import verify_vault
from tests.conftest import SAMPLES

SEEDS: dict[str, list[Path]] = {
    "sms_xml": [
        SAMPLES / "sms_backup_restore" / "shruggietech__edge_cases.xml",
        SAMPLES / "sms_backup_restore" / "sbr2__sample_mms.xml",
    ],
    "whatsapp": sorted((SAMPLES / "whatsapp_txt").glob("*.txt"))[:2],
    "email_messages": sorted((SAMPLES / "email").glob("*.eml"))[:2],
    "facebook": sorted((SAMPLES / "facebook_instagram_json").glob("*.json"))[:1],
    "telegram": sorted((SAMPLES / "telegram_signal_json").glob("*.json"))[:1],
    "google_voice": sorted((SAMPLES / "google_voice_takeout").glob("*.html"))[:1],
    "images": [SAMPLES / "screenshots_photos" / "pillowheif__xmp_itxt.png"],
    "audio": [SAMPLES / "voicemail_audio" / "mutagen__has-tags.m4a"],
}
MODULES = available()


def _mutate(data: bytes, cuts: list[tuple[int, int, bytes]], truncate: float | None) -> bytes:
    out = bytearray(data)
    for position, length, replacement in cuts:
        if out:
            at = position % len(out)
            out[at : at + length] = replacement
    if truncate is not None:
        out = out[: int(len(out) * truncate)]
    return bytes(out)


mutations = st.tuples(
    st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 64), st.binary(max_size=16)), max_size=6
    ),
    st.one_of(st.none(), st.floats(0.0, 1.0)),
)


def _check(module_name: str, path: Path) -> None:
    module = load(module_name)
    source = ParseSource(path, path.name, ZoneInfo("America/Chicago"), "US", 1_700_000_000_000)
    try:
        items = list(module.parse(source))
    except UnreadableFile as exc:
        assert str(exc).strip(), "an UnreadableFile must say why"
        return
    refs = set()
    for item in items:
        assert isinstance(item, ParsedAttachment | ParsedEntry | ParseProblem | FormatNote)
        if isinstance(item, ParsedAttachment):
            refs.add(item.ref)
        if isinstance(item, ParsedEntry):
            assert set(item.attachment_refs) <= refs, "an entry refers to an unknown attachment"


@pytest.mark.parametrize("module_name", MODULES)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.binary(max_size=4096))
def test_random_bytes(module_name, data, tmp_path):
    path = tmp_path / "random.bin"
    path.write_bytes(data)
    _check(module_name, path)


@pytest.mark.parametrize("module_name", [m for m in MODULES if SEEDS.get(m)])
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutation=mutations, which=st.integers(0, 3))
def test_mutated_real_files(module_name, mutation, which, tmp_path):
    seeds = [p for p in SEEDS[module_name] if p.is_file()]
    if not seeds:
        pytest.skip("shared/samples is not present")
    seed = seeds[which % len(seeds)]
    path = tmp_path / seed.name
    path.write_bytes(_mutate(seed.read_bytes(), *mutation))
    _check(module_name, path)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutation=mutations, which=st.sampled_from(sorted(SEEDS)))
def test_pipeline_never_keeps_half_a_file(vault, tmp_path_factory, mutation, which):
    seeds = [p for p in SEEDS[which] if p.is_file()]
    if not seeds:
        pytest.skip("shared/samples is not present")
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / seeds[0].name
    path.write_bytes(_mutate(seeds[0].read_bytes(), *mutation) or b"\0")
    before = {e.id for e in iter_entries(vault.conn)}
    (result,) = import_paths(vault, [folder], thumbnails=False).results
    added = [e for e in iter_entries(vault.conn) if e.id not in before]
    if result.outcome is Outcome.KEPT:
        assert [e.kind for e in added] == ["document"] and result.message
    elif result.outcome is Outcome.IMPORTED:
        assert len(added) == result.entries_added
    else:
        assert result.outcome is Outcome.DUPLICATE and not added
    assert verify_vault(vault).intact


def test_an_unknown_declared_encoding_is_a_clear_refusal(tmp_path):
    """Found by the mutation test above: 'UTF-8' cut to 'TF-8' raised LookupError."""
    path = tmp_path / "sms.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="TF-8"?>\n<smses count="0"></smses>\n')
    module = load("sms_xml")
    source = ParseSource(path, path.name, ZoneInfo("America/Chicago"), "US", 1_700_000_000_000)
    with pytest.raises(UnreadableFile, match="encoding"):
        list(module.parse(source))


def test_xmp_with_an_unknown_encoding_is_skipped_with_a_reason():
    from nco_desktop.importers.formats import images

    facts = images._Facts(
        kind="png",
        width=1,
        height=1,
        frames=1,
        xmp=b'<?xml version="1.0" encoding="TF-8"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>',
    )
    assert images._xmp_dates(facts) == []
    assert facts.rejected == ["XMP: unreadable or too large, skipped"]
