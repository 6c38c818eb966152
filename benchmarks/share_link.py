"""How long a link to an explorer state is, and how long the page takes to write and read one.

    .venv/bin/python benchmarks/share_link.py

Lengths: the whole link with the course site's address (share.json), for the chapter's example
and for 8 and 16 tokens with a sentence's words as labels: numbers of one decimal (what learners
type, and the explorer's seeded fill) and full float64 numbers (the worst a state holds). Times:
share.js in node (the page's module), median over 200 calls after 50 warm-up calls.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from selfattn_lib.explorer import share  # noqa: E402
from selfattn_lib.explorer.payload import chapter_state  # noqa: E402
from selfattn_lib.explorer.state import MATRICES, RULES, ExplorerState  # noqa: E402

WORDS = "the black cat ran quickly across the old wooden floor of the quiet house at night".split()

NODE = """
import { readFileSync } from "node:fs";
import * as share from %s;
const { config, rules, states } = JSON.parse(readFileSync(process.argv[2], "utf-8"));
const median = xs => xs.sort((a, b) => a - b)[xs.length >> 1];
const out = [];
for (const data of states) {
  const link = share.linkFor(data, config, "en");
  const write = [], read = [];
  for (let i = 0; i < 250; i++) {
    let t = performance.now(); share.linkFor(data, config, "en"); write.push(performance.now() - t);
    t = performance.now(); share.decodeLink(link, config, rules); read.push(performance.now() - t);
  }
  out.push({ write: median(write.slice(50)), read: median(read.slice(50)) });
}
process.stdout.write(JSON.stringify(out));
"""


def state(n: int, d: int, decimals: bool, rng) -> ExplorerState:
    draw = (lambda *s: rng.normal(size=s).round(1)) if decimals else (lambda *s: rng.normal(size=s))
    return ExplorerState.of(WORDS[:n], draw(n, d), draw(d, d), draw(d, d), draw(d, d), W_o=draw(d, d))


def main() -> None:
    rng = np.random.default_rng(27)
    cases = {"chapter example (3 tokens, d = 4)": chapter_state()}
    for n in (8, 16):
        for d, decimals in ((4, True), (10, True), (4, False), (10, False)):
            cases[f"{n} tokens, d = {d}, {'one decimal' if decimals else 'full float64'}"] = state(n, d, decimals, rng)
    rows = {name: len(share.state_link(s)) for name, s in cases.items()}
    node = shutil.which("node")
    times = None
    if node:
        data = [
            {
                "tokens": s.tokens,
                **{k: s.matrix(k).tolist() for k in MATRICES},
                "causal": s.causal,
                "scaled": s.scaled,
                "focus": s.focus,
                "n_heads": s.n_heads,
                "positions": s.positions,
            }
            for s in cases.values()
        ]
        with tempfile.TemporaryDirectory() as tmp:
            script, cases_file = Path(tmp) / "bench.mjs", Path(tmp) / "cases.json"
            script.write_text(NODE % json.dumps((ROOT / "selfattn_lib/explorer/share.js").as_uri()))
            cases_file.write_text(json.dumps({"config": share.SHARE, "rules": RULES, "states": data}))
            times = json.loads(
                subprocess.run([node, str(script), str(cases_file)], capture_output=True, text=True, check=True).stdout
            )
    print(f"{'state':42} {'link chars':>10} {'write ms':>9} {'read ms':>8}")
    for k, (name, length) in enumerate(rows.items()):
        t = times[k] if times else {"write": float("nan"), "read": float("nan")}
        print(f"{name:42} {length:>10} {t['write']:>9.3f} {t['read']:>8.3f}")
    print(
        f"(site address: {share.explorer_url('en')}, {len(share.explorer_url('en')) + 7} characters of each link; "
        f"long above {share.LONG_LINK}, refused above {share.MAX_LINK})"
    )


if __name__ == "__main__":
    main()
