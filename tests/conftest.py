import os
import sys
import tempfile
from pathlib import Path

# tests import the reference implementation next to them
sys.path.insert(0, str(Path(__file__).parent))


# The simulated Binder launch builds a whole environment (minutes): only `make binder-launch` runs it.
LAUNCH_TEST = "test_binder_launch.py"


def pytest_addoption(parser):
    parser.addoption(
        "--binder-launch",
        action="store_true",
        help=f"run tests/{LAUNCH_TEST}, the simulated Binder launch (make binder-launch)",
    )


def pytest_ignore_collect(collection_path, config):
    if collection_path.name == LAUNCH_TEST and not config.getoption("--binder-launch"):
        return True
    return None


def pytest_configure(config):
    # The main process of a parallel run names the file its workers write their report lines to (say.py).
    from say import REPORT_FILE

    if not hasattr(config, "workerinput"):
        handle, path = tempfile.mkstemp(prefix="selfattn-test-report-", suffix=".txt")
        os.close(handle)
        os.environ[REPORT_FILE] = path
        config._selfattn_report = path


def pytest_terminal_summary(terminalreporter, config):
    path = getattr(config, "_selfattn_report", None)
    if not path:
        return
    try:
        text = Path(path).read_text(encoding="utf-8")
    finally:
        Path(path).unlink(missing_ok=True)
        os.environ.pop("SELFATTN_TEST_REPORT", None)
    if text.strip():
        terminalreporter.section("what the tests report")
        terminalreporter.write(text)


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _learner_language_reset():
    """A test that speaks as a Portuguese notebook (strings.speaker("pt")) leaves the library's
    errors in English for the next test."""
    yield
    from selfattn_lib import strings

    strings._LEARNER_LANGUAGE[0] = strings.DEFAULT_LANGUAGE
