"""The nbgitpuller link that puts this course into every student's JupyterHub server.

    python tools/hub_link.py --hub https://hub.example.edu            # English first notebook, main
    make hub-link HUB=https://hub.example.edu BRANCH=spring-2027 NOTEBOOK=notebooks/00_start_here.ipynb

A student who opens the link logs in to the hub; nbgitpuller (installed in the hub's user
environment) clones REPO at BRANCH into ~/TARGET on the first click, merges the teacher's new
commits on later clicks, and opens NOTEBOOK in JupyterLab. The format is nbgitpuller's own:

    {hub}/hub/user-redirect/git-pull?repo={repo}&branch={branch}&targetpath={target}&urlpath=lab/tree/{target}/{notebook}

(query values percent-encoded). README "Teaching a class" explains the rest.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

REPO = "https://github.com/selfattn/selfattn-notebooks"
BRANCH = "main"
TARGET = "selfattn-notebooks"
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"

# git's own rules for a branch name, the parts a typo is likely to break
_BAD_BRANCH = re.compile(r"(^[-/.])|(\.\.)|([\s~^:?*\[\\])|(@\{)|([/.]$)|(\.lock$)")
_TARGET = re.compile(r"^[A-Za-z0-9._-]+$")
# Characters that end or break a URL where the link is pasted (an e-mail, a Markdown page, HTML)
_BROKEN_IN_A_LINK = re.compile(r"[\s\"'<>`{}|\\^\x00-\x1f\x7f]")
ROOT = Path(__file__).resolve().parent.parent  # the course whose notebooks the link opens


def _hub_parts(hub: str):
    """The hub's address taken apart, or a ValueError naming `hub` (never echoing a password)."""
    shown = re.sub(r"//[^/@]*@", "//***@", hub)
    bad = _BROKEN_IN_A_LINK.search(hub)
    if bad:
        raise ValueError(
            f"hub: expected an address without spaces, quotes, angle brackets or "
            f"similar ({bad.group(0)!r} would break the link); got {shown!r}"
        )
    try:
        parts = urlsplit(hub)
        parts.port  # noqa: B018  (urllib checks the port only when asked)
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535", ...
        raise ValueError(
            f"hub: expected the hub's address, like https://hub.example.edu ({exc}); got {shown!r}"
        ) from None
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            f"hub: expected an address without a user name or password (it would be "
            f"in every student's link; students log in on the hub); got {shown!r}"
        )
    return parts


def hub_link(
    hub: str, repo: str = REPO, branch: str = BRANCH, notebook: str = FIRST_NOTEBOOK, target: str = TARGET
) -> str:
    """The URL a student clicks; ValueError naming the argument when one cannot work."""
    parts = _hub_parts(hub.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"hub: expected the hub's address, like https://hub.example.edu; got {hub!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"hub: expected an address without '?' or '#' parts; got {hub!r}")
    # a hub served under a path (https://example.edu/jupyter) keeps it; '/hub/...' is added below
    base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    if base.endswith("/hub"):
        base = base[: -len("/hub")]
    if not repo or any(ch.isspace() for ch in repo):
        raise ValueError(f"repo: expected a git URL or path without spaces; got {repo!r}")
    if not branch or _BAD_BRANCH.search(branch):
        raise ValueError(f"branch: expected a git branch name like 'main'; got {branch!r}")
    if not _TARGET.match(target) or target in (".", ".."):
        raise ValueError(f"target: expected one folder name (letters, digits, . _ -); got {target!r}")
    steps = notebook.split("/")
    if not notebook.endswith(".ipynb") or notebook.startswith("/") or ".." in steps or "" in steps:
        raise ValueError(
            f"notebook: expected a path inside the repository ending in .ipynb, like {FIRST_NOTEBOOK}; got {notebook!r}"
        )
    if not (ROOT / notebook).is_file():
        raise ValueError(
            f"notebook: expected one of the course's notebooks, like {FIRST_NOTEBOOK} "
            f"(there is no {notebook} in {ROOT}); got {notebook!r}"
        )
    query = urlencode(
        {"repo": repo, "branch": branch, "targetpath": target, "urlpath": f"lab/tree/{target}/{notebook}"},
        quote_via=quote,
        safe="",
    )
    return f"{base}/hub/user-redirect/git-pull?{query}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the nbgitpuller link for a JupyterHub.")
    parser.add_argument("--hub", help="the hub's address, e.g. https://hub.example.edu (make: HUB=)")
    parser.add_argument("--repo", default=REPO, help=f"git URL of the course (default {REPO}; make: REPO=)")
    parser.add_argument(
        "--branch", default=BRANCH, help=f"branch the students follow (default {BRANCH}; make: BRANCH=)"
    )
    parser.add_argument(
        "--notebook", default=FIRST_NOTEBOOK, help=f"notebook to open (default {FIRST_NOTEBOOK}; make: NOTEBOOK=)"
    )
    parser.add_argument("--target", default=TARGET, help=f"folder in each student's home (default {TARGET})")
    args = parser.parse_args(argv)
    if not args.hub:
        print("hub: missing; give the hub's address, e.g. make hub-link HUB=https://hub.example.edu", file=sys.stderr)
        return 2
    try:
        print(hub_link(args.hub, args.repo, args.branch, args.notebook, args.target))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
