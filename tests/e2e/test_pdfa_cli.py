"""binder --pdfa from the command line, volumes included (#19)."""

from __future__ import annotations

import io
import zipfile

import pikepdf
from PIL import Image

from nco_desktop.cli import main
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE, write_file


def _photo(shade: int) -> bytes:
    out = io.BytesIO()
    Image.effect_noise((900, 700), 60 + shade).convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


def _is_pdfa(pdf: pikepdf.Pdf) -> None:
    """The parts every PDF/A file has (each clause has its own test in test_binder_pdfa)."""
    root = pdf.Root
    assert "/OutputIntents" in root and str(root.Lang) == "en-US"
    assert str(root.OutputIntents[0].S) == "/GTS_PDFA1"
    xmp = bytes(root.Metadata.read_bytes())
    assert b"<pdfaid:part>2</pdfaid:part>" in xmp or b'pdfaid:part="2"' in xmp
    assert len(pdf.trailer.ID) == 2


def test_pdfa_binder_and_each_of_its_volumes(tmp_path, monkeypatch, capsys):
    vault = tmp_path / "case.ncovault"
    Vault.create(vault, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF).close()
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    folder = tmp_path / "in"
    for number in range(4):  # four distinct pictures, each a page of its own
        write_file(folder / f"IMG_2024030{number + 1}_221500.jpg", _photo(number * 20))
    assert main(["import", "--vault", str(vault), str(folder)]) == 0
    out = tmp_path / "binder.pdf"
    args = ["binder", "--vault", str(vault), "--out", str(out), "--pdfa", "--split-mb", "0.9"]
    assert main(args) == 0
    said = capsys.readouterr().out
    assert "volume “binder-vol2.pdf”" in said
    volumes = sorted(tmp_path.glob("binder-vol*.pdf"))
    for path in [out, *volumes]:
        with pikepdf.open(path) as pdf:
            _is_pdfa(pdf)
    with pikepdf.open(volumes[0]) as first:
        assert "volume 1 of" in str(first.docinfo.Title)
    assert not zipfile.is_zipfile(out)  # a plain PDF, nothing attached
