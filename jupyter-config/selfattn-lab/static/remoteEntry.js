// The course's JupyterLab extension, written by hand: no build step, no npm package, nothing imported.
//
// Why it exists (issue 23): a learner who opens a notebook, runs every cell and closes it must be
// asked nothing, and no file may change. JupyterLab 4.6 marks a notebook unsaved for every output
// and execution count a run writes (@jupyter/ydoc's YCodeCell sets `dirty` itself), so closing
// asks "Save changes?" and autosave rewrites the file. No setting changes that.
//
// What it does: a notebook is unsaved only when what the learner can edit differs from what was
// loaded or last saved: cells (their order, type, id, source, attachments), their metadata, the
// notebook's metadata. Whenever the model says it is dirty, the extension compares that against the
// state taken when the model was last clean; when they agree, the difference is only outputs and
// what a run writes, and the model is set back to clean. So an edit keeps the question, an edit
// undone drops it, and a run alone never raises it. An explicit save still writes the outputs.
//
// How JupyterLab loads it (read in jupyterlab 4.6's static/bootstrap.js and index.out.js): the
// server lists every <prefix>/share/jupyter/labextensions/<name>/package.json whose `jupyterlab._build`
// names a `load` script and an `extension` module; the page loads the script, calls
// `window._JUPYTERLAB[<name>].init(shareScope)`, then `await get('./extension')`, calls the factory
// it returns, and registers the plugins it finds (an ES-module-shaped object: its `default`). This
// file is such a container with one plugin. It shares no module, so `init` has nothing to do, and
// the plugin takes no service token (those live in webpack's share scope): it gets everything from
// `app`, the document registry that creates every notebook widget.
//
// Installed with the environment like the settings overrides: pyproject.toml's
// [tool.setuptools.data-files] (pip install ., Binder's postBuild, the hub) and
// tools/lab_settings.py (make lab's editable install). package.json's `load` carries ?v=<the first 12
// hex digits of this file's sha256>, so a browser never keeps an old copy (tests/test_first_minute.py
// checks it matches).

// eslint-disable-next-line no-var
var _JUPYTERLAB; // the loader's global; `var` keeps the containers other extensions put there

