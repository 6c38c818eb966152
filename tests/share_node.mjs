// Runs the page's link module (selfattn_lib/explorer/share.js) on a file of cases written by
// tests/test_share_link.py and prints one JSON answer per case; the Python test compares them with
// share.py's. Numbers travel as the hex of their float64 bytes, so -0 and the last digit survive.
//   node tests/share_node.mjs CASES.json
import { readFileSync } from "node:fs";
import * as share from "../selfattn_lib/explorer/share.js";
import * as page from "../selfattn_lib/explorer/explorer.js";

const { config, rules, cases } = JSON.parse(readFileSync(process.argv[2], "utf-8"));

function bits(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return Array.from(new Uint8Array(view.buffer), b => b.toString(16).padStart(2, "0")).join("");
}

function exact(data) {  // every matrix entry as float64 bytes
  const out = { ...data };
  for (const name of ["X", "W_q", "W_k", "W_v", "W_o"]) out[name] = data[name].map(row => row.map(bits));
  return out;
}

function fromExact(data) {
  const out = { ...data };
  for (const name of ["X", "W_q", "W_k", "W_v", "W_o"]) {
    out[name] = data[name].map(row => row.map(hex => new DataView(Uint8Array.from(hex.match(/../g), h => parseInt(h, 16)).buffer).getFloat64(0)));
  }
  return out;
}

function run(c) {
  try {
    switch (c.op) {
      case "encode": return { ok: true, link: share.linkFor(fromExact(c.data), config, c.language, c.base ?? null) };
      case "decode": return { ok: true, data: exact(share.decodeLink(c.link, config, rules)) };
      case "open": {  // what the explorer does with a link: decode, then a JSON file's checks
        const state = page.fromData(share.decodeLink(c.link, config, rules), rules);
        page.validate(state, rules, {});
        return { ok: true, tokens: page.tokens(state) };
      }
      case "numberText": return { ok: true, text: share.numberText(fromExact({ X: [[c.x]], W_q: [], W_k: [], W_v: [], W_o: [] }).X[0][0]) };
      default: throw new Error(`unknown op ${c.op}`);
    }
  } catch (error) {
    const known = e => e instanceof share.LinkError || e instanceof page.InputError;
    if (!known(error)) return { ok: false, crash: String(error && error.stack || error) };
    const values = {};
    for (const [k, v] of Object.entries(error.values)) values[k] = known(v) ? { key: v.key } : v;
    return { ok: false, key: error.key, values };
  }
}

process.stdout.write(JSON.stringify(cases.map(run)));
