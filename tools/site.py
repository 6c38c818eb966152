"""The course website: both editions, from the notebooks' stored outputs, with Sphinx + myst-nb.

    python tools/site.py            # `make site`: build/site/{en,pt}/ (+ build/site/index.html)
    SELFATTN_HUB=https://hub.example.edu python tools/site.py   # launch buttons to a JupyterHub

Nothing is executed and nothing is fetched: each edition's pages are staged in build/site-src/<code>/
(notebooks copied and adapted for a page without a kernel, Markdown files with their links pointed
at pages), then `sphinx-build -W` turns them into HTML. What a page cannot do without a kernel is
said on the page, never faked:

- the navigation cells go (the theme has previous/next and contents); their ids would repeat;
- a solution cell's code is folded under "Show solution" (closed until clicked); its output, a
  button that needs a kernel, goes;
- a small widget becomes its stored state: pictures (alt text from its settings), the text it showed,
  a note that it runs in a notebook and a launch link (never a control that does nothing);
- the explorer (notebook 09) becomes the page-side explorer (selfattn_lib/explorer/standalone.js,
  `mount(el, payload)`, payload from `selfattn_lib.explorer.page_payload` at build time) when that
  module exists, else its stored state like the other widgets;
- a figure's text alternative is its caption (the **Figure.** paragraph after it).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from selfattn_lib import strings  # noqa: E402

SITE = ROOT / "site"
STAGE = ROOT / "build" / "site-src"
OUT = ROOT / "build" / "site"
WORK = ROOT / "build" / "site-work"
EXPLORER_JS = ROOT / "selfattn_lib" / "explorer"
STANDALONE = EXPLORER_JS / "standalone.js"
MATHJAX = SITE / "node_modules" / "mathjax" / "es5"
# What the pages use of MathJax: the TeX-to-HTML component, its fonts, the TeX extensions it loads on
# demand (\boldsymbol, ...), and the menu's accessibility parts (assistive MathML is on by default).
MATHJAX_PARTS = ("tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "a11y", "ui")

# Where the repository lives, for links to files that are not pages and for the launch buttons.
REPOSITORY = "https://github.com/selfattn/selfattn-notebooks"
BRANCH = "main"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CAPTION = re.compile(r"^\*\*(Figure|Figura)\.\*\*\s*")
LINK = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(([^)\s]+)\)")
EXTERNAL_IMAGE = re.compile(r"!\[([^\]]*)\]\((?:https?:)?//[^)]+\)")


@dataclass(frozen=True)
class Edition:
    code: str  # folder of the edition on the site, and strings' language
    sphinx_language: str
    notebooks: str  # repository folder of its notebooks
    pages: tuple  # (repository path, staged path) of its Markdown pages; the first is the index


EDITIONS = {
    "en": Edition(
        "en",
        "en",
        "notebooks",
        (
            ("README.md", "index.md"),
            ("TEACHING.md", "TEACHING.md"),
            ("ERRATA.md", "ERRATA.md"),
            ("GLOSSARIO.md", "GLOSSARIO.md"),
        ),
    ),
    "pt": Edition(
        "pt",
        "pt_BR",
        "notebooks/pt",
        (
            ("LEIA-ME.md", "index.md"),
            ("ENSINO.md", "ENSINO.md"),
            ("ERRATA.pt.md", "ERRATA.md"),
            ("GLOSSARIO.md", "GLOSSARIO.md"),
        ),
    ),
}


def notebook_paths(edition: Edition) -> list[Path]:
    return sorted((ROOT / edition.notebooks).glob("[0-9][0-9]_*.ipynb"))


def page_map(own: Edition) -> dict[str, tuple[str, str]]:
    """Repository path -> (edition code, staged path) of every file that becomes a page; a file of
    both editions (the glossary) is the `own` edition's page."""
    pages: dict[str, tuple[str, str]] = {}
    for edition in sorted(EDITIONS.values(), key=lambda e: e == own, reverse=True):
        for source, staged in edition.pages:
            pages.setdefault(source, (edition.code, staged))
        for path in notebook_paths(edition):
            pages.setdefault(path.relative_to(ROOT).as_posix(), (edition.code, f"notebooks/{path.name}"))
    return pages


