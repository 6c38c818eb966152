"""Build the explorer's plain HTML page: the chapter's example in both languages, fully interactive
without Jupyter or a kernel (selfattn_lib/explorer/standalone.js), making no request outside its
own files (the module, its stylesheet and the page; the payload is written into the page).

    python tools/explorer_page.py OUTDIR     # writes OUTDIR/index.html and OUTDIR/explorer/*
"""

from __future__ import annotations

import html
import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from selfattn_lib.explorer import MODULE_FILES, page_payload  # noqa: E402
from selfattn_lib.strings import text  # noqa: E402

SOURCE = REPO / "selfattn_lib" / "explorer"


def build(outdir: Path) -> Path:
    outdir = Path(outdir)
    (outdir / "explorer").mkdir(parents=True, exist_ok=True)
    for name in MODULE_FILES:
        shutil.copyfile(SOURCE / name, outdir / "explorer" / name)
    sections, mounts = [], []
    for language in ("en", "pt"):
        payload = json.dumps(page_payload(language), ensure_ascii=False).replace("</", "<\\/")
        lang = "pt-BR" if language == "pt" else "en"
        sections.append(
            f'<section lang="{lang}" aria-labelledby="heading-{language}">'
            f'<h2 id="heading-{language}">{html.escape(text("title", language))}</h2>'
            f'<div id="explorer-{language}"></div></section>'
        )
        mounts.append(f'<script type="application/json" id="payload-{language}">{payload}</script>')
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(text("title"))} · {html.escape(text("title", "pt"))}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="explorer/explorer.css">
<style>body {{ margin: 16px; }} section {{ margin-bottom: 40px; }}</style>
</head>
<body>
<main>
<h1>{html.escape(text("title"))} · {html.escape(text("title", "pt"))}</h1>
{"".join(sections)}
</main>
{"".join(mounts)}
<script type="module">
import {{ mount }} from "./explorer/standalone.js";
for (const language of ["en", "pt"]) {{
  const payload = JSON.parse(document.getElementById(`payload-${{language}}`).textContent);
  window[`explorer_${{language}}`] = mount(document.getElementById(`explorer-${{language}}`), payload);
}}
document.body.dataset.ready = "true";
</script>
</body>
</html>
"""
    index = outdir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(build(Path(sys.argv[1])))
