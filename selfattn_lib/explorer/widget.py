"""The explorer as one anywidget: explorer.js computes attention and draws every view in the
page; this class keeps `ExplorerState` as the state of record.

The page and the kernel share one small trait, `page_state` (tokens, every matrix's store, sizes,
flags, focus, heads, positions). The page checks an edit with the rules it shares with
`state.py` (rules.json, the same parsing), shows it at once (the worked steps too: steps.js writes
them as steps.py does) and proposes it; here `validate` decides. Accepted: it becomes `.state` /
`.result`, and nothing goes back. Refused (the two sides disagree, which the tests make rare): the
page gets the state of record back and the kernel's message. One widget model per explorer,
whatever the learner does.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import anywidget
import traitlets

from .. import plots, steps
from ..plots import ShownFigure
from ..strings import DEFAULT_LANGUAGE, text
from .payload import PANELS, chapter_state, page_payload, strings_for
from .share import open_link, state_from_link, state_link
from .state import EDITORS, ExplorerState, InputError, validate

__all__ = ["AttentionExplorer"]

_HERE = Path(__file__).parent
_IMPORT = re.compile(r'(from\s+)"\./([a-z_]+\.js)"')


def module_text(name: str = "explorer.js") -> str:
    """`name` with its imports of this folder's modules (steps.js, share.js, export.js) inlined as data: URLs:
    anywidget loads a module as one text, from which a relative import cannot be resolved. On a
    plain page the same files are imported as they are."""
    source = (_HERE / name).read_text(encoding="utf-8")

    def inline(match) -> str:
        # a data: URL keeps the text as it is except "%", "#", "?", line breaks and tabs (a URL drops those)
        body = module_text(match.group(2))
        for char in '%#?\r\n\t"\\':
            body = body.replace(char, f"%{ord(char):02X}")
        return f'{match.group(1)}"data:text/javascript;charset=utf-8,{body}"'

    return _IMPORT.sub(inline, source)


_HEADS_PER_ROW = 4


class ExplorerModule(anywidget.AnyWidget):
    """What every explorer of a kernel shares: the page module (`module_text`), its stylesheet and
    its words per language. One model, so a saved notebook stores them once; each explorer's own
    `_esm` is loader.js, which takes them from here (anywidget's widget references)."""

    _esm = "export default { render() {} };"  # never displayed itself
    source = traitlets.Unicode().tag(sync=True)
    css = traitlets.Unicode().tag(sync=True)
    strings = traitlets.Dict().tag(sync=True)  # {language: {key: text}}


_shared: ExplorerModule | None = None


def shared_module(language: str) -> ExplorerModule:
    """The kernel's one ExplorerModule (a new one if it was closed), with `language`'s words."""
    global _shared
    if _shared is None or _shared.comm is None:
        _shared = ExplorerModule(source=module_text(), css=(_HERE / "explorer.css").read_text(encoding="utf-8"))
    if language not in _shared.strings:
        _shared.strings = {**_shared.strings, language: strings_for(language)}
    return _shared


class AttentionExplorer(anywidget.AnyWidget):
    """Edit X, W^Q, W^K, W^V (and tokens, sizes, mask, scaling, heads, positions) and watch every
    intermediate follow, computed in the page. `.state` is the ExplorerState of record,
    `.result` its AttentionResult (a MultiHeadResult with several heads).

    `panels` chooses the views (any of PANELS), `editors` the matrices offered for editing."""

    _esm = (_HERE / "loader.js").read_text(encoding="utf-8")

    language = traitlets.Unicode(DEFAULT_LANGUAGE).tag(sync=True)
    library = anywidget.WidgetTrait().tag(sync=True)  # the shared module, stylesheet and words
    rules = traitlets.Dict().tag(sync=True)
    chapter = traitlets.Dict().tag(sync=True)
    sentence = traitlets.List().tag(sync=True)
    panels = traitlets.List().tag(sync=True)
    editors = traitlets.List().tag(sync=True)
    page_state = traitlets.Dict().tag(sync=True)  # the page's copy of the state (with its revision)
    refusal = traitlets.Dict().tag(sync=True)  # {"rev", "message"}: the kernel said no
    kernel = traitlets.Bool(True).tag(sync=True)
    share = traitlets.Dict().tag(sync=True)  # the site's address and link limits (share.json)
    link = traitlets.Unicode("").tag(sync=True)  # opened by the page itself (a plain page's address)
    link_message = traitlets.Unicode("").tag(sync=True)  # why a link given here was refused

    def __init__(self, example=None, panels=None, editors=None, language=DEFAULT_LANGUAGE, link=None):
        """`link`: a link made by "Copy link" (or its `#state=...` part): the explorer opens that
        state; a link that cannot be used opens the chapter's example and says why in the page."""
        if example is not None and link is not None:
            raise ValueError("give example or link, not both")
        panels = tuple(PANELS if panels is None else panels)
        editors = tuple(EDITORS if editors is None else editors)
        unknown = set(panels) - set(PANELS) | set(editors) - set(EDITORS)
        if unknown:
            raise ValueError(f"panels must be among {PANELS} and editors among {EDITORS}; got {sorted(unknown)}")
        state = chapter_state() if example is None else self._state_of(example)
        link_message = None
        if link is not None:
            state, link_message = open_link(link, language)
        payload = page_payload(language, state)  # validates: a ValueError in `language` if unusable
        payload["link_message"] = link_message or ""
        self._state, self._result = state, validate(state)
        self._rev = 0
        payload.pop("strings")  # held once per kernel, by the shared module
        payload.update(panels=list(panels), editors=list(editors), kernel=True, library=shared_module(language))
        super().__init__(**payload)

    # --- public ---------------------------------------------------------------------------------
    @property
    def result(self):
        return self._result

    @property
    def strings(self) -> dict:
        """Every word the page shows, in the explorer's language."""
        return self.library.strings[self.language]

    @property
    def state(self) -> ExplorerState:
        return self._state

    @property
    def tokens(self) -> list[str]:
        return self._state.tokens

    X = property(lambda self: self._state.X.copy())
    W_q = property(lambda self: self._state.W_q.copy())
    W_k = property(lambda self: self._state.W_k.copy())
    W_v = property(lambda self: self._state.W_v.copy())

    def to_json(self) -> str:
        """The whole configuration (tokens, matrices, toggles, focus, heads) as JSON text."""
        return self._state.to_json()

    def load_json(self, config_text) -> None:
        """Load a configuration from `to_json`; raises InputError (nothing changed) if unusable."""
        self._show(ExplorerState.from_json(config_text))

    def load_link(self, link) -> None:
        """Open the state a link holds; raises InputError (nothing changed) if it cannot be used."""
        self._show(state_from_link(link))

    def share_link(self) -> str:
        """The link that opens this state on the course site's explorer page (what "Copy link" copies)."""
        return state_link(self._state, self.language)

    def reset(self) -> None:
        """Back to the chapter's example: its tokens, matrices, causal and scaled."""
        self._show(chapter_state())

    def overview(self):
        """A plain figure of the state, for readers without JavaScript (GitHub, nbconvert)."""
        state, result = self._state, self._result
        if state.n_heads == 1:
            return plots.overview(result, state.tokens, i=state.focus, language=self.language)
        cols = min(result.n_heads, _HEADS_PER_ROW)
        rows = math.ceil(result.n_heads / cols)
        fig = ShownFigure(figsize=(4.2 * cols, 3.9 * rows), layout="constrained", dpi=100)
        for h, ax in enumerate(fig.subplots(rows, cols, squeeze=False).ravel()):
            if h >= result.n_heads:
                ax.set_visible(False)
                continue
            plots.weights_heatmap(
                result.heads[h],
                state.tokens,
                ax=ax,
                colorbar=h == result.n_heads - 1,
                title=text("explorer_heads_title", self.language, head=h + 1),
                language=self.language,
            )
        return fig

    def __repr__(self) -> str:
        # the text/plain of the stored output (nbval compares it): the state in words, no address
        result, state = self._result, self._state
        mode = steps.mode_label(getattr(result, "heads", (result,))[0], self.language)
        return text(
            "repr",
            self.language,
            n=state.n,
            tokens=", ".join(plots.short_label(t) for t in state.tokens),
            d_model=state.d_model,
            d_k=state.d_k,
            d_v=state.d_v,
            mode=mode,
            focus=f"{state.focus + 1} ({plots.short_label(state.tokens[state.focus])})",
        )

    # --- the kernel's side of an edit ------------------------------------------------------------
    @staticmethod
    def _state_of(example) -> ExplorerState:
        if isinstance(example, ExplorerState):
            return example
        return ExplorerState.of(
            [str(t) for t in example.tokens], example.X, example.W_q, example.W_k, example.W_v, causal=True, scaled=True
        )

    def _show(self, state: ExplorerState) -> None:
        """A state from notebook code: validated (InputError, nothing changed), then sent."""
        result = validate(state)
        self._state, self._result = state, result
        self._rev += 1
        with self.hold_sync():
            self.page_state = {**state.to_page(), "rev": self._rev}

    @traitlets.observe("page_state")
    def _on_state(self, change) -> None:
        data = change["new"]
        rev = data.get("rev") if isinstance(data, dict) else None
        if not isinstance(rev, int) or isinstance(rev, bool) or rev <= self._rev:
            return  # our own update, or an old one
        self._rev = rev
        try:
            state = ExplorerState.from_page({k: v for k, v in data.items() if k != "rev"})
            result = validate(state)
        except InputError as exc:
            self._refuse(exc.message(self.language))
            return
        except Exception as exc:  # noqa: BLE001 - said in the page, never lost in the kernel's log
            self._refuse(f"{type(exc).__name__}: {str(exc)[:200]}")
            return
        self._state, self._result = state, result

    def _refuse(self, message: str) -> None:
        self._rev += 1
        with self.hold_sync():
            self.refusal = {"rev": self._rev, "message": message}
            self.page_state = {**self._state.to_page(), "rev": self._rev}
