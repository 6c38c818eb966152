// The explorer on a plain HTML page, without Jupyter: a small in-page model with anywidget's
// model interface (get, set, on, off, save_changes) around `payload` (selfattn_lib.explorer.
// page_payload), and the same render as in a notebook. With no kernel, the page's own checks
// decide; the page writes the worked steps itself (steps.js), as in a notebook.
import explorer from "./explorer.js";

export function createModel(payload) {
  const values = { ...payload };
  const listeners = new Map();
  return {
    get: (name) => values[name],
    set(name, value) {
      values[name] = value;
      for (const callback of listeners.get(`change:${name}`) || []) callback();
    },
    on(event, callback) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(callback);
    },
    off(event, callback) {
      if (!event) listeners.clear();
      else if (!callback) listeners.delete(event);
      else if (listeners.has(event)) listeners.get(event).delete(callback);
    },
    save_changes() {},
    send() {},
  };
}

// Mount an explorer in `el`; returns {model, destroy}. A link to a state in the page's address
// (`#state=...`, made by "Copy link") is opened over the payload's state, and so is one pasted into
// the address bar later (the browser then changes only the fragment: no new page).
export function mount(el, payload) {
  const key = `#${payload.share.link_key}=`;
  const linked = () => (window.location.hash.startsWith(key) ? window.location.hash : "");
  const model = createModel({ ...payload, kernel: false, link: linked() });
  const destroy = explorer.render({ model, el });
  const onHash = () => { if (linked()) model.set("link", linked()); };
  window.addEventListener("hashchange", onHash);
  return { model, destroy: () => { window.removeEventListener("hashchange", onHash); destroy(); } };
}
