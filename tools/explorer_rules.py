"""Write selfattn_lib/explorer/rules.json: the explorer's limits (kept here, the one place both
the kernel and the page read them) and the colour scales exported from matplotlib, so the page
paints with the static figures' exact colours.

    python tools/explorer_rules.py          # rewrite the file
    python tools/explorer_rules.py --check  # exit 1 if the file is not what this writes
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from matplotlib import colormaps

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from selfattn_lib import plots  # noqa: E402

TARGET = REPO / "selfattn_lib" / "explorer" / "rules.json"

LIMITS = {
    "max_tokens": 16,  # a real sentence fits
    "max_dim": 10,  # d_model, d_k, d_v
    "max_heads": 4,  # one weights heatmap per head: 4 fit side by side
    "max_label": 40,  # characters of a token label
    "max_number_text": 40,  # characters typed into one number box
    "max_paste": 20000,  # characters of a pasted matrix
    "max_json": 200000,  # characters of a configuration
    "max_json_depth": 32,  # brackets inside brackets in a configuration (it needs 3)
    "max_magnitude": 1e12,  # every number shown stays within +-1e12
    "label_chars": plots.LABEL_CHARS,  # a label longer than this is shortened in the heatmaps
}


def _hex(rgba) -> str:
    return "#" + "".join(f"{round(255 * x):02x}" for x in rgba[:3])


def rules() -> dict:
    def lut(name):
        cmap = colormaps[name]
        return [_hex(cmap(k)) for k in range(cmap.N)]

    return {
        **LIMITS,
        "palette": {
            "weights": lut(plots.WEIGHTS_CMAP),
            "signed": lut(plots.SIGNED_CMAP),
            "tokens": [_hex(c) for c in plots.token_colors(10)],
            "masked": plots.MASKED_COLOR,
            "focus": plots.FOCUS_COLOR,
        },
    }


def text() -> str:
    # one line per palette: the file stays short enough to read
    lines = [f" {json.dumps(k)}: {json.dumps(v)}" for k, v in LIMITS.items()]
    palette = rules()["palette"]
    lines.append(
        ' "palette": {\n' + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in palette.items()) + "\n }"
    )
    return "{\n" + ",\n".join(lines) + "\n}\n"


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.read_text(encoding="utf-8") == text() else 1)
    TARGET.write_text(text(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(REPO)}")
