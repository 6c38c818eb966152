"""One sentence, not a bare ModuleNotFoundError, when a module needs the `[notebooks]` extra.

`pip install selfattn_lib` (no extra) installs numpy only: the math works, while the plots, widgets
and checks shown in the notebooks need matplotlib and ipywidgets. Importing one of those modules
without them raises `MissingExtra`, which names the module, what it lacks and the command that
installs it. It is found here, once, for every submodule (their own imports stay plain): each
submodule's loader is wrapped so that a missing third-party module becomes that sentence.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys

PACKAGE = "selfattn_lib"
EXTRA = "notebooks"
HOW = (
    "pip install 'selfattn_lib[notebooks]' (from a clone of the course: pip install '.[notebooks]', "
    "or pip install -r requirements.txt for everything a learner needs)"
)
# Missing modules the extra does not bring: the package itself, and its one dependency.
NOT_THE_EXTRA = {"", PACKAGE, "numpy"}


class MissingExtra(ModuleNotFoundError):
    """A module of selfattn_lib needs the [notebooks] extra, which is not installed."""

    def _render_traceback_(self):  # IPython and Jupyter show this sentence instead of a traceback
        return [f"{type(self).__name__}: {self}"]


class _Loader(importlib.abc.Loader):
    def __init__(self, loader):
        self._loader = loader

    def __getattr__(self, name):  # get_source, get_resource_reader, ...: the wrapped loader's
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        try:
            self._loader.exec_module(module)
        except MissingExtra:
            raise
        except ModuleNotFoundError as missing:
            top = (missing.name or "").partition(".")[0]
            if top in NOT_THE_EXTRA:
                raise
            raise MissingExtra(
                f"{module.__name__} needs {top}, part of the [{EXTRA}] extra, which is not installed: {HOW}",
                name=missing.name,
            ) from None


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if not fullname.startswith(PACKAGE + ".") or path is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None and not isinstance(spec.loader, _Loader):
            spec.loader = _Loader(spec.loader)
        return spec


def install() -> None:
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
