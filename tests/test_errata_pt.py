"""ERRATA.pt.md, the Portuguese errata, is generated from the same audit data as ERRATA.md
(tools/make_errata.py) and is up to date; both files give the same numbers."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_errata():
    spec = importlib.util.spec_from_file_location("make_errata", ROOT / "tools" / "make_errata.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_portuguese_errata_file_is_in_sync_with_the_audit():
    assert (ROOT / "ERRATA.pt.md").read_text(encoding="utf-8") == make_errata().errata_text_pt()


def numbers(text: str) -> list[str]:
    return re.findall(r"-?\d+(?:\.\d+)?", text)


def table_numbers(text: str) -> list[str]:
    return [n for line in text.splitlines() if line.startswith("|") for n in numbers(line)]


def test_both_errata_tables_give_the_same_numbers_in_the_same_order():
    """Same audit data, same tables (every row, every number): only the words differ."""
    module = make_errata()
    english, portuguese = table_numbers(module.errata_text()), table_numbers(module.errata_text_pt())
    assert len(english) > 200 and english == portuguese


def test_the_check_fails_when_the_portuguese_file_is_stale(tmp_path, monkeypatch):
    module = make_errata()
    stale = tmp_path / "ERRATA.pt.md"
    stale.write_text(module.errata_text_pt().replace("23 estão errados", "22 estão errados"), encoding="utf-8")
    english = tmp_path / "ERRATA.md"
    english.write_text(module.errata_text(), encoding="utf-8")
    monkeypatch.setattr(module, "ERRATA", english)
    monkeypatch.setattr(module, "ERRATA_PT", stale)
    assert module.main(["--check"]) == 1
