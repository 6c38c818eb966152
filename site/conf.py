"""Sphinx configuration of the course website, one edition per build (tools/site.py runs both:
`make site`). tools/site.py stages the edition's pages and says which through the environment."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
sys.path[:0] = [str(SITE), str(ROOT)]

from selfattn_lib import strings  # noqa: E402

EDITION = os.environ.get("SELFATTN_SITE_EDITION", "en")
STAGE = Path(os.environ.get("SELFATTN_SITE_STAGE", ROOT / "build" / "site-src" / EDITION))
PAGES = json.loads((STAGE / "_site.json").read_text(encoding="utf-8"))

# ---- the one place for where the launch buttons go -------------------------------------------
# A teacher points "JupyterHub" at their own hub here, or without editing: `make site HUB=https://...`
# (the GitHub Pages workflow passes the repository variable SELFATTN_HUB). Empty: no hub button.
HUB_URL = os.environ.get("SELFATTN_HUB", "")
BINDER_URL = "https://mybinder.org"
# Where the site itself lives: the one place is selfattn_lib/explorer/share.json, which the
# explorer's "Copy link" reads too (a link from JupyterLab opens this site's explorer page).
SHARE = json.loads((ROOT / "selfattn_lib" / "explorer" / "share.json").read_text(encoding="utf-8"))
html_baseurl = SHARE["site"] + EDITION + "/"
REPOSITORY = "https://github.com/selfattn/selfattn-notebooks"
BRANCH = "main"

say = strings.speaker(EDITION)
project = say("site.title")
html_title = project
author = "selfattn"
language = "pt_BR" if EDITION == "pt" else "en"

extensions = ["myst_nb", "page_links"]
exclude_patterns = ["_extra", "_static_generated", "_site.json", "**.ipynb_checkpoints"]
suppress_warnings = []

# The stored outputs only: nothing runs at build time.
nb_execution_mode = "off"
nb_render_markdown_format = "myst"  # the library's worked steps ($...$) typeset
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 4
# `twin:` links go to the other edition's pages (tools/site.py writes them as relative URLs)
myst_url_schemes = {"http": None, "https": None, "mailto": None, "twin": {"url": "{{path}}#{{fragment}}"}}

# MathJax from the pinned npm package, copied into the site (no CDN)
mathjax_path = "mathjax/tex-chtml.js"
html_static_path = [str(STAGE / "_static_generated"), str(SITE / "_static")]
html_extra_path = [str(STAGE / "_extra")]
html_css_files = ["site.css"]
html_favicon = str(SITE / "_static" / "favicon.svg")  # else the browser asks for /favicon.ico
html_js_files = [("explorer-mount.js", {"type": "module"})]

html_theme = "sphinx_book_theme"
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": BRANCH,
    "use_repository_button": True,
    "use_download_button": False,  # the page's own launch bar downloads the notebook itself
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "navigation_with_keys": False,
}
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
# pydata-sphinx-theme logs a console error when no colour mode is set
html_context = {"default_mode": "auto"}
