"""A vault replaced by an older copy is noticed (issue #16: no silent rollback).

The program remembers, outside the vault, the newest audit head it has seen per vault
id (a count and a hash). An older copy put back in its place — a backup copied over
it — is refused for writing until accepted, and said when read; a restore is a
deliberate step back and is accepted by itself.
"""

from __future__ import annotations

import json
import shutil

from nco_desktop.cli import main
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.vault.seen import SEEN_FILE, settings_folder
from tests.conftest import PASSPHRASE, write_file
from tests.support.factories import sms_xml


def test_an_older_copy_put_back_is_noticed_until_accepted(tmp_path, monkeypatch, capsys):
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="UTC", kdf=TEST_KDF).close()
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    vault = ["--vault", str(path)]
    write_file(tmp_path / "a" / "sms.xml", sms_xml(5))
    assert main(["import", *vault, str(tmp_path / "a")]) == 0
    shutil.copyfile(path, tmp_path / "old copy.ncovault")  # a copy made by hand, closed
    write_file(tmp_path / "b" / "sms.xml", sms_xml(30))
    assert main(["import", *vault, str(tmp_path / "b")]) == 0
    seen = json.loads((settings_folder() / SEEN_FILE).read_text())
    assert len(seen) == 1 and set(next(iter(seen.values()))) == {"rows", "hash"}  # no names
    shutil.copyfile(tmp_path / "old copy.ncovault", path)  # put back over the vault
    capsys.readouterr()
    assert main(["case", *vault, "--title", "Doe v. Roe"]) == 1  # a write: refused
    assert "older than the last time it was used on this computer" in capsys.readouterr().err
    assert main(["list", *vault]) == 0  # reading: a warning
    assert "warning: This vault is older" in capsys.readouterr().err
    assert main(["case", *vault, "--title", "Doe v. Roe", "--accept-older"]) == 0
    capsys.readouterr()
    assert main(["list", *vault]) == 0
    assert "older" not in capsys.readouterr().err  # accepted: no more warnings


def test_a_vault_that_only_grew_is_not_older(tmp_path, monkeypatch, capsys):
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="UTC", kdf=TEST_KDF).close()
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    for count in (3, 6):
        write_file(tmp_path / f"in{count}" / "sms.xml", sms_xml(count))
        assert main(["import", "--vault", str(path), str(tmp_path / f"in{count}")]) == 0
    with Vault.open(path, PASSPHRASE) as opened, opened.change() as change:
        change.audit("test.changed_elsewhere")  # used by another program: still newer
    capsys.readouterr()
    assert main(["list", "--vault", str(path)]) == 0
    assert "older" not in capsys.readouterr().err
