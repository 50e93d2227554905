"""Where settings live (portable mode) and how the program names itself (issue #17)."""

from __future__ import annotations

import sys
from pathlib import Path

from nco_desktop import presence
from nco_desktop.presence import built_neutral, portable_folder, settings_folder


def _frozen(monkeypatch, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "nco-desktop"
    program.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    return program


def test_an_installed_program_keeps_settings_in_the_users_profile(tmp_path, monkeypatch):
    _frozen(monkeypatch, tmp_path / "opt")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert portable_folder() is None
    assert settings_folder() == tmp_path / "config" / "NCO Desktop"


def test_a_portable_mark_beside_the_program_keeps_settings_beside_it(tmp_path, monkeypatch):
    program = _frozen(monkeypatch, tmp_path / "usb" / "NCO Desktop")
    (program.parent / "portable").write_text("")
    assert settings_folder() == program.parent / "settings"


def test_a_portable_mark_means_nothing_to_a_checkout(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "frozen", False, raising=False)
    assert presence.program_folder() is None and portable_folder() is None


def test_the_settings_folder_can_be_named(tmp_path, monkeypatch):
    monkeypatch.setenv("NCO_SETTINGS_DIR", str(tmp_path / "elsewhere"))
    assert settings_folder() == tmp_path / "elsewhere"


def test_a_neutral_build_is_told_by_its_resources(tmp_path, monkeypatch):
    monkeypatch.setenv("NCO_RESOURCES", str(tmp_path))
    assert not built_neutral()
    (tmp_path / "presence").write_text("neutral\n")
    assert built_neutral()
    (tmp_path / "presence").write_text("named")
    assert not built_neutral()
    assert presence.display_name(True) == "Notes"


def test_portable_mode_keeps_the_demo_case_beside_the_program_too(tmp_path, monkeypatch):
    from nco_desktop.demo.case import demo_vault_path

    program = _frozen(monkeypatch, tmp_path / "usb" / "NCO Desktop")
    (program.parent / "portable").write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "profile"))
    assert demo_vault_path().parent == program.parent / "settings"