(function () {
  "use strict";

  const NAME = "selfattn-lab"; // package.json's "name": the key the loader looks up
  const PLUGIN_ID = "selfattn-lab:runs-are-not-edits";

  // Cell metadata a run writes, not the learner: timing (the recordTiming setting), trust (every
  // executed cell), and whether outputs are hidden (a run shows its new output). Output visibility
  // is part of the outputs, like a learner's "Clear Outputs", which is not an edit either.
  const RUN_WRITTEN_CELL_METADATA = ["execution", "trusted", "collapsed"];
  // Notebook metadata written for the learner, never by them: the kernel's language (when it
  // starts) and the widgets' saved state (ipywidgets, on save). The widget state is also most of
  // the metadata (90 kB in 08) and is never read: a check of 08 (41 cells) takes about 1 ms, not 4
  // (Chromium, on a busy 2-core machine).
  const KERNEL_WRITTEN_NOTEBOOK_METADATA = new Set(["language_info", "widgets"]);

  // JSON text with sorted keys: two equal states give the same text whatever order Yjs keeps.
  function canonical(value) {
    if (Array.isArray(value)) {
      return "[" + value.map(canonical).join(",") + "]";
    }
    if (value !== null && typeof value === "object") {
      return (
        "{" +
        Object.keys(value)
          .sort()
          .filter((key) => value[key] !== undefined)
          .map((key) => JSON.stringify(key) + ":" + canonical(value[key]))
          .join(",") +
        "}"
      );
    }
    return value === undefined ? "null" : JSON.stringify(value);
  }

  function cellMetadata(cell) {
    const metadata = cell.getMetadata() || {};
    for (const key of RUN_WRITTEN_CELL_METADATA) {
      delete metadata[key];
    }
    if (metadata.jupyter && typeof metadata.jupyter === "object") {
      delete metadata.jupyter.outputs_hidden;
      if (Object.keys(metadata.jupyter).length === 0) {
        delete metadata.jupyter;
      }
    }
    return metadata;
  }

  function notebookMetadata(notebook) {
    const stored = notebook.ymeta && notebook.ymeta.get("metadata"); // @jupyter/ydoc's YNotebook
    if (!stored || typeof stored.keys !== "function") {
      const metadata = notebook.getMetadata() || {};
      KERNEL_WRITTEN_NOTEBOOK_METADATA.forEach((key) => delete metadata[key]);
      return metadata;
    }
    const metadata = {}; // key by key: the skipped keys are never copied
    for (const key of stored.keys()) {
      if (!KERNEL_WRITTEN_NOTEBOOK_METADATA.has(key)) {
        metadata[key] = notebook.getMetadata(key);
      }
    }
    return metadata;
  }

  // What the learner can change in a notebook, as one string. Outputs and execution counts are
  // never read: a notebook with large figures costs no more to compare than one without.
  function editable(notebook) {
    return canonical({
      nbformat: notebook.nbformat,
      nbformat_minor: notebook.nbformat_minor,
      metadata: notebookMetadata(notebook),
      cells: notebook.cells.map((cell) => ({
        id: cell.getId(),
        cell_type: cell.cell_type,
        source: cell.getSource(),
        metadata: cellMetadata(cell),
        attachments: typeof cell.getAttachments === "function" ? cell.getAttachments() : undefined,
      })),
    });
  }

  // One document (a context), however many views of it are open.
  const watched = new WeakSet();

  function watch(context) {
    if (!context || watched.has(context)) {
      return;
    }
    watched.add(context);
    const model = context.model;
    const notebook = model.sharedModel;
    let clean = null; // `editable` when the model was last clean (loaded, saved, reverted)
    let pending = false; // a check is queued for the end of this task
    let later = 0; // a check is queued for after the learner's typing
    let settling = false; // the model is being set clean by settle() itself

    function settle() {
      if (model.isDisposed || clean === null || !model.dirty) {
        return;
      }
      if (editable(notebook) === clean) {
        settling = true;
        try {
          model.dirty = false;
        } finally {
          settling = false;
        }
      }
    }
    // The model has just become dirty: checked in a microtask, once the change is whole (a run
    // writes an output, then sets dirty), and before any timer (autosave) or click (close) reads
    // the flag.
    function settleNow() {
      if (!pending && !model.isDisposed && model.dirty) {
        pending = true;
        queueMicrotask(() => {
          pending = false;
          settle();
        });
      }
    }
    // Any other change while it is dirty (the learner typing, undoing): checked at most every
    // 150 ms, not at every keystroke. An edit undone by hand is no edit any more.
    function settleSoon() {
      if (!later && !model.isDisposed && model.dirty) {
        later = setTimeout(() => {
          later = 0;
          settle();
        }, 150);
      }
    }

    model.stateChanged.connect((_, change) => {
      if (change.name !== "dirty") {
        return;
      }
      if (change.newValue) {
        settleNow();
      } else if (context.isReady && !settling) {
        clean = editable(notebook); // just saved or reverted: what is on disk
      }
    });
    const onUpdate = () => settleSoon();
    notebook.ydoc.on("update", onUpdate);
    context.disposed.connect(() => {
      notebook.ydoc.off("update", onUpdate);
      clearTimeout(later);
    });

    // Loaded: the learner has changed nothing yet (the panel shows the cells from this moment on);
    // anything written before now (the kernel's metadata) is not theirs.
    context.ready.then(() => {
      if (!model.isDisposed) {
        clean = editable(notebook);
        settleNow();
      }
    });
  }

  function onWidgetCreated(_, widget) {
    watch(widget.context);
  }

  const plugin = {
    id: PLUGIN_ID,
    description: "A notebook is marked unsaved by the learner's edits, not by what running it writes.",
    autoStart: true,
    activate(app) {
      const registry = app.docRegistry;
      // Every widget of a notebook model, from every factory (the notebook's, Jupytext's), as the
      // notebook tracker itself is fed: the factory's widgetCreated signal.
      const follow = (factory) => {
        if (factory && factory.modelName === "notebook") {
          factory.widgetCreated.connect(onWidgetCreated); // connecting twice is a no-op in Lumino
        }
      };
      for (const factory of registry.widgetFactories()) {
        follow(factory);
      }
      registry.changed.connect((_, change) => {
        if (change.type === "widgetFactory" && change.change === "added") {
          follow(registry.getWidgetFactory(change.name));
        }
      });
      // Documents opened before this plugin started (none at start-up today; cheap to cover).
      for (const widget of app.shell.widgets("main")) {
        if (widget.context && widget.context.model && widget.context.model.sharedModel.cells) {
          watch(widget.context);
        }
      }
    },
  };

  const container = {
    // No shared modules to receive or offer: the plugin imports nothing.
    init() {},
    get(module) {
      if (module !== "./extension") {
        return Promise.reject(new Error(`Module "${module}" does not exist in container ${NAME}.`));
      }
      // A fresh object each time: the loader writes `__scope__` on what the factory returns.
      return Promise.resolve(() => ({ __esModule: true, default: [plugin] }));
    },
  };

  _JUPYTERLAB = _JUPYTERLAB || {};
  _JUPYTERLAB[NAME] = container;
})();
