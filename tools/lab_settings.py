"""Put the course's JupyterLab settings and its extension (jupyter-config/) into this environment, where a
wheel puts them.

`pip install .` (Binder's postBuild, the hub, "Without make") installs them as the package's data
files, listed in pyproject.toml's [tool.setuptools.data-files]. An editable install (`make lab`,
`pip install -e .`) leaves data files out, so `make lab` runs this, reading the same table:

    python tools/lab_settings.py install    # copy each file under sys.prefix
    python tools/lab_settings.py check      # exit 1, naming the file, if one is missing or differs
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def data_files(pyproject: Path = REPO / "pyproject.toml") -> list[tuple[Path, Path]]:
    """(file in the repository, where it belongs under sys.prefix), as pyproject.toml lists them."""
    table = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["setuptools"]["data-files"]
    return [
        (REPO / source, Path(sys.prefix) / folder / Path(source).name)
        for folder, sources in table.items()
        for source in sources
    ]


def stale() -> list[str]:
    return [
        str(target)
        for source, target in data_files()
        if not target.is_file() or target.read_bytes() != source.read_bytes()
    ]


def main(argv: list[str]) -> int:
    if argv == ["install"]:
        for source, target in data_files():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        return 0
    if argv == ["check"]:
        missing = stale()
        for path in missing:
            print(f"{path}: missing or out of date; run `python tools/lab_settings.py install`")
        return 1 if missing else 0
    print(__doc__.strip().splitlines()[-2:][0].strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
