// The page-side explorer on the course website: every `.live-explorer` container (written by
// tools/site.py on notebook 09's page) gets `mount(el, payload)` from the explorer's standalone
// module, copied into _static/explorer/, with the starting state computed at build time.
const containers = document.querySelectorAll(".live-explorer");
if (containers.length) {
  const { mount } = await import(new URL("explorer/standalone.js", import.meta.url));
  for (const el of containers) {
    const payload = JSON.parse(el.querySelector("script.explorer-payload").textContent);
    el.replaceChildren();
    mount(el, payload);
  }
}
