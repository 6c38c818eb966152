// The attention explorer in the page: it computes self-attention and draws every view itself.
// Used as an anywidget module (render({model, el})) and, through standalone.js, on a plain page.
//
// The kernel (widget.py) keeps the state of record: an edit is checked here with the rules both
// sides read (rules.json, sent by the model) and the same parsing as state.py, drawn at once, then
// proposed in the one synced trait `page_state`; the kernel validates it again. The worked steps
// are written here too, by steps.js, whose text a test requires to be steps.py's for the same
// state. No word is written in this file: every text comes from the model's `strings`
// (strings.py / strings_pt.py). A learner's label is always set with textContent, never read as
// markup.
//
// A link to a state (share.js: its format) and the pictures a learner downloads (export.js: SVG and
// PNG) come from modules of their own; in a notebook widget.module_text hands them over inlined.
import { pageBlocks, workedBlocks } from "./steps.js";
import { LinkError, decodeLink, linkFor } from "./share.js";
import { contributionsSvg, heatmapSvg, savePicture } from "./export.js";

// --- numbers: one half-up rounding rule (rounding.py) ----------------------------------------------

// x read to 12 significant digits, as rounding.py does: [sign, digits (12), exponent of the first digit]
function decimal12(x) {
  const [mantissa, exp] = Math.abs(x).toExponential(11).split("e");
  return [x < 0 ? "-" : "", mantissa.replace(".", ""), Number(exp)];
}

function increment(digits) {  // "0999" -> "1000", "999" -> "1000"
  let k = digits.length - 1;
  while (k >= 0 && digits[k] === "9") k--;
  if (k < 0) return "1" + "0".repeat(digits.length);
  return digits.slice(0, k) + String.fromCharCode(digits.charCodeAt(k) + 1) + "0".repeat(digits.length - k - 1);
}

// x rounded half up (away from zero) to `places` decimals, as text; never "-0.00" (rounding.fmt).
export function fmt(x, places = 2) {
  x = Number(x);
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return places > 0 ? "0." + "0".repeat(places) : "0";
  const [sign, digits, exp] = decimal12(x);
  const keep = exp + 1 + places; // digits before the cut
  let kept;
  if (keep <= 0) {
    kept = keep === 0 && digits[0] >= "5" ? "1" : "0";
  } else if (keep >= digits.length) {
    kept = digits + "0".repeat(keep - digits.length);
  } else {
    kept = digits.slice(0, keep);
    if (digits[keep] >= "5") kept = increment(kept);
  }
  // kept is the value times 10^places, as an integer
  kept = kept.replace(/^0+(?=\d)/, "");
  const whole = kept.length > places ? kept.slice(0, kept.length - places) : "0";
  const frac = places > 0 ? kept.padStart(places, "0").slice(-places) : "";
  const text = places > 0 ? `${whole}.${frac}` : whole;
  return /^[0.]*$/.test(text) ? text : sign + text;
}

// Python's repr of a float (the shortest text that reads back as x), for the boxes and messages.
export function pyRepr(x) {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, e] = x.toExponential().split("e");
  const exp = Number(e);
  const sign = x < 0 ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exp >= -4 && exp < 16) {
    if (exp >= digits.length - 1) return sign + digits + "0".repeat(exp - digits.length + 1) + ".0";
    if (exp >= 0) return sign + digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
    return sign + "0." + "0".repeat(-exp - 1) + digits;
  }
  const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
  return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

// Python's f"{x:.{p}g}" (for numbers far from a tie, which is all the explorer shows).
function pyG(x, p) {
  if (x === 0) return "0";
  const [mantissa, e] = x.toExponential(p - 1).split("e");
  const exp = Number(e);
  if (exp < -4 || exp >= p) {
    const m = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
    return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const fixed = x.toFixed(Math.max(0, p - 1 - exp));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

function comma(text, language) {
  return language === "pt" ? text.replace(/\./g, ",") : text;
}

// How a number appears in its box (state.number_text): short, exact when that is short too.
export function numberText(value, language = "en") {
  let shown;
  if (Number.isInteger(value) && Math.abs(value) < 1e15) shown = String(value === 0 ? 0 : value);
  else {
    const exact = pyRepr(value);
    shown = exact.length <= 8 ? exact : pyG(value, 6);
  }
  return comma(shown, language);
}

// A refused value quoted in a message: never rounded (state.exact_text).
export function exactText(value) {
  if (Number.isFinite(value) && Number.isInteger(value) && Math.abs(value) < 1e21) return String(value === 0 ? 0 : value);
  return pyRepr(value);
}

// A table or heatmap number: `places` decimals; huge ones with 2 significant digits (plots._format).
export function cellText(x, places = 2, language = "en") {
  const text = Math.abs(x) >= 1000 ? pyG(x, 2) : fmt(x, places);
  return comma(text, language);
}

// --- words ------------------------------------------------------------------------------------------

export class InputError extends Error {
  constructor(key, values = {}) {
    super(key);
    this.key = key;
    this.values = values;
  }
}

// strings.text: `template` with {name} filled in ({{ and }} are braces).
export function format(template, values = {}) {
  return template.replace(/\{\{|\}\}|\{([A-Za-z_]\w*)\}/g, (whole, name) =>
    whole === "{{" ? "{" : whole === "}}" ? "}" : name in values ? String(values[name]) : whole);
}

// The message of an InputError in the page's language; a value that is itself an error is said too.
export function message(strings, error) {
  const values = {};
  for (const [k, v] of Object.entries(error.values)) values[k] = v instanceof InputError ? message(strings, v) : v;
  return format(strings[error.key], values);
}

// --- reading numbers (state.parse_number / parse_matrix) -----------------------------------------

const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const COMMA_NUMBER = /^[+-]?(?:[0-9]+(?:,[0-9]*)?|,[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const NOT_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const DIGIT_COMMA_DIGIT = /[0-9],[0-9]/;
// Python's str.strip() and str.split() whitespace
const WS = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const STRIP = new RegExp(`^[${WS}]+|[${WS}]+$`, "g");
const LINES = /\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]/;

function strip(text) {
  return text.replace(STRIP, "");
}

function read(cell, language) {
  if (NUMBER.test(cell)) return Number(cell);
  if (language === "pt" && COMMA_NUMBER.test(cell)) return Number(cell.replace(",", "."));
  return null;
}

function short(value, limit = 24) {
  const chars = Array.from(String(value).slice(0, 2 * limit));
  return chars.length <= limit ? chars.join("") : chars.slice(0, limit - 1).join("") + "…";
}

function length(text) {  // characters as Python counts them (code points)
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) n++;
    else { n++; i++; }
  }
  return n;
}

export function parseNumber(value, row, col, old, language, rules) {
  if (typeof value !== "string") throw new InputError("bad_number", { value: short(String(value)), row, col, old });
  if (length(value) > rules.max_number_text) throw new InputError("number_too_long", { limit: rules.max_number_text, row, col, old });
  const cleaned = strip(value);
  if (NOT_FINITE.test(cleaned)) throw new InputError("not_finite", { value, row, col, old });
  const number = read(cleaned, language);
  if (number === null) {
    const key = language !== "pt" && COMMA_NUMBER.test(cleaned) ? "decimal_comma" : "bad_number";
    throw new InputError(key, { value, row, col, old });
  }
  if (!Number.isFinite(number)) throw new InputError("not_finite", { value, row, col, old });
  return number;
}

export function parseMatrix(pasted, language, rules) {
  if (typeof pasted !== "string") throw new InputError("paste_empty");
  if (length(pasted) > rules.max_paste) throw new InputError("paste_too_long", { limit: rules.max_paste, got: length(pasted) });
  const rows = [];
  const lines = pasted.split(LINES);
  for (let k = 0; k < lines.length; k++) {
    const number = k + 1;
    const line = lines[k].replace(/[[\]]/g, " ");
    let cells;
    const split = new RegExp(`[${WS};]+`);
    if (language === "pt") {
      if (new RegExp(`,[${WS}]|,$|^[${WS}]*,|,,`).test(strip(line))) throw new InputError("paste_comma_separator_pt", { line: number });
      cells = line.split(split).filter(Boolean);
    } else {
      const words = line.split(split).filter(Boolean);
      const glued = words.filter(w => DIGIT_COMMA_DIGIT.test(w));
      if (glued.length && (words.length > 1 || glued.some(w => COMMA_NUMBER.test(w))))
        throw new InputError("paste_ambiguous", { line: number, value: short(glued[0]) });
      cells = line.split(new RegExp(`[${WS},;]+`)).filter(Boolean);
    }
    if (!cells.length) continue;
    const row = [];
    for (const cell of cells) {
      if (NOT_FINITE.test(cell)) throw new InputError("paste_not_finite", { line: number, value: short(cell) });
      const value = read(cell, language);
      if (value === null) throw new InputError("paste_bad_number", { line: number, value: short(cell) });
      if (!Number.isFinite(value)) throw new InputError("paste_not_finite", { line: number, value: short(cell) });
      row.push(value);
    }
    if (rows.length && row.length !== rows[0].length)
      throw new InputError("paste_ragged", { line: number, got: row.length, expected: rows[0].length });
    rows.push(row);
    if (rows.length > rules.max_tokens || row.length > rules.max_dim)
      throw new InputError("paste_too_big", { rows: rules.max_tokens, cols: rules.max_dim });
  }
  if (!rows.length) throw new InputError("paste_empty");
  return rows;
}

// state.check_label: the label as it will be shown, or an InputError (length checked first).
export function checkLabel(label, old, rules) {
  if (typeof label !== "string") throw new InputError("empty_token", { old });
  if (label.length > 2 * rules.max_label || length(label) > rules.max_label)
    throw new InputError("label_too_long", { limit: rules.max_label, got: length(label), old });
  label = strip(label);
  if (!label) throw new InputError("empty_token", { old });
  if (/[\x00-\x1f]/.test(label)) throw new InputError("label_control", { old });
  if (/\p{Cf}/u.test(label)) throw new InputError("label_invisible", { old });
  return label;
}

// --- the state (state.ExplorerState in page form) --------------------------------------------------

export const MATRICES = ["X", "W_q", "W_k", "W_v", "W_o"];
const SHAPE_OF = { X: ["n", "d_model"], W_q: ["d_model", "d_k"], W_k: ["d_model", "d_k"], W_v: ["d_model", "d_v"], W_o: ["d_v", "d_model"] };

export function matrix(state, name) {
  const [r, c] = SHAPE_OF[name].map(s => state[s]);
  return state.store[name].slice(0, r).map(row => row.slice(0, c));
}

export function tokens(state) {
  return state.labels.slice(0, state.n);
}

function copy(state) {
  return { ...state, labels: [...state.labels], store: Object.fromEntries(MATRICES.map(k => [k, state.store[k].map(r => [...r])])) };
}

export function withMatrix(state, name, M) {
  const next = copy(state);
  M.forEach((row, r) => row.forEach((v, c) => { next.store[name][r][c] = v; }));
  return next;
}

export function withSizes(state, sizes, newEntries, newLabel, rules) {
  for (const name of ["n", "d_model", "d_k", "d_v"]) checkSize(name, sizes[name], rules, state);
  const next = copy(state);
  Object.assign(next, sizes);
  for (const name of MATRICES) {
    const old = next.store[name];
    const [rows, cols] = SHAPE_OF[name].map(s => sizes[s]);
    const R = Math.max(rows, old.length), C = Math.max(cols, old[0].length);
    if (R === old.length && C === old[0].length) continue;
    const grown = newEntries(name, R, C);
    old.forEach((row, r) => row.forEach((v, c) => { grown[r][c] = v; }));
    next.store[name] = grown;
  }
  while (next.labels.length < next.n) next.labels.push(newLabel(next.labels.length));
  next.focus = Math.min(state.focus, next.n - 1);
  return next;
}

function checkSize(name, value, rules, state) {
  if (typeof value !== "number" || !Number.isInteger(value)) throw new InputError("size_not_integer", { name, value: short(String(value)) });
  const limit = name === "n" ? rules.max_tokens : rules.max_dim;
  if (value < 1 || value > limit) {
    if (name === "n") throw new InputError(value > limit ? "too_many_tokens" : "too_few_tokens", { limit });
    throw new InputError("size_range_kept", { name, limit, value, kept: state ? state[name] : "" });
  }
}

// --- the arithmetic (attention.self_attention, multihead.multi_head_attention, positions) ---------

function matmul(A, B) {
  const n = A.length, k = B.length, m = B[0].length;
  const out = [];
  for (let i = 0; i < n; i++) {
    const row = new Array(m).fill(0);
    const a = A[i];
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[t] * B[t][j];
      row[j] = s;
    }
    out.push(row);
  }
  return out;
}

