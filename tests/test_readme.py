"""The README stays true: every setting is documented, the two set-up commands are on top."""

from __future__ import annotations

from conftest import ROOT

from kb.config import Settings


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [f"KB_{n.upper()}" for n in Settings.model_fields if f"`KB_{n.upper()}`" not in readme]
    assert missing == []


def test_first_screen_gives_the_two_commands():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:20])
    assert "make run" in first_screen and "make test" in first_screen