def twins() -> dict[str, dict[str, str]]:
    """For each edition, staged path -> the staged path of the same page in the other edition."""
    pairs = [(en[1], pt[1]) for en, pt in zip(EDITIONS["en"].pages, EDITIONS["pt"].pages)]
    numbered = {code: {p.name[:2]: p.name for p in notebook_paths(e)} for code, e in EDITIONS.items()}
    for number, name in numbered["en"].items():
        if number in numbered["pt"]:
            pairs.append((f"notebooks/{name}", f"notebooks/{numbered['pt'][number]}"))
    return {"en": {a: b for a, b in pairs}, "pt": {b: a for a, b in pairs}}


def html_name(staged: str) -> str:
    return re.sub(r"\.(md|ipynb)$", ".html", staged)


def relative(from_staged: str, to_site_path: str) -> str:
    """URL from the page of `from_staged` (inside an edition folder) to a path under build/site/."""
    depth = from_staged.count("/") + 1  # the edition folder, then the page's own folders
    return "../" * depth + to_site_path


def rewrite_links(text: str, source: str, edition: Edition, pages: dict) -> str:
    """Point the Markdown links of `source` (a repository path) at pages of the site: the same
    edition's pages by their staged path (Sphinx checks them), the other edition's through the
    `twin:` scheme (a relative URL; the browser test checks it), any other file at the repository."""
    staged_self = pages[source][1]
    base = Path(source).parent

    def one(match: re.Match) -> str:
        label, target = match.group(1), match.group(2)
        parts = urlsplit(target)
        if parts.scheme or target.startswith("#") or target.startswith("//"):
            return match.group(0)
        path = os.path.normpath((base / parts.path).as_posix()).replace(os.sep, "/")
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if path in pages:
            code, staged = pages[path]
            if code == edition.code:
                url = os.path.relpath(staged, str(Path(staged_self).parent) or ".") + fragment
            else:
                url = "twin:" + relative(staged_self, f"{code}/{html_name(staged)}") + fragment
        else:
            kind = "tree" if (ROOT / path).is_dir() else "blob"
            url = f"{REPOSITORY}/{kind}/{BRANCH}/{path}{fragment}"
        return f"[{label}]({url})"

    return LINK.sub(one, EXTERNAL_IMAGE.sub(lambda m: m.group(1), text))


def plain(markdown: str) -> str:
    """A caption as plain text for an alt attribute: no emphasis marks, no $ of the math."""
    text = CAPTION.sub("", markdown.strip())
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("**", "").replace("*", "").replace("`", "").replace("$", "")
    return " ".join(text.split())


# ---- widgets: their stored state, as a page without a kernel can honestly show it ----------------


def _models(nb) -> dict:
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def _model(models: dict, ref: str) -> dict | None:
    return models.get(str(ref).replace("IPY_MODEL_", ""))


def _settings(models: dict, root: dict, say) -> list[str]:
    """'query i: 3: preto', 'divide by √d_k: on', ...: what the controls were set to."""
    found = []

    def walk(model):
        state = model["state"]
        name = model["model_name"]
        description = state.get("description") or ""
        if description and name in (
            "DropdownModel",
            "SelectionSliderModel",
            "ToggleButtonsModel",
            "RadioButtonsModel",
            "SelectModel",
        ):
            labels = state.get("_options_labels", [])
            index = state.get("index")
            if isinstance(index, int) and 0 <= index < len(labels):
                found.append(f"{description}: {labels[index]}")
        elif description and name in ("CheckboxModel", "ToggleButtonModel"):
            found.append(f"{description}: {say('site.on') if state.get('value') else say('site.off')}")
        elif description and "value" in state and name.endswith(("SliderModel", "TextModel")):
            found.append(f"{description}: {state['value']}")
        for child in state.get("children", []):
            sub = _model(models, child)
            if sub:
                walk(sub)

    walk(root)
    return found