export function positionalEncoding(n, d) {
  const out = [];
  for (let pos = 0; pos < n; pos++) {
    const row = [];
    for (let c = 0; c < d; c++) {
      const angle = pos / Math.pow(10000, (2 * Math.floor(c / 2)) / d);
      row.push(c % 2 === 0 ? Math.sin(angle) : Math.cos(angle));
    }
    out.push(row);
  }
  return out;
}

function columns(M, from, to) {
  return M.map(row => row.slice(from, to));
}

export function selfAttention(X, Wq, Wk, Wv, causal, scaled) {
  const Q = matmul(X, Wq), K = matmul(X, Wk), V = matmul(X, Wv);
  const n = X.length, dk = Wk[0].length, factor = scaled ? 1 / Math.sqrt(dk) : 1;
  const scores = [], weights = [], mask = [];
  for (let i = 0; i < n; i++) {
    const s = [], m = [];
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let t = 0; t < dk; t++) dot += Q[i][t] * K[j][t];
      s.push(scaled ? dot * factor : dot);
      m.push(!causal || j <= i);
    }
    let top = -Infinity;
    for (let j = 0; j < n; j++) if (m[j] && s[j] > top) top = s[j];
    const e = s.map((x, j) => (m[j] ? Math.exp(x - top) : 0));
    const total = e.reduce((a, b) => a + b, 0);
    scores.push(s); mask.push(m); weights.push(e.map(x => x / total));
  }
  const output = matmul(weights, V);
  return { Q, K, V, scores, weights, output, mask, d_k: dk, causal, scaled, n };
}

// Every number the views show, for a state (not checked: see validate).
export function compute(state) {
  const X = matrix(state, "X");
  const PE = state.positions ? positionalEncoding(state.n, state.d_model) : null;
  const Xin = PE ? X.map((row, r) => row.map((v, c) => v + PE[r][c])) : X;
  const Wq = matrix(state, "W_q"), Wk = matrix(state, "W_k"), Wv = matrix(state, "W_v");
  const h = state.n_heads;
  if (h === 1) {
    const head = selfAttention(Xin, Wq, Wk, Wv, state.causal, state.scaled);
    return { X_in: Xin, heads: [head], concat: head.output, output: head.output };
  }
  const bk = state.d_k / h, bv = state.d_v / h;
  const heads = [];
  for (let k = 0; k < h; k++)
    heads.push(selfAttention(Xin, columns(Wq, k * bk, (k + 1) * bk), columns(Wk, k * bk, (k + 1) * bk),
      columns(Wv, k * bv, (k + 1) * bv), state.causal, state.scaled));
  const concat = heads[0].output.map((_, r) => heads.flatMap(head => head.output[r]));
  return { X_in: Xin, heads, concat, output: matmul(concat, matrix(state, "W_o")) };
}

function checkMagnitude(name, M, rules) {
  let worst = -1, at = [0, 0];
  M.forEach((row, r) => row.forEach((v, c) => {
    const size = Number.isFinite(v) ? Math.abs(v) : Infinity;
    if (size > worst) { worst = size; at = [r, c]; }
  }));
  if (worst > rules.max_magnitude) {
    throw new InputError("too_large", { name, value: exactText(M[at[0]][at[1]]), limit: pyG(rules.max_magnitude, 1), row: at[0] + 1, col: at[1] + 1 });
  }
}

// state.validate: the result if every view can show it, else an InputError saying why.
export function validate(state, rules, strings) {
  for (const name of ["n", "d_model", "d_k", "d_v"]) checkSize(name, state[name], rules);
  if (![state.causal, state.scaled].every(f => typeof f === "boolean")) throw new InputError("config_flags");
  const h = state.n_heads;
  if (!Number.isInteger(h) || h < 1 || h > rules.max_heads) throw new InputError("explorer_heads_invalid", { limit: rules.max_heads, value: short(String(h)) });
  if (state.d_k % h || state.d_v % h) throw new InputError("explorer_heads_divide", { n_heads: h, d_k: state.d_k, d_v: state.d_v });
  if (!Number.isInteger(state.focus) || state.focus < 0 || state.focus >= state.n) throw new InputError("focus_range", { last: state.n - 1 });
  if (state.labels.length < state.n) throw new InputError("config_token_count", { tokens: state.labels.length, rows: state.n });
  for (const label of tokens(state)) checkLabel(label, "", rules);
  for (const name of MATRICES) checkMagnitude(name, matrix(state, name), rules);
  const result = compute(state);
  result.heads.forEach((head, k) => {
    for (const name of ["Q", "K", "V", "scores", "output"]) {
      const shown = result.heads.length === 1 ? name : `${name} (${format(strings ? strings.explorer_heads_title : "{head}", { head: k + 1 })})`;
      checkMagnitude(shown, head[name], rules);
    }
  });
  if (result.heads.length > 1) checkMagnitude("output", result.output, rules);
  return result;
}

