"""Sphinx extension of the course website: on every page the switch to the same page in the other
edition, and on a notebook's page its launch bar (Binder, a JupyterHub through nbgitpuller, the
.ipynb). The addresses come from conf.py (HUB_URL, BINDER_URL, REPOSITORY, BRANCH); what the page
knows about each document (its notebook, its twin) from tools/site.py's _site.json."""

from __future__ import annotations

import html
import sys
from pathlib import Path
from urllib.parse import urlsplit

from docutils import nodes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import hub_link  # noqa: E402  (the `make hub-link` format, one author)

from selfattn_lib import strings  # noqa: E402

OTHER = {"en": ("pt", "pt-BR"), "pt": ("en", "en")}


def binder_link(binder: str, repository: str, branch: str, notebook: str) -> str:
    owner_repo = urlsplit(repository).path.strip("/")
    return f"{binder.rstrip('/')}/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/{notebook}"


def bar_html(config, edition: str, docname: str, page: dict) -> str:
    """The links at the top of a page: the twin page, then (notebooks) the launch buttons."""
    say = strings.speaker(edition)
    up = "../" * docname.count("/")
    parts = []
    if page.get("twin"):
        other, lang = OTHER[edition]
        twin = page["twin"].rsplit(".", 1)[0] + ".html"
        parts.append(
            f'<a class="edition-switch" lang="{lang}" hreflang="{lang}" '
            f'href="{up}../{other}/{html.escape(twin)}">{html.escape(strings.text("site.other_edition", edition))}</a>'
        )
    if page.get("notebook"):
        links = [
            (
                say("site.launch_binder"),
                binder_link(config.BINDER_URL, config.REPOSITORY, config.BRANCH, page["notebook"]),
                "launch-binder",
            )
        ]
        if config.HUB_URL:
            links.append(
                (
                    say("site.launch_hub"),
                    hub_link.hub_link(
                        config.HUB_URL, repo=config.REPOSITORY, branch=config.BRANCH, notebook=page["notebook"]
                    ),
                    "launch-hub",
                )
            )
        anchors = "".join(
            f'<li><a class="{cls}" href="{html.escape(url)}">{html.escape(label)}</a></li>' for label, url, cls in links
        )
        anchors += (
            f'<li><a class="download-ipynb" download href="{up}{html.escape(page["download"])}">'
            f"{html.escape(say('site.download'))}</a></li>"
        )
        parts.append(
            f'<span class="launch-label">{html.escape(say("site.launch_label"))}:</span>'
            f'<ul class="launch-buttons">{anchors}</ul>'
        )
    if not parts:
        return ""
    return f'<nav class="page-links" aria-label="{html.escape(say("site.launch_label"))}">{"".join(parts)}</nav>'


def _insert(app, doctree, docname):
    config = app.config
    page = config.PAGES["pages"].get(docname)
    if not page:
        return
    markup = bar_html(config, config.PAGES["edition"], docname, page)
    if not markup:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    raw = nodes.raw("", markup, format="html")
    if section is None:
        doctree.insert(0, raw)
    else:
        title = next((i for i, child in enumerate(section.children) if isinstance(child, nodes.title)), -1)
        section.insert(title + 1, raw)


def setup(app):
    for name, default in (
        ("PAGES", {}),
        ("HUB_URL", ""),
        ("BINDER_URL", "https://mybinder.org"),
        ("REPOSITORY", ""),
        ("BRANCH", "main"),
    ):
        app.add_config_value(name, default, "html")
    app.connect("doctree-resolved", _insert)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
