// The explorer's module as anywidget loads it in a notebook: a few lines that take the page module
// (explorer.js with steps.js), its stylesheet and its words from the one model that holds them for
// every explorer of the kernel (widget.py's ExplorerModule, reached with anywidget's host.getModel),
// so a saved notebook stores them once, not once per explorer. A plain page imports explorer.js
// itself (standalone.js).
const loaded = (globalThis.__selfattnExplorerModules ??= new Map());

function moduleOf(source) {  // one import per module text, whatever the number of explorers
  if (!loaded.has(source)) {
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    loaded.set(source, import(url).finally(() => URL.revokeObjectURL(url)));
  }
  return loaded.get(source);
}

function useStyle(css) {
  const id = "selfattn-explorer-style";
  let style = document.getElementById(id);
  if (!style) {
    style = document.createElement("style");
    style.id = id;
    document.head.append(style);
  }
  if (style.textContent !== css) style.textContent = css;
}

export default {
  async render({ model, el, host }) {
    const library = await host.getModel(model.get("library"));
    useStyle(library.get("css"));
    const explorer = (await moduleOf(library.get("source"))).default;
    const words = library.get("strings")[model.get("language")];
    const view = { ...model, get: name => (name === "strings" ? words : model.get(name)) };
    return explorer.render({ model: view, el });
  },
};