// --- saving (state.to_json / from_json / from_data) ------------------------------------------------

export const CONFIG_FORMAT = "selfattn_lib.AttentionExplorer";

export function toJson(state) {
  const parts = [` "format": ${JSON.stringify(CONFIG_FORMAT)}`, ' "version": 1', ` "tokens": ${JSON.stringify(tokens(state))}`];
  for (const name of MATRICES) {
    const rows = matrix(state, name).map(row => `  [${row.map(v => pyRepr(v)).join(", ")}]`).join(",\n");
    parts.push(` "${name}": [\n${rows}\n ]`);
  }
  parts.push(` "causal": ${state.causal}`, ` "scaled": ${state.scaled}`, ` "focus": ${state.focus}`,
    ` "n_heads": ${state.n_heads}`, ` "positions": ${state.positions}`);
  return "{\n" + parts.join(",\n") + "\n}\n";
}

function isNumber(x) { return typeof x === "number"; }

function matrixFromJson(value, name, rules) {
  const bad = (key, values = {}) => new InputError("bad_config", { error: new InputError(key, { name, ...values }) });
  if (!Array.isArray(value) || !value.length || !value.every(row => Array.isArray(row) && row.length)) throw bad("config_matrix");
  if (value.length > rules.max_tokens || value.some(row => row.length > rules.max_dim)) throw bad("config_matrix_size", { rows: rules.max_tokens, cols: rules.max_dim });
  if (new Set(value.map(row => row.length)).size !== 1) throw bad("config_matrix");
  for (const row of value) for (const x of row) {
    if (!isNumber(x) || !Number.isFinite(x)) throw bad("config_numbers", { value: short(JSON.stringify(x) ?? String(x)) });
    // refused for its size, as the kernel does (state._matrix_from_json), quoted exactly
    if (Math.abs(x) > rules.max_magnitude) throw bad("config_number_too_large", { value: exactText(x), limit: pyG(rules.max_magnitude, 1) });
  }
  return value.map(row => row.map(Number));
}

// How deep brackets go, outside strings (state._nesting counts the same way).
function nesting(text) {
  let deepest = 0, depth = 0;
  for (const m of text.matchAll(/"(?:[^"\\]|\\.)*"|[[{]|[\]}]/g)) {
    if (m[0] === "[" || m[0] === "{") deepest = Math.max(deepest, ++depth);
    else if (m[0] === "]" || m[0] === "}") depth--;
  }
  return deepest;
}

export function fromJson(text, rules) {
  if (typeof text !== "string") throw new InputError("bad_config", { error: new InputError("config_not_object") });
  if (length(text) > rules.max_json) throw new InputError("json_too_long", { limit: rules.max_json, got: length(text) });
  text = text.replace(/^\uFEFF/, "");  // a byte order mark (Windows Notepad), as the kernel drops it
  if (nesting(text) > rules.max_json_depth) throw new InputError("bad_json", { error: new InputError("json_too_deep") });
  let data;
  try { data = JSON.parse(text); } catch (e) { throw new InputError("bad_json", { error: new InputError("json_syntax") }); }
  return fromData(data, rules);
}

export function fromData(data, rules) {
  const bad = (key, values = {}) => new InputError("bad_config", { error: new InputError(key, values) });
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw bad("config_not_object");
  const missing = ["tokens", "X", "W_q", "W_k", "W_v"].filter(k => !(k in data));
  if (missing.length) throw bad("config_missing", { names: missing.join(", ") });
  if (("format" in data && data.format !== CONFIG_FORMAT) || ("version" in data && data.version !== 1)) throw bad("config_format", { format: CONFIG_FORMAT });
  const toks = data.tokens;
  if (!Array.isArray(toks) || !toks.length || !toks.every(t => typeof t === "string" && strip(t))) throw bad("config_tokens");
  if (toks.length > rules.max_tokens) throw bad("too_many_tokens", { limit: rules.max_tokens });
  if (toks.some(t => length(t) > rules.max_label || /[\x00-\x1f]|\p{Cf}/u.test(t))) throw bad("config_token_long", { limit: rules.max_label });
  const m = {};
  for (const name of ["X", "W_q", "W_k", "W_v"]) m[name] = matrixFromJson(data[name], name, rules);
  const Wo = "W_o" in data ? matrixFromJson(data.W_o, "W_o", rules) : null;
  const nHeads = "n_heads" in data ? data.n_heads : 1, positions = "positions" in data ? data.positions : false;
  if (!Number.isInteger(nHeads) || typeof nHeads !== "number" || nHeads < 1 || nHeads > rules.max_heads) throw bad("config_heads", { limit: rules.max_heads });
  if (typeof positions !== "boolean") throw bad("config_positions");
  const causal = "causal" in data ? data.causal : true, scaled = "scaled" in data ? data.scaled : true;
  if (typeof causal !== "boolean" || typeof scaled !== "boolean") throw bad("config_flags");
  const n = m.X.length;
  if (toks.length !== n) throw bad("config_token_count", { tokens: toks.length, rows: n });
  let focus = "focus" in data ? data.focus : n - 1;
  if (focus === null) focus = n - 1;
  if (typeof focus !== "number" || !Number.isInteger(focus) || focus < 0 || focus >= n) throw bad("config_focus", { last: n - 1 });
  const dModel = m.X[0].length;
  for (const name of ["W_q", "W_k", "W_v"]) if (m[name].length !== dModel) throw bad("config_rows", { name, rows: m[name].length, d_model: dModel });
  if (m.W_q[0].length !== m.W_k[0].length) throw bad("config_d_k", { q: m.W_q[0].length, k: m.W_k[0].length });
  const dV = m.W_v[0].length;
  if (Wo && (Wo.length !== dV || Wo[0].length !== dModel)) throw bad("config_W_o_shape", { rows: dV, cols: dModel, got_rows: Wo.length, got_cols: Wo[0].length });
  const eye = Array.from({ length: dV }, (_, r) => Array.from({ length: dModel }, (_, c) => (r === c ? 1 : 0)));
  return {
    labels: toks.map(strip), store: { ...m, W_o: Wo || eye }, n, d_model: dModel, d_k: m.W_q[0].length, d_v: dV,
    causal, scaled, focus, n_heads: nHeads, positions,
  };
}

// New entries of a grown matrix: zeros, or a seeded draw (normal, one decimal) that the same
// choices always repeat. Not numpy's generator: the page proposes them, the kernel keeps them.
export function newEntries(fill, seed, name, rows, cols) {
  const out = Array.from({ length: rows }, () => new Array(cols).fill(0));
  if (fill !== "random") return out;
  const [salt, scale] = { X: [0, 1.0], W_q: [1, 0.3], W_k: [2, 0.3], W_v: [3, 0.3], W_o: [4, 0.3] }[name];
  let a = (Math.imul(seed | 0, 2654435761) ^ Math.imul(salt + 1, 40503) ^ Math.imul(rows, 977) ^ Math.imul(cols, 131)) >>> 0;
  const next = () => {  // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    out[r][c] = Math.round(z * scale * 10) / 10 || 0;
  }
  return out;
}

// --- drawing helpers ---------------------------------------------------------------------------------

const SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";
function sub(k) { return String(k).replace(/[0-9]/g, d => SUBSCRIPT[d]); }

function shortLabel(label, limit) {  // plots.short_label
  const head = Array.from(String(label).slice(0, 2 * (limit + 1))).slice(0, limit + 1).join("");
  const one = head.split(/\s+/).filter(Boolean).join(" ") || "?";
  const chars = Array.from(one);
  return chars.length <= limit ? one : chars.slice(0, limit - 1).join("") + "…";
}

function h(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of [].concat(children)) if (c !== null && c !== undefined) node.append(c);
  return node;
}

// One of our own strings with its <sup>/<sub>/<b> tags as elements; {values} filled in as text
// (a label inside a message stays literal).
function rich(template, values = {}) {
  const frag = document.createDocumentFragment();
  const stack = [frag];
  for (const part of template.split(/(<\/?(?:sup|sub|b)>)/)) {
    const tag = /^<(\/?)(sup|sub|b)>$/.exec(part);
    if (tag) {
      if (tag[1]) { if (stack.length > 1) stack.pop(); }
      else { const el = document.createElement(tag[2]); stack[stack.length - 1].append(el); stack.push(el); }
    } else if (part) stack[stack.length - 1].append(format(part, values));
  }
  return frag;
}

