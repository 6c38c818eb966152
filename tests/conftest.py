import sys
from pathlib import Path

# tests import the reference implementation next to them
sys.path.insert(0, str(Path(__file__).parent))


# The simulated Binder launch builds a whole environment (minutes): only `make binder-launch` runs it.
LAUNCH_TEST = "test_binder_launch.py"


def pytest_addoption(parser):
    parser.addoption("--binder-launch", action="store_true",
                     help=f"run tests/{LAUNCH_TEST}, the simulated Binder launch (make binder-launch)")


def pytest_ignore_collect(collection_path, config):
    if collection_path.name == LAUNCH_TEST and not config.getoption("--binder-launch"):
        return True
    return None