def _snapshot(models: dict, model: dict, alt: str, figures: list, pictures_only: bool = False) -> str:
    """The widget tree as static HTML: boxes, the HTML it showed, its pictures; controls as text.
    `pictures_only`: the pictures alone (the explorer's stored views, each with its own alt text)."""
    state = model["state"]
    name = model["model_name"]
    children = [m for m in (_model(models, c) for c in state.get("children", [])) if m]
    if name in ("VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel", "AccordionModel", "TabModel"):
        inner = "".join(_snapshot(models, child, alt, figures, pictures_only) for child in children)
        if not inner.strip():
            return ""
        kind = {"HBoxModel": "row", "GridBoxModel": "grid"}.get(name, "column")
        columns = ""
        if name == "GridBoxModel":
            layout = _model(models, state.get("layout", "")) or {"state": {}}
            template = layout["state"].get("grid_template_columns")
            if template:
                columns = f' style="grid-template-columns:{html.escape(template)}"'
        return f'<div class="widget-{kind}"{columns}>{inner}</div>'
    if name in ("HTMLModel", "HTMLMathModel", "LabelModel"):
        value = state.get("value") or ""
        if pictures_only:
            return "".join(re.findall(r"<img\b[^>]*>", value))
        if not value.strip():
            return '<div class="widget-cell"></div>' if name == "HTMLModel" else ""
        if name == "LabelModel":
            return f'<div class="widget-text">{html.escape(value)}</div>'
        if name == "HTMLMathModel":  # $...$ typeset as in the notebook (MathJax reads \( \) and \[ \])
            value = re.sub(r"\$\$(.+?)\$\$", r"\\[\1\\]", value, flags=re.S)
            value = re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", r"\\(\1\\)", value, flags=re.S)
            return f'<div class="widget-text mathjax_process">{value}</div>'
        return f'<div class="widget-text">{value}</div>'
    if name in ("TextModel", "FloatTextModel", "IntTextModel", "BoundedFloatTextModel") and not pictures_only:
        return f'<div class="widget-value">{html.escape(str(state.get("value", "")))}</div>'
    if name == "ImageModel":
        figures.append(alt)
        data = model.get("buffers", [{}])[0].get("data", "") if model.get("buffers") else ""
        if not data:
            return ""
        kind = html.escape(state.get("format") or "png")
        return f'<img class="widget-picture" src="data:image/{kind};base64,{data}" alt="{html.escape(alt)}">'
    return ""  # buttons, sliders, text boxes, outputs: their settings are in the note, not faked


def widget_html(nb, view: dict, say, launch_url: str, pictures_only: bool = False) -> str:
    models = _models(nb)
    root = _model(models, view["model_id"])
    if root is None:
        return ""
    settings = _settings(models, root, say)
    alt = say("site.widget_alt", settings="; ".join(settings) if settings else say("site.widget_alt_start"))
    figures: list[str] = []
    body = _snapshot(models, root, alt, figures, pictures_only)
    shown = (
        (
            f'<p class="widget-settings">{html.escape(say("site.widget_settings"))} '
            f"{html.escape('; '.join(settings))}</p>"
        )
        if settings
        else ""
    )
    note = (
        f'<p class="widget-note">{html.escape(say("site.widget_note"))} '
        f'<a href="{html.escape(launch_url)}">{html.escape(say("site.widget_launch"))}</a></p>'
    )
    return f'<div class="stored-widget">{note}{shown}<div class="widget-body">{body}</div></div>'


def explorer_html(code: str) -> str:
    """The container the page-side explorer mounts into, its starting state computed now."""
    from selfattn_lib import explorer  # noqa: PLC0415  (only when the page-side explorer exists)

    payload = json.dumps(explorer.page_payload(language=code), ensure_ascii=False)
    payload = payload.replace("</", "<\\/")  # never ends the script element early
    return (
        f'<div class="live-explorer" data-module="explorer/standalone.js">'
        f'<script type="application/json" class="explorer-payload">{payload}</script></div>'
    )