function plain(template) {  // a string's words without its tags (for accessible names)
  return template.replace(/<\/?(?:sup|sub|b)>/g, "");
}

function colour(palette, x) {  // matplotlib's lookup: int(x * N), clipped
  const N = palette.length;
  return palette[Math.max(0, Math.min(N - 1, Math.floor(x * N)))];
}

// Black or white text on a cell, whichever contrasts more (WCAG's relative luminance): on
// every colour of both scales one of them reaches 4.5:1.
function isLight(hex) {
  const lin = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map(c => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const L = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  return (L + 0.05) / 0.05 >= 1.05 / (L + 0.05);
}

function nodes(list) {  // worked steps' nodes (steps_view.py): strings, or [tag, nodes]
  return list.map(n => (typeof n === "string" ? document.createTextNode(n) : h(n[0], {}, nodes(n[1]))));
}

let uid = 0;

// share.js says why a link is refused with its own error class (it loads alone): the same key and values
function asInputError(error) {
  if (!(error instanceof LinkError)) return error;
  const values = {};
  for (const [k, v] of Object.entries(error.values)) values[k] = asInputError(v);
  return new InputError(error.key, values);
}

// --- the explorer -------------------------------------------------------------------------------------

class Explorer {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.id = `selfattn-${++uid}`;
    this.strings = model.get("strings");
    const rules = model.get("rules");  // colour scales as lists, or as one string of hex colours
    const colours = p => (typeof p === "string" && !p.startsWith("#") ? p.match(/.{6}/g).map(c => "#" + c) : p);
    this.rules = { ...rules, palette: Object.fromEntries(Object.entries(rules.palette).map(([k, v]) => [k, colours(v)])) };
    this.language = model.get("language");
    this.panels = new Set(model.get("panels"));
    this.shown = model.get("editors");
    this.chapter = model.get("chapter");
    this.kernel = model.get("kernel");
    this.share = model.get("share");
    this.grids = {};
    this.views = new Map();
    this.adopt(model.get("page_state"));
    this.exported = null;
    this.build();
    this.paint();
    this.onState = () => this.fromKernel();
    this.onRefusal = () => {
      const refusal = this.model.get("refusal");
      if (refusal && refusal.message) this.say(this.main, format(this.strings.explorer_kernel_refused, { error: refusal.message }));
    };
    model.on("change:page_state", this.onState);
    model.on("change:refusal", this.onRefusal);
    // a link: opened here on a plain page (its fragment), said by the kernel in a notebook
    this.onLink = () => this.openLink(this.model.get("link"), false);
    model.on("change:link", this.onLink);
    if (model.get("link")) this.openLink(model.get("link"), true);
    else if (model.get("link_message")) this.say(this.shareMessage, model.get("link_message"));
  }

  destroy() {
    this.stepsToken = -1;  // steps on their way are not written
    this.model.off("change:page_state", this.onState);
    this.model.off("change:refusal", this.onRefusal);
    this.model.off("change:link", this.onLink);
    clearTimeout(this.linkTimer);
  }

  t(key, values) { return format(this.strings[key], values || {}); }

  adopt(data) {
    const { rev, ...state } = data;
    this.rev = rev || 0;
    this.st = state;
    this.result = compute(state);
  }

  fromKernel() {
    const data = this.model.get("page_state");
    if (!data || data.rev === this.rev) return;
    if (data.rev < this.rev) return;  // older than what the page already shows
    this.adopt(data);
    this.paint();
  }

  // --- the one way anything changes ---
  act(place, propose, done) {
    let next, result;
    try {
      next = propose(this.st);
      if (next === this.st) { this.paintControls(); return true; }
      result = validate(next, this.rules, this.strings);
    } catch (error) {
      this.paintControls();  // a refused text leaves no trace in its box
      this.clearMessages();
      this.say(place, error instanceof InputError ? message(this.strings, error) : String(error));
      return false;
    }
    this.st = next;
    this.result = result;
    this.rev += 1;
    this.paint();
    this.clearMessages();
    if (done) this.say(place, typeof done === "function" ? done() : done, false);
    this.model.set("page_state", { ...next, rev: this.rev });
    this.model.save_changes();
    return true;
  }

  say(place, text, error = true) {
    place.textContent = text ? (error ? "⚠ " : "") + text : "";
    place.classList.toggle("selfattn-error", !!(text && error));
  }

  clearMessages() {
    for (const m of this.el.querySelectorAll(".selfattn-message")) this.say(m, "");
  }

  // --- building the controls (once) ---
  build() {
    const t = (k, v) => this.t(k, v);
    const root = h("div", { class: "selfattn-explorer", lang: this.language === "pt" ? "pt-BR" : "en" });
    this.root = root;
    root.append(h("h3", { text: t("title") }), h("p", { class: "selfattn-intro", text: t("intro") }),
      h("p", { class: "selfattn-intro", text: t("explorer_keys_help") }));
    this.editorsBox = h("div", { class: "selfattn-editors" });
    root.append(this.editorsBox);
    for (const name of this.shown) this.editorsBox.append(this.buildEditor(name));
    // sizes
    const sizeBox = (name) => {
      const id = `${this.id}-${name}`;
      const input = h("input", { id, type: "text", inputmode: "numeric", class: `selfattn-size selfattn-size-${name}`, size: 3,
        onkeydown: e => { if (e.key === "Enter") this.onSize(); if (e.key === "Escape") this.paintControls(); },
        onchange: () => this.onSize() });
      this[`size_${name}`] = input;
      return h("span", { class: "selfattn-field" }, [h("label", { for: id, text: t(name) }), input]);
    };
    root.append(h("div", { class: "selfattn-row" }, [
      h("button", { type: "button", class: "selfattn-add", text: t("add_token"), onclick: () => this.onTokens(+1) }),
      h("button", { type: "button", class: "selfattn-remove", text: t("remove_token"), onclick: () => this.onTokens(-1) }),
      sizeBox("d_model"), sizeBox("d_k"), sizeBox("d_v")]));
    this.fillZeros = h("input", { type: "radio", name: `${this.id}-fill`, value: "zeros", id: `${this.id}-fz`, checked: true });
    this.fillRandom = h("input", { type: "radio", name: `${this.id}-fill`, value: "random", id: `${this.id}-fr` });
    this.seed = h("input", { type: "text", inputmode: "numeric", id: `${this.id}-seed`, value: "0", size: 4, class: "selfattn-seed" });
    root.append(h("fieldset", { class: "selfattn-row", title: t("fill_tooltip") }, [
      h("legend", { text: t("explorer_fill") }),
      this.fillZeros, h("label", { for: `${this.id}-fz`, text: t("fill_zeros") }),
      this.fillRandom, h("label", { for: `${this.id}-fr`, text: t("fill_random") }),
      h("label", { for: `${this.id}-seed`, text: t("seed") }), this.seed]));
    // mask, scaling, focus, chapter example
    this.causal = h("input", { type: "radio", name: `${this.id}-mask`, id: `${this.id}-causal`, onchange: () => this.onFlags() });
    this.bidirectional = h("input", { type: "radio", name: `${this.id}-mask`, id: `${this.id}-bi`, onchange: () => this.onFlags() });
    this.scaled = h("input", { type: "checkbox", id: `${this.id}-scaled`, onchange: () => this.onFlags() });
    this.focus = h("select", { id: `${this.id}-focus`, onchange: () => this.onFocus() });
    root.append(h("div", { class: "selfattn-row" }, [
      h("fieldset", { class: "selfattn-mask" }, [h("legend", { text: t("causal_toggle") }),
        this.causal, h("label", { for: `${this.id}-causal`, text: t("causal"), title: t("causal_tooltip") }),
        this.bidirectional, h("label", { for: `${this.id}-bi`, text: t("bidirectional"), title: t("bidirectional_tooltip") })]),
      h("span", { class: "selfattn-field selfattn-scaled" }, [this.scaled, h("label", { for: `${this.id}-scaled`, text: t("scaled") })]),
      h("span", { class: "selfattn-field selfattn-focus" }, [h("label", { for: `${this.id}-focus`, text: t("focus") }), this.focus]),
      h("button", { type: "button", class: "selfattn-reset-all", text: t("reset_all"), title: t("reset_all_tooltip"),
        onclick: () => this.act(this.main, () => this.chapterState()) })]));
    this.main = h("div", { class: "selfattn-message selfattn-main-message", role: "status" });
    root.append(this.main);
    // a link that opens this very state (kept in step with it), copied on request
    this.linkBox = h("input", { type: "text", readonly: true, id: `${this.id}-link`, class: "selfattn-link", size: 36 });
    this.shareMessage = h("div", { class: "selfattn-message selfattn-share-message", role: "status" });
    root.append(h("div", { class: "selfattn-row selfattn-share" }, [
      h("button", { type: "button", class: "selfattn-copy-link", text: t("copy_link"), title: t("copy_link_tooltip"),
        onclick: () => this.onCopyLink() }),
      h("span", { class: "selfattn-field" }, [h("label", { for: `${this.id}-link`, text: t("link_field") }), this.linkBox])]),
    this.shareMessage);
    // beyond the chapter: heads, W^O, positions
    this.heads = h("input", { type: "text", inputmode: "numeric", id: `${this.id}-heads`, size: 3, title: t("explorer_heads_tooltip"),
      onkeydown: e => { if (e.key === "Enter") this.onHeads(); if (e.key === "Escape") this.paintControls(); },
      onchange: () => this.onHeads() });
    this.positions = h("input", { type: "checkbox", id: `${this.id}-positions`, title: t("explorer_positions_tooltip"),
      onchange: () => this.act(this.headsMessage, s => ({ ...copy(s), positions: this.positions.checked })) });
    this.headsMessage = h("div", { class: "selfattn-message", role: "status" });
    this.woSlot = h("div", { class: "selfattn-wo-slot" });
    this.inputView = h("div", { class: "selfattn-input-view" });
    this.headsSection = h("details", { class: "selfattn-heads-section" }, [
      h("summary", { text: t("explorer_heads_section") }),
      h("div", { class: "selfattn-row" }, [
        h("span", { class: "selfattn-field selfattn-heads" }, [h("label", { for: `${this.id}-heads`, text: t("explorer_heads_n") }), this.heads]),
        h("span", { class: "selfattn-field selfattn-positions" }, [this.positions, h("label", { for: `${this.id}-positions`, text: t("explorer_positions") })])]),
      this.headsMessage, h("div", { class: "selfattn-row" }, [this.woSlot, this.inputView])]);
    if (this.st.n_heads > 1 || this.st.positions) this.headsSection.open = true;
    root.append(this.headsSection);
    // save and load
    this.json = h("textarea", { id: `${this.id}-json`, rows: 8, placeholder: t("json_placeholder"), class: "selfattn-json" });
    this.file = h("input", { type: "file", accept: ".json,application/json", id: `${this.id}-file`, class: "selfattn-file",
      onchange: () => this.onFile() });
    this.fileMessage = h("div", { class: "selfattn-message", role: "status" });
    root.append(h("details", { class: "selfattn-save" }, [h("summary", { text: t("save_title") }),
      h("label", { for: `${this.id}-json`, text: t("json_label") }), this.json,
      h("div", { class: "selfattn-row" }, [
        h("button", { type: "button", class: "selfattn-export", text: t("export"), onclick: () => this.onExport() }),
        h("button", { type: "button", class: "selfattn-load", text: t("load"), onclick: () => this.onLoad(this.json.value) }),
        h("button", { type: "button", class: "selfattn-download", text: t("explorer_download"), onclick: () => this.onDownload() }),
        h("label", { for: `${this.id}-file`, text: t("explorer_file") }), this.file]),
      this.fileMessage]));
    // the views
    this.qkv = h("div", { class: "selfattn-row selfattn-qkv" });
    this.attention = h("div", { class: "selfattn-row selfattn-attention" });
    this.contributions = h("div", { class: "selfattn-contributions" });
    this.outputs = h("div", { class: "selfattn-row selfattn-output" });
    this.steps = h("div", { class: "selfattn-steps-body" });
    root.append(this.qkv, this.attention, h("div", { class: "selfattn-row" }, [this.contributions, this.outputs]),
      h("details", { class: "selfattn-steps", open: true }, [h("summary", { text: t("view_steps") }), this.steps]));
    this.el.replaceChildren(root);
  }

  chapterState() {
    const c = this.chapter;
    const n = c.labels.length, d = c.store.X[0].length;
    return { labels: [...c.labels], store: Object.fromEntries(MATRICES.map(k => [k, c.store[k].map(r => [...r])])),
      n, d_model: d, d_k: c.store.W_q[0].length, d_v: c.store.W_v[0].length, causal: true, scaled: true, focus: n - 1, n_heads: 1, positions: false };
  }

  newLabel(index) {
    const sentence = this.model.get("sentence") || [];
    return index < sentence.length ? sentence[index] : this.t("new_token", { index: index + 1 });
  }

  entries() {
    const fill = this.fillRandom.checked ? "random" : "zeros";
    const seed = /^\s*[0-9]+\s*$/.test(this.seed.value) ? Number(this.seed.value) : 0;
    return (name, rows, cols) => newEntries(fill, seed, name, rows, cols);
  }

  // --- a matrix editor ---
  buildEditor(name) {
    const t = (k, v) => this.t(k, v);
    const titleKey = name === "W_o" ? "explorer_heads_editor_W_o" : `editor_${name}`;
    const id = `${this.id}-${name}`;
    const paste = h("textarea", { id: `${id}-paste`, class: "selfattn-paste", rows: 3,
      placeholder: t(this.language === "pt" ? "paste_placeholder_pt" : "paste_placeholder") });
    const msg = h("div", { class: "selfattn-message", role: "status", id: `${id}-message` });
    const grid = h("table", { class: "selfattn-grid" });
    grid.addEventListener("keydown", e => this.onGridKey(name, e));
    const box = h("div", { class: `selfattn-matrix-editor selfattn-editor-${name}`, role: "group", "aria-labelledby": `${id}-title` }, [
      h("h4", { id: `${id}-title` }, [rich(t(titleKey))]),
      grid,
      h("label", { for: `${id}-paste`, text: t("paste_label", { name: this.nameOf(name) }) }), paste,
      h("div", { class: "selfattn-row" }, [
        h("button", { type: "button", class: "selfattn-paste-button", text: t("paste_button"), title: t("paste_tooltip"),
          onclick: () => this.onPaste(name, paste.value) }),
        name === "W_o" ? null : h("button", { type: "button", class: "selfattn-reset", text: t("reset_button"), title: t("reset_tooltip"),
          onclick: () => this.onReset(name) })]),
      msg]);
    this.grids[name] = { box, grid, msg, key: null, cells: [], labels: [] };
    return box;
  }

  nameOf(name) { return { X: "X", W_q: "W^Q", W_k: "W^K", W_v: "W^V", W_o: "W^O" }[name]; }

  paintEditor(name) {
    const g = this.grids[name];
    const M = matrix(this.st, name);
    const rows = M.length, cols = M[0].length;
    const labels = name === "X" ? tokens(this.st) : M.map((_, r) => String(r + 1));
    const key = `${rows}x${cols}`;
    if (g.key !== key) {
      g.key = key;
      g.cells = []; g.labels = [];
      const head = h("tr", {}, [h("td"), ...M[0].map((_, c) => h("th", { scope: "col", text: String(c + 1) }))]);
      const body = [];
      for (let r = 0; r < rows; r++) {
        let rowHead;
        if (name === "X") {
          const input = h("input", { type: "text", class: "selfattn-token", "aria-label": this.t("label_tooltip", { row: r + 1 }),
            "data-row": r, "data-col": -1, size: 7 });
          input.addEventListener("change", () => this.onLabel(r, input));
          g.labels.push(input);
          rowHead = h("th", { scope: "row" }, [input]);
        } else rowHead = h("th", { scope: "row", text: String(r + 1) });
        const cells = [];
        for (let c = 0; c < cols; c++) {
          const input = h("input", { type: "text", class: "selfattn-cell", inputmode: "decimal", size: 5, "data-row": r, "data-col": c,
            "aria-label": this.t("cell_tooltip", { name: this.nameOf(name), row: r + 1, col: c + 1 }) });
          input.addEventListener("change", () => this.onCell(name, r, c, input));
          cells.push(input);
        }
        g.cells.push(cells);
        body.push(h("tr", {}, [rowHead, ...cells.map(i => h("td", {}, [i]))]));
      }
      g.grid.replaceChildren(h("thead", {}, [head]), h("tbody", {}, body));
    }
    M.forEach((row, r) => row.forEach((v, c) => {
      const text = numberText(v, this.language);
      if (g.cells[r][c].value !== text) g.cells[r][c].value = text;
      g.cells[r][c].dataset.shown = text;
    }));
    g.labels.forEach((input, r) => { if (input.value !== labels[r]) input.value = labels[r]; input.dataset.shown = labels[r]; });
  }

  onGridKey(name, e) {
    const input = e.target;
    if (!(input instanceof HTMLInputElement)) return;
    const g = this.grids[name];
    const r = Number(input.dataset.row), c = Number(input.dataset.col);
    if (e.key === "Escape") {
      input.value = input.dataset.shown;
      this.say(g.msg, "");
      e.preventDefault();
      return;
    }
    if (e.key === "Enter") {
      input.dispatchEvent(new Event("change"));
      e.preventDefault();
      return;
    }
    const at = (rr, cc) => (cc < 0 ? g.labels[rr] : g.cells[rr] && g.cells[rr][cc]);
    const caretStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const caretEnd = input.selectionStart === input.value.length;
    let target = null;
    if (e.key === "ArrowUp") target = at(r - 1, c);
    else if (e.key === "ArrowDown") target = at(r + 1, c);
    else if (e.key === "ArrowLeft" && caretStart) target = at(r, c - 1);
    else if (e.key === "ArrowRight" && caretEnd) target = at(r, c + 1);
    if (target) {
      e.preventDefault();
      target.focus();
      target.select();
    }
  }

  onCell(name, r, c, input) {
    if (input.value === input.dataset.shown) return;
    const g = this.grids[name];
    let number;
    try {
      number = parseNumber(input.value, r + 1, c + 1, input.dataset.shown, this.language, this.rules);
    } catch (error) {
      input.value = input.dataset.shown;
      this.clearMessages();
      this.say(g.msg, message(this.strings, error));
      return;
    }
    if (number === matrix(this.st, name)[r][c]) { input.value = input.dataset.shown; return; }
    this.act(g.msg, s => { const M = matrix(s, name); M[r][c] = number; return withMatrix(s, name, M); });
  }

  onLabel(r, input) {
    if (input.value === input.dataset.shown) return;
    const old = input.dataset.shown;
    this.act(this.grids.X.msg, s => {
      const label = checkLabel(input.value, old, this.rules);
      const next = copy(s);
      next.labels[r] = label;
      return next;
    });
  }

  onPaste(name, text) {
    const g = this.grids[name];
    this.act(g.msg, s => {
      const pasted = parseMatrix(text, this.language, this.rules);
      const M = matrix(s, name);
      if (pasted.length !== M.length || pasted[0].length !== M[0].length) {
        const what = this.t(name === "X" ? "rows_tokens" : "rows_dims");
        throw new InputError("paste_shape", { rows: M.length, cols: M[0].length, what, got_rows: pasted.length, got_cols: pasted[0].length });
      }
      return withMatrix(s, name, pasted);
    }, () => {
      const M = matrix(this.st, name);
      return this.t("paste_done", { rows: M.length, cols: M[0].length, first: M[0].map(v => numberText(v, this.language)).join("  ") });
    });
  }

  onReset(name) {
    this.act(this.grids[name].msg, s => {
      const chapter = this.chapter.store[name];
      const M = matrix(s, name);
      if (chapter.length !== M.length || chapter[0].length !== M[0].length)
        throw new InputError("reset_shape", { rows: chapter.length, cols: chapter[0].length, now_rows: M.length, now_cols: M[0].length });
      return withMatrix(s, name, chapter);
    });
  }

  readInt(input, name) {
    const text = strip(input.value);
    if (!/^[+-]?[0-9]{1,6}$/.test(text)) throw new InputError("size_not_integer", { name, value: short(input.value) });
    return Number(text);
  }

  onSize() {
    this.act(this.main, s => {
      const sizes = { n: s.n };
      for (const name of ["d_model", "d_k", "d_v"]) sizes[name] = this.readInt(this[`size_${name}`], name);
      if (sizes.d_model === s.d_model && sizes.d_k === s.d_k && sizes.d_v === s.d_v) return s;
      return withSizes(s, sizes, this.entries(), i => this.newLabel(i), this.rules);
    });
  }

  onTokens(delta) {
    this.act(this.main, s => withSizes(s, { n: s.n + delta, d_model: s.d_model, d_k: s.d_k, d_v: s.d_v }, this.entries(), i => this.newLabel(i), this.rules));
  }

  onFlags() {
    this.act(this.main, s => ({ ...copy(s), causal: this.causal.checked, scaled: this.scaled.checked }));
  }

  onFocus() {
    this.act(this.main, s => ({ ...copy(s), focus: Number(this.focus.value) }));
  }

  onHeads() {
    this.act(this.headsMessage, s => {
      const text = strip(this.heads.value);
      const value = /^[+-]?[0-9]{1,6}$/.test(text) ? Number(text) : null;
      if (value === null || value < 1 || value > this.rules.max_heads)
        throw new InputError("explorer_heads_range", { limit: this.rules.max_heads, value: short(this.heads.value), kept: s.n_heads });
      return { ...copy(s), n_heads: value };
    });
  }

  // --- a link to this state (share.js) ---
  link() {
    const s = this.st;
    const data = { tokens: tokens(s), causal: s.causal, scaled: s.scaled, focus: s.focus, n_heads: s.n_heads, positions: s.positions };
    for (const name of MATRICES) data[name] = matrix(s, name);
    // on a page of the site (no kernel): this page; in a notebook: the site's explorer page (share.json)
    const base = this.kernel ? null : String(window.location.href).split("#")[0];
    return linkFor(data, this.share, this.language, base);
  }

  async onCopyLink() {
    const link = this.link();
    clearTimeout(this.linkTimer);
    this.linkBox.value = link;
    this.clearMessages();
    let copied = false;
    try {
      await navigator.clipboard.writeText(link);
      copied = true;
    } catch (error) {  // no clipboard permission (an insecure page, a browser setting): the old way
      this.linkBox.focus();
      this.linkBox.select();
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    }
    if (!copied) { this.say(this.shareMessage, this.t("link_copy_failed")); return; }
    const long = link.length > this.share.long_link;
    const values = { length: link.length, limit: this.share.long_link };
    this.say(this.shareMessage, long ? this.t("link_long", values) : this.t("link_copied", values), long);
  }

  // Open the state a link holds, through the checks a JSON file goes through. Refused: the state
  // stays (at the start: the page's first state, the chapter's example) and the message says why.
  openLink(link, atStart) {
    if (!link) return true;
    const said = error => (atStart ? new InputError("link_fallback", { why: error }) : error);
    return this.act(this.shareMessage, () => {
      let data;
      try { data = decodeLink(link, this.share, this.rules); } catch (error) { throw said(asInputError(error)); }
      try {
        const next = fromData(data, this.rules);
        validate(next, this.rules, this.strings);
        return next;
      } catch (error) {
        throw said(error instanceof InputError ? new InputError("link_refused", { error }) : error);
      }
    }, () => this.t("link_opened", { n: this.st.n, d_model: this.st.d_model, d_k: this.st.d_k, d_v: this.st.d_v }));
  }

  onExport() {
    this.exported = toJson(this.st);
    this.json.value = this.exported;
    this.clearMessages();
    this.say(this.fileMessage, this.t("exported"), false);
  }

  onDownload() {
    const text = toJson(this.st);  // always the state on screen, never an older one
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const link = h("a", { href: url, download: "attention-explorer.json" });
    this.root.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  onLoad(text) {
    return this.act(this.fileMessage, () => fromJson(text, this.rules),
      () => this.t("loaded", { n: this.st.n, d_model: this.st.d_model, d_k: this.st.d_k, d_v: this.st.d_v }));
  }

  async onFile() {
    const file = this.file.files && this.file.files[0];
    this.file.value = "";  // the same file chosen again is read again
    if (!file) return;
    if (file.size > this.rules.max_json) {
      this.clearMessages();
      this.say(this.fileMessage, message(this.strings, new InputError("json_too_long", { limit: this.rules.max_json, got: file.size })));
      return;
    }
    let text;
    try { text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer()); } catch (e) {
      this.clearMessages();
      this.say(this.fileMessage, message(this.strings, new InputError("json_not_utf8")));
      return;
    }
    if (this.onLoad(text) !== false) this.json.value = toJson(this.st);
  }

  // --- painting: every view from the state ---
  paint() {
    const s = this.st;
    // editors: W^O only with several heads
    if (s.n_heads > 1 && !this.grids.W_o) this.woSlot.append(this.buildEditor("W_o"));
    if (this.grids.W_o) this.grids.W_o.box.hidden = s.n_heads === 1;
    for (const name of Object.keys(this.grids)) if (name !== "W_o" || s.n_heads > 1) this.paintEditor(name);
    this.paintControls();
    this.paintViews();
    this.paintSteps();
    this.painted = true;
    // the link box: never an older state's link; written a moment after the frame (a link of 16
    // tokens, d = 10, takes about 1 ms in node, benchmarks/share_link.py: the repaint keeps its
    // frame to itself), and at once on "Copy link"
    this.linkBox.value = "";
    clearTimeout(this.linkTimer);
    this.linkTimer = setTimeout(() => { this.linkBox.value = this.link(); }, 120);
    if (this.exported !== null && this.json.value === this.exported) {  // kept in step with the state
      this.exported = toJson(s);
      this.json.value = this.exported;
    }
  }

  paintControls() {
    const s = this.st;
    for (const name of ["d_model", "d_k", "d_v"]) this[`size_${name}`].value = String(s[name]);
    this.causal.checked = s.causal;
    this.bidirectional.checked = !s.causal;
    this.scaled.checked = s.scaled;
    this.heads.value = String(s.n_heads);
    this.positions.checked = s.positions;
    const options = tokens(s).map((label, i) => this.t("focus_option", { index: i + 1, token: label }));
    if (this.focus.options.length !== options.length || options.some((o, i) => this.focus.options[i].textContent !== o))
      this.focus.replaceChildren(...options.map((o, i) => h("option", { value: i, text: o })));
    this.focus.value = String(s.focus);
    for (const g of Object.values(this.grids)) {
      for (const row of g.cells) for (const input of row) if (input.value !== input.dataset.shown) input.value = input.dataset.shown;
      for (const input of g.labels) if (input.value !== input.dataset.shown) input.value = input.dataset.shown;
    }
  }

  // A view is built once per layout (its key: sizes, labels, title, mask, focus) and then only
  // its numbers and colours change: at 16 tokens and 4 heads a rebuild would cost most of a frame.
  cached(name, key, build) {
    const old = this.views.get(name);
    if (old && old.key === key) return old;
    const made = { key, ...build() };
    this.views.set(name, made);
    return made;
  }

  fill(td, bg, text) {
    if (td._bg !== bg) {
      td.style.background = bg;
      td.style.color = isLight(bg) ? "#000" : "#fff";
      td._bg = bg;
    }
    if (td.firstChild.nodeValue !== text) td.firstChild.nodeValue = text;
  }

  table(M, rowLabels, title, name, places = 4) {
    // a matrix as a table, cells on the figures' diverging scale
    const view = this.cached(`table-${name}`, JSON.stringify([M.length, M[0].length, rowLabels, title]), () => {
      const id = `${this.id}-t-${name}`;
      const tds = M.map(row => row.map(() => h("td", {}, [""])));
      const node = h("div", { class: "selfattn-view" }, [
        h("div", { class: "selfattn-view-title", id, text: title }),
        h("table", { class: "selfattn-table", "data-name": name, "aria-labelledby": id }, [
          h("thead", {}, [h("tr", {}, [h("td"), ...M[0].map((_, c) => h("th", { scope: "col", text: String(c + 1) }))])]),
          h("tbody", {}, M.map((row, r) => h("tr", {}, [h("th", { scope: "row", text: rowLabels[r] }), ...tds[r].map(td => td)])))])]);
      return { node, tds };
    });
    const palette = this.rules.palette.signed;
    let top = 0;
    for (const row of M) for (const v of row) top = Math.max(top, Math.abs(v));
    top = top || 1;
    M.forEach((row, r) => row.forEach((v, c) => this.fill(view.tds[r][c], colour(palette, (v + top) / (2 * top)), cellText(v, places, this.language))));
    return view.node;
  }

  heatmap(head, labels, which, title, alt, k) {
    const data = head[which];
    const weights = which === "weights";
    const focus = weights ? this.st.focus : -1;
    const name = `heat-${which}-${k}`;
    const view = this.cached(name, JSON.stringify([labels, title, head.causal, focus]), () => {
      const id = `${this.id}-${which}-${k}`;
      const masked = this.t("explorer_masked_cell");
      const tds = data.map((row, i) => row.map((_, j) => {
        if (!head.mask[i][j] && weights)  // no weight at all (not a weight of 0): grey, hatched
          return h("td", { class: "selfattn-masked" }, [h("span", { class: "selfattn-sr", text: masked })]);
        return h("td", { class: head.mask[i][j] ? null : "selfattn-masked-score" },
          ["", head.mask[i][j] ? null : h("span", { class: "selfattn-sr", text: ` (${masked})` })]);
      }));
      const description = h("p", { class: "selfattn-sr", id: `${id}-d` });
      const node = h("figure", { class: "selfattn-heatmap", "data-name": which, "data-head": k }, [
        h("figcaption", { id: `${id}-c` }, title.split("\n").flatMap((line, i) => (i ? [h("br"), line] : [line]))),
        h("table", { class: "selfattn-heat", "aria-labelledby": `${id}-c`, "aria-describedby": `${id}-d` }, [
          h("thead", {}, [h("tr", {}, [h("td", { class: "selfattn-axis", text: this.t("plot_query_axis") + " \\ " + this.t("plot_key_axis") }),
            ...labels.map(l => h("th", { scope: "col", text: l }))])]),
          h("tbody", {}, data.map((row, i) => h("tr", { class: i === focus ? "selfattn-focus-row" : null },
            [h("th", { scope: "row", text: labels[i] }), ...tds[i]])))]),
        description,
        // the picture of what the view shows when the button is pressed (view.current, below)
        this.exportButtons(() => this.views.get(name).current(),
          weights ? this.t("export_file_weights", { head: k + 1 }) : this.t("export_file_scores", { head: k + 1 }), title)]);
      return { node, tds, description };
    });
    const palette = weights ? this.rules.palette.weights : this.rules.palette.signed;
    let top = 1;
    if (!weights) {  // plots._signed_norm: every score, masked or not
      top = 0;
      for (const row of data) for (const v of row) top = Math.max(top, Math.abs(v));
      top = top || 1;
    }
    data.forEach((row, i) => row.forEach((v, j) => {
      if (!head.mask[i][j] && weights) return;
      this.fill(view.tds[i][j], colour(palette, weights ? v : (v + top) / (2 * top)), cellText(v, 2, this.language));
    }));
    if (view.description.textContent !== alt) view.description.textContent = alt;
    // the exported picture: these cells, as fill() paints them, with the title, labels and scale
    view.current = () => {
      const cells = data.map((row, i) => row.map((v, j) => {
        if (!head.mask[i][j] && weights) return { masked: true, text: "" };
        const bg = colour(palette, weights ? v : (v + top) / (2 * top));
        return { text: cellText(v, 2, this.language), fill: bg, ink: isLight(bg) ? "#000" : "#fff", hatched: !head.mask[i][j] };
      }));
      const ticks = weights ? [0, 0.25, 0.5, 0.75, 1].map(at => ({ at, text: cellText(at, 2, this.language) }))
        : [0, 0.5, 1].map(at => ({ at, text: cellText((2 * at - 1) * top, 2, this.language) }));
      const svg = heatmapSvg({ title, alt, language: this.language, rowLabels: labels, colLabels: labels,
        xAxis: this.t("plot_key_axis"), yAxis: this.t("plot_query_axis"), cells, focusRow: weights ? focus : null,
        maskedNote: weights ? this.t("plot_weights_masked_note") : this.t("plot_scores_masked_note"),
        legend: { label: weights ? this.t("export_legend_weights") : this.t(head.scaled ? "plot_scores_scaled" : "plot_scores_unscaled"),
          palette, ticks } });
      return { svg, alt };
    };
    return view.node;
  }

  // SVG and PNG buttons under a view: `current()` gives {svg, alt} of what it shows now, `file` the
  // file's name (no extension)
  exportButtons(current, file, title) {
    const status = h("span", { class: "selfattn-message selfattn-export-message", role: "status" });
    const button = (format, label) => h("button", { type: "button", class: `selfattn-export-${format}`, text: this.t(label),
      "aria-label": this.t("export_picture_tooltip", { title: title.replace(/\n/g, " "), format: this.t(label) }),
      title: this.t("export_picture_tooltip", { title: title.replace(/\n/g, " "), format: this.t(label) }),
      onclick: async () => {
        try {
          // inside the PNG too: its title, its text alternative and the tokens' labels (one a line)
          const { svg, alt } = current();
          const name = await savePicture(svg, file, format,
            [["Title", title], ["Description", alt], ["Tokens", tokens(this.st).join("\n")]]);
          this.say(status, this.t("export_done", { file: name }), false);
        } catch (error) {  // a browser that cannot draw the SVG on a canvas: said, never silent
          this.say(status, this.t("export_failed", { format: this.t(label) }));
        }
      } });
    return h("div", { class: "selfattn-row selfattn-export" }, [button("svg", "export_svg"), button("png", "export_png"), status]);
  }

  mode(head) {
    return this.t("mode_label", { direction: this.t(head.causal ? "mode_causal" : "mode_bidirectional"),
      scaling: this.t(head.scaled ? "mode_scaled" : "mode_unscaled") });
  }

  weightsAlt(head, labels) {
    const rows = head.weights.map((row, i) => {
      let best = 0;
      row.forEach((v, j) => { if (v > row[best]) best = j; });
      return this.t("alt_weights_row", { token: labels[i], most: labels[best], weight: cellText(row[best], 2, this.language) });
    }).join("; ");
    return this.t("explorer_weights_alt", { n: head.n, mode: this.mode(head), focus: `${this.st.focus + 1} (${labels[this.st.focus]})`, rows });
  }

  place(container, children) {  // the same nodes in the same order: nothing to move
    const now = container.children;
    if (now.length === children.length && children.every((c, k) => now[k] === c)) return;
    container.replaceChildren(...children);
  }

  paintViews() {
    const s = this.st, r = this.result;
    const labels = tokens(s).map(l => shortLabel(l, this.rules.label_chars));
    const full = tokens(s);
    const several = r.heads.length > 1;
    const pick = name => (several ? r.heads[0][name].map((_, i) => r.heads.flatMap(head => head[name][i])) : r.heads[0][name]);
    this.place(this.inputView, s.positions ? [this.table(r.X_in, full, this.t("explorer_heads_view_input"), "X_in")] : []);
    this.place(this.qkv, ["Q", "K", "V"].filter(n => this.panels.has(n)).map(n => this.table(pick(n), full, this.t(`view_${n}`), n)));
    const maps = [];
    if (several) {
      if (this.panels.has("weights")) r.heads.forEach((head, k) => maps.push(this.heatmap(head, labels, "weights",
        this.t("explorer_heads_title", { head: k + 1 }), this.weightsAlt(head, labels), k)));
    } else {
      const head = r.heads[0];
      if (this.panels.has("scores")) {
        const values = head.scores.flat();
        maps.push(this.heatmap(head, labels, "scores",
          this.t("plot_scores_title", { formula: this.t(head.scaled ? "plot_scores_scaled" : "plot_scores_unscaled"), direction: this.t(head.causal ? "mode_causal" : "mode_bidirectional") }),
          this.t("explorer_scores_alt", { n: head.n, mode: this.mode(head), low: cellText(Math.min(...values), 2, this.language), high: cellText(Math.max(...values), 2, this.language) }), 0));
      }
      if (this.panels.has("weights")) maps.push(this.heatmap(head, labels, "weights",
        this.t("plot_weights_title", { mode: this.mode(head) }), this.weightsAlt(head, labels), 0));
    }
    this.place(this.attention, maps);
    const outputs = [];
    if (this.panels.has("output")) {
      if (several) outputs.push(this.table(r.concat, full, this.t("explorer_heads_view_concat"), "concat"),
        this.table(r.output, full, this.t("explorer_heads_view_output"), "output"));
      else outputs.push(this.table(r.output, full, this.t("view_output"), "output"));
    }
    this.place(this.outputs, outputs);
    if (!this.panels.has("contributions")) this.contributions.replaceChildren();
    else if (several) this.contributions.replaceChildren(h("p", { text: this.t("explorer_heads_one_head_only") }));
    else this.contributions.replaceChildren(this.contributionsView(r.heads[0], labels));
  }

  contributionsView(head, labels) {
    // stacked bars: component c of a_i is the sum over j of alpha_ij v_jc, one colour per j
    const i = this.st.focus, dv = head.V[0].length;
    const visible = labels.map((_, j) => j).filter(j => head.mask[i][j]);
    const pieces = visible.map(j => head.V[j].map(v => head.weights[i][j] * v));
    let low = 0, high = 0;
    for (let c = 0; c < dv; c++) {
      let up = 0, down = 0;
      for (const p of pieces) { if (p[c] >= 0) up += p[c]; else down += p[c]; }
      high = Math.max(high, up, head.output[i][c]); low = Math.min(low, down, head.output[i][c]);
    }
    if (high === low) high = low + 1;
    const W = 60 + 46 * dv, H = 220, top = 14, bottom = 190, y = v => top + (high - v) / (high - low) * (bottom - top);
    const svgNS = "http://www.w3.org/2000/svg";
    const s = (tag, attrs) => { const n = document.createElementNS(svgNS, tag); for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v); return n; };
    const colours = this.rules.palette.tokens;
    const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img",
      "aria-label": this.t("alt_contributions", { i: sub(i + 1), token: labels[i], output: head.output[i].map(v => cellText(v, 2, this.language)).join("; ") }) });
    svg.append(s("line", { x1: 40, x2: W - 10, y1: y(0), y2: y(0), stroke: "#555" }));
    for (let c = 0; c < dv; c++) {
      let up = 0, down = 0;
      const x = 48 + 46 * c;
      pieces.forEach((p, k) => {
        const v = p[c], from = v >= 0 ? up : down, to = from + v;
        if (v >= 0) up = to; else down = to;
        svg.append(s("rect", { x, width: 30, y: Math.min(y(from), y(to)), height: Math.abs(y(from) - y(to)), fill: colours[visible[k] % colours.length] }));
      });
      svg.append(s("line", { x1: x - 4, x2: x + 34, y1: y(head.output[i][c]), y2: y(head.output[i][c]), stroke: "#000", "stroke-width": 3 }));
      const label = s("text", { x: x + 15, y: 206, "text-anchor": "middle", "font-size": 11 });
      label.textContent = String(c + 1);
      svg.append(label);
    }
    const legend = h("ul", { class: "selfattn-legend" }, [
      h("li", {}, [h("span", { class: "selfattn-swatch selfattn-total" }), this.t("plot_contribution_total", { i: sub(i + 1) })]),
      ...visible.map(j => h("li", {}, [h("span", { class: "selfattn-swatch", style: `background:${colours[j % colours.length]}` }),
        this.t("plot_contribution_part", { i: sub(i + 1), j: sub(j + 1), token: labels[j] })]))]);
    const title = this.t("plot_contributions_title", { i: sub(i + 1), token: labels[i] });
    const alt = svg.getAttribute("aria-label");
    const picture = () => ({ alt, svg: contributionsSvg({ title, alt, language: this.language, axis: this.t("plot_component_axis", { i: sub(i + 1) }),
      components: head.output[i].map((_, c) => String(c + 1)),
      pieces: visible.map((j, k) => ({ label: this.t("plot_contribution_part", { i: sub(i + 1), j: sub(j + 1), token: labels[j] }),
        colour: colours[j % colours.length], values: pieces[k] })),
      total: { label: this.t("plot_contribution_total", { i: sub(i + 1) }), values: head.output[i],
        texts: head.output[i].map(v => cellText(v, 2, this.language)) } }) });
    return h("figure", { class: "selfattn-contrib" }, [
      h("figcaption", { text: title }),
      h("div", { class: "selfattn-row" }, [svg, legend]),
      h("p", { class: "selfattn-axis", text: this.t("plot_component_axis", { i: sub(i + 1) }) }),
      this.exportButtons(picture, this.t("export_file_contributions", { token: i + 1 }), title)]);
  }

  // The worked steps are written after the frame that shows every other view (at 16 tokens they
  // take longer than all the rest); meanwhile aria-busy says they are on their way. The first
  // render writes them at once.
  paintSteps() {
    const token = this.stepsToken = (this.stepsToken || 0) + 1;
    if (!this.panels.has("steps")) { this.steps.replaceChildren(); return; }
    this.steps.removeAttribute("aria-busy");
    if (this.st.n_heads > 1) { this.steps.replaceChildren(h("p", { text: this.t("explorer_heads_one_head_only") })); return; }
    if (!this.painted || typeof requestAnimationFrame !== "function") { this.writeSteps(); return; }
    this.steps.setAttribute("aria-busy", "true");
    requestAnimationFrame(() => setTimeout(() => {
      if (token === this.stepsToken) { this.writeSteps(); this.steps.removeAttribute("aria-busy"); }
    }, 0));
  }

  writeSteps() {
    const s = this.st;
    const blocks = pageBlocks(workedBlocks(this.result.heads[0], this.result.X_in, matrix(s, "W_q"), tokens(s), s.focus,
      (key, values) => this.t(key, values), s.positions, this.language), this.language);
    this.steps.replaceChildren(...blocks.map(b => {
      if (b.k === "heading") return h("h4", {}, nodes(b.c));
      if (b.k === "math") return h("p", { class: "selfattn-math" }, nodes(b.c));
      if (b.k === "text") return h("p", {}, nodes(b.c));
      return h("table", { class: "selfattn-step-table" }, [
        h("thead", {}, [h("tr", {}, b.head.map(c => h("th", { scope: "col" }, nodes(c))))]),
        h("tbody", {}, b.rows.map(row => h("tr", {}, row.map(c => h("td", {}, nodes(c))))))]);
    }));
  }
}

function render({ model, el }) {
  const explorer = new Explorer(model, el);
  return () => explorer.destroy();
}

export default { render };
