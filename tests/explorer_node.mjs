// Runs the page module's pure functions (selfattn_lib/explorer/explorer.js) on a file of cases
// written by a pytest test, and prints one JSON answer per case: node --test is not needed, the
// Python test compares the answers with selfattn_lib's.
//   node tests/explorer_node.mjs CASES.json
import { readFileSync } from "node:fs";
import * as page from "../selfattn_lib/explorer/explorer.js";
import * as steps from "../selfattn_lib/explorer/steps.js";

const { rules, strings, cases } = JSON.parse(readFileSync(process.argv[2], "utf-8"));

function refused(error) {
  if (!(error instanceof page.InputError)) throw error;
  const values = {};
  for (const [k, v] of Object.entries(error.values)) values[k] = v instanceof page.InputError ? { key: v.key } : v;
  return { ok: false, key: error.key, values };
}

function run(c) {
  try {
    switch (c.op) {
      case "attention": {
        const r = page.validate(c.state, rules);
        return { ok: true, X_in: r.X_in, concat: r.concat, output: r.output,
          heads: r.heads.map(h => ({ Q: h.Q, K: h.K, V: h.V, scores: h.scores, weights: h.weights, output: h.output })) };
      }
      case "number": return { ok: true, value: page.parseNumber(c.text, 1, 1, "", c.language, rules) };
      case "matrix": return { ok: true, value: page.parseMatrix(c.text, c.language, rules) };
      case "label": return { ok: true, value: page.checkLabel(c.text, "", rules) };
      case "fmt": return { ok: true, value: page.fmt(c.x, c.places) };
      case "numberText": return { ok: true, value: page.numberText(c.x, c.language) };
      case "exactText": return { ok: true, value: page.exactText(c.x) };
      case "config": {
        const s = page.fromJson(c.text, rules);
        return { ok: true, value: { tokens: page.tokens(s), X: page.matrix(s, "X"), n_heads: s.n_heads, focus: s.focus } };
      }
      case "toJson": return { ok: true, value: page.toJson(c.state) };
      case "steps": {  // the worked steps of the focus token, as the page writes them
        const r = page.validate(c.state, rules);
        const say = (key, values) => page.format(strings[c.language][key], values || {});
        const blocks = steps.workedBlocks(r.heads[0], r.X_in, page.matrix(c.state, "W_q"), page.tokens(c.state),
          c.state.focus, say, c.state.positions, c.language);
        const head = r.heads[0];
        return { ok: true, blocks, page: steps.pageBlocks(blocks, c.language), X_in: r.X_in,
          head: { Q: head.Q, K: head.K, V: head.V, scores: head.scores, weights: head.weights, output: head.output } };
      }
      case "stepsFmt": return { ok: true, value: steps.fmt(c.x, c.places) };
      default: throw new Error(`unknown op ${c.op}`);
    }
  } catch (error) {
    return refused(error);
  }
}

process.stdout.write(JSON.stringify(cases.map(run)));