def is_explorer(view_output: dict) -> bool:
    return str(view_output.get("data", {}).get("text/plain", "")).startswith("AttentionExplorer")


# ---- staging -------------------------------------------------------------------------------------


def binder_url(notebook: str) -> str:
    owner_repo = urlsplit(REPOSITORY).path.strip("/")
    return f"https://mybinder.org/v2/gh/{owner_repo}/{BRANCH}?urlpath=lab/tree/{notebook}"


def stage_notebook(path: Path, edition: Edition, pages: dict, live_explorer: bool) -> tuple:
    source = path.relative_to(ROOT).as_posix()
    say = strings.speaker(edition.code)
    nb = nbformat.read(path, as_version=4)
    cells = []
    explorer_pages = False
    for index, cell in enumerate(nb.cells):
        tags = cell.metadata.get("tags", [])
        if "navigation" in tags:
            continue
        if cell.cell_type == "markdown":
            cell.source = rewrite_links(cell.source, source, edition, pages)
        elif "solution" in tags:
            cell.metadata["tags"] = [*tags, "hide-input", "remove-output"]
            cell.metadata.setdefault("mystnb", {}).update(
                {"code_prompt_show": say("solution.show"), "code_prompt_hide": say("solution.hide")}
            )
            cell.metadata.get("jupyter", {}).pop("source_hidden", None)
        elif cell.cell_type == "code":
            outputs = []
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if WIDGET_VIEW in data:
                    if is_explorer(output) and live_explorer:
                        markup = explorer_html(edition.code)
                        explorer_pages = True
                    else:
                        markup = widget_html(
                            nb, data[WIDGET_VIEW], say, binder_url(source), pictures_only=is_explorer(output)
                        )
                    outputs.append(nbformat.v4.new_output("display_data", data={"text/html": markup}))
                else:
                    outputs.append(output)
            cell.outputs = outputs
            if any("image/png" in o.get("data", {}) for o in outputs):
                following = next((c for c in nb.cells[index + 1 :] if c.cell_type == "markdown"), None)
                if following is None or not CAPTION.match(following.source):
                    raise SystemExit(
                        f"{source}, cell {index + 1}: a figure without a **Figure.** "
                        "caption after it (the caption is its text alternative)"
                    )
                cell.metadata.setdefault("mystnb", {})["image"] = {"alt": plain(following.source)}
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)  # no widget manager on the page: nothing left to render
    return nb, explorer_pages


def toctree(edition: Edition) -> str:
    entries = [f"notebooks/{p.stem}" for p in notebook_paths(edition)]
    entries += [Path(staged).stem for _, staged in edition.pages[1:]]
    return "\n\n```{toctree}\n:hidden:\n:maxdepth: 1\n\n" + "\n".join(entries) + "\n```\n"


def stage(edition: Edition, live_explorer: bool) -> dict:
    """Write build/site-src/<code>/ and return what the Sphinx extension needs about each page."""
    folder = STAGE / edition.code
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "notebooks").mkdir(parents=True)
    pages = page_map(edition)
    twin = twins()[edition.code]
    info: dict = {"edition": edition.code, "pages": {}, "explorer": []}
    for source, staged in edition.pages:
        text = rewrite_links((ROOT / source).read_text(encoding="utf-8"), source, edition, pages)
        if staged == "index.md":
            text += toctree(edition)
        (folder / staged).write_text(text, encoding="utf-8")
        info["pages"][Path(staged).with_suffix("").as_posix()] = {"source": source, "twin": twin.get(staged)}
    downloads = folder / "_extra" / "downloads"
    downloads.mkdir(parents=True)
    for path in notebook_paths(edition):
        source = path.relative_to(ROOT).as_posix()
        nb, live = stage_notebook(path, edition, pages, live_explorer)
        staged = f"notebooks/{path.name}"
        nbformat.write(nb, folder / staged)
        shutil.copy2(path, downloads / path.name)
        docname = f"notebooks/{path.stem}"
        info["pages"][docname] = {
            "source": source,
            "twin": twin.get(staged),
            "notebook": source,
            "download": f"downloads/{path.name}",
        }
        if live:
            info["explorer"].append(docname)
    static = folder / "_static_generated"
    for part in MATHJAX_PARTS:
        src = MATHJAX / part
        if not src.exists():
            raise SystemExit(f"{src} missing: `make site` installs it (npm ci --prefix site)")
        dst = static / "mathjax" / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dst)
    if live_explorer:
        shutil.copytree(
            EXPLORER_JS,
            static / "explorer",
            ignore=lambda _dir, names: [n for n in names if not n.endswith((".js", ".json"))],
        )
    (folder / "_site.json").write_text(json.dumps(info, indent=1, ensure_ascii=False), encoding="utf-8")
    return info


