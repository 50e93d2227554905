"""Window tests: our QApplication subclass, canned prompts, a window per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nco_desktop.importers.batch import import_paths
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.detail.detail_pane import DetailPane
from nco_desktop.ui.shell.app import NcoApplication
from nco_desktop.vault import Vault
from tests.conftest import TemplateVaults
from tests.support.factories import build_case


@pytest.fixture(scope="session")
def qapp_cls() -> type[NcoApplication]:
    return NcoApplication


@pytest.fixture(autouse=True)
def canned_prompts() -> Iterator[None]:
    """Every test starts with no queued answers, and none may be left unused; a message
    or question nobody queued an answer for fails the test instead of waiting forever."""
    prompts.reset()
    prompts.strict = True
    yield
    prompts.strict = False
    left = list(prompts._canned)
    prompts.reset()
    assert not left, f"canned answers never asked for: {left}"


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Qt settles where settings live once per process, so each test empties them."""
    from nco_desktop.ui.common.app_settings import AppSettings

    AppSettings()._settings.clear()
    yield
    AppSettings()._settings.clear()


@pytest.fixture(autouse=True)
def no_background_reading(monkeypatch) -> None:
    """The window reads the text in pictures after a vault opens; most tests open one
    with pictures and would each start a reader. Its own tests turn it back on."""
    from nco_desktop.ui.shell.ocr_background import OcrBackground

    monkeypatch.setattr(OcrBackground, "enabled", False)


@pytest.fixture
def demo_path(tmp_path: Path, templates: TemplateVaults) -> Path:
    """Where the window keeps its demo case: a copy of the run's demo template, so
    "Try the demo case" opens it instead of making it again in every test (making it
    is tested in tests/e2e/test_demo_case.py)."""
    return templates.copy("demo", tmp_path / "demo" / "demo.ncovault")


@pytest.fixture
def session(qtbot, vault) -> Iterator[VaultSession]:
    """The window's one owner of the open vault, for views tested alone.

    It depends on ``vault`` so that it is torn down first: every job is stopped and
    waited for and every view lets go (a debounce timer that fires later finds no
    vault) before the vault fixture closes the connection.
    """
    owner = VaultSession()
    yield owner
    owner.detach()
    assert owner.running_jobs == 0, "a job outlived the detach"


@pytest.fixture
def show_view(qtbot, session) -> Callable[..., Any]:
    """Make a view as the window does: given the session, sized, shown and exposed,
    then opened on *vault* (a shown view reads at once, as on screen)."""

    def show(
        view_type: type[Any], vault: Vault | None = None, size: tuple[int, int] = (1100, 680)
    ) -> Any:
        widget = view_type(session)
        qtbot.addWidget(widget)
        widget.resize(*size)
        widget.show()
        qtbot.waitExposed(widget)
        if vault is not None:
            session.open(vault)
        return widget

    return show


@pytest.fixture
def case(vault: Vault, tmp_path: Path) -> Vault:
    """A vault holding one of each kind the importers make from files (the detail
    pane's tests; a test module may define its own ``case``)."""
    import_paths(vault, [build_case(tmp_path / "in")])
    return vault


@pytest.fixture
def pane(qtbot: Any, case: Vault, session: VaultSession) -> DetailPane:
    """The detail pane on :func:`case`, shown at a sidebar's size."""
    widget = DetailPane(session)
    qtbot.addWidget(widget)
    widget.resize(440, 700)
    widget.session.open(case)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