ROOT_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}}
a{{color:#0b5cad}}</style></head>
<body><main><h1>{title}</h1>
<ul><li><a href="en/index.html">{en}</a></li><li lang="pt-BR"><a href="pt/index.html">{pt}</a></li></ul></main></body></html>
"""


def build(jobs_parallel: bool = True) -> int:
    started = time.perf_counter()
    live = STANDALONE.exists()
    for edition in EDITIONS.values():
        stage(edition, live)
    processes = []
    for edition in EDITIONS.values():
        env = dict(os.environ, SELFATTN_SITE_EDITION=edition.code, SELFATTN_SITE_STAGE=str(STAGE / edition.code))
        # Sphinx writes beside its output folder (myst-nb's jupyter_execute/): one work folder each
        command = [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            "-c",
            str(SITE),
            "-d",
            str(WORK / edition.code / "doctrees"),
            str(STAGE / edition.code),
            str(WORK / edition.code / "html"),
        ]
        processes.append(subprocess.Popen(command, env=env))
        if not jobs_parallel:
            processes[-1].wait()
    status = max(p.wait() for p in processes)
    if OUT.exists():
        shutil.rmtree(OUT)
    for edition in EDITIONS.values():
        # not what a page loads: source maps (for a browser's developer tools) and the theme's
        # translation catalogues (used at build time)
        shutil.copytree(
            WORK / edition.code / "html",
            OUT / edition.code,
            ignore=shutil.ignore_patterns("*.map", "locales", ".buildinfo*", ".doctrees"),
        )
        # pydata-sphinx-theme's theme.css is one `@import "../basic.css"`, which chromium resolved
        # against the page instead of the stylesheet (a 404 on every page): the rules themselves
        # (basic.css has no url() to move)
        theme = OUT / edition.code / "_static" / "styles" / "theme.css"
        basic = OUT / edition.code / "_static" / "basic.css"
        if theme.exists() and '@import "../basic.css";' in theme.read_text(encoding="utf-8"):
            assert "url(" not in basic.read_text(encoding="utf-8")
            theme.write_text(
                theme.read_text(encoding="utf-8").replace('@import "../basic.css";', basic.read_text(encoding="utf-8")),
                encoding="utf-8",
            )
    (OUT / "index.html").write_text(
        ROOT_PAGE.format(
            title=html.escape(strings.text("site.title", "en")),
            en=html.escape(strings.text("site.edition_name", "en")),
            pt=html.escape(strings.text("site.edition_name", "pt")),
        ),
        encoding="utf-8",
    )
    (OUT / ".nojekyll").write_text("")  # GitHub Pages: serve _static/ as it is
    size = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    pages = len(list(OUT.rglob("*.html")))
    print(
        f"site: {'built' if status == 0 else 'FAILED'} in {time.perf_counter() - started:.1f} s, "
        f"{pages} HTML files, {size / 1e6:.1f} MB, explorer {'live' if live else 'stored picture'}: {OUT}"
    )
    return status


if __name__ == "__main__":
    sys.exit(build())
