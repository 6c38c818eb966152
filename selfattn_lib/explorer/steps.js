// The worked steps of the focus token, written in the page: the same text as selfattn_lib.steps
// (steps.worked_steps) for the same state, block for block, then drawn as steps_view.py's nodes
// (strings, or [tag, nodes] with tag "sub", "sup" or "b"). tests/test_explorer_page_steps.py runs
// both on random states and requires them equal. No word here: `say(key, values)` gives every
// sentence (strings.py / strings_pt.py via the model).
//
// Numbers follow rounding.py exactly: a float read to 12 significant digits, rounded half up, and
// sums checked in Python's decimal arithmetic (28 digits, half even), emulated with BigInt.

// --- decimals: {c: BigInt, e: exponent}, the value c * 10^e ---------------------------------------

const PREC = 28;  // Python's default decimal context
const POW = [1n];
function pow10(k) {
  while (POW.length <= k) POW.push(POW[POW.length - 1] * 10n);
  return POW[k];
}
const POW5 = [1n];
function pow5(k) {
  while (POW5.length <= k) POW5.push(POW5[POW5.length - 1] * 5n);
  return POW5[k];
}
const abs = c => (c < 0n ? -c : c);
const digits = c => abs(c).toString().length;

class DecimalError extends Error {}  // Python's decimal.InvalidOperation

// The exact value of a finite double.
function exactOf(x) {
  if (!Number.isFinite(x)) throw new DecimalError(String(x));
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0), lo = view.getUint32(4);
  const bits = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2 = -1074;
  if (bits) { m |= 1n << 52n; e2 = bits - 1075; }
  const c = e2 >= 0 ? m << BigInt(e2) : m * pow5(-e2);
  const d = { c: hi >>> 31 ? -c : c, e: Math.min(e2, 0) };
  return d;
}

// d rounded to exponent e: "even" (half even) or "up" (half away from zero).
function roundAt(d, e, mode) {
  if (d.e >= e) return { c: d.c * pow10(d.e - e), e };
  const unit = pow10(e - d.e), a = abs(d.c);
  let q = a / unit;
  const twice = 2n * (a % unit);
  if (twice > unit || (twice === unit && (mode === "up" || q % 2n === 1n))) q += 1n;
  return { c: d.c < 0n ? -q : q, e };
}

function roundSig(d, n) {  // to n significant digits, half even (the context's rounding)
  const k = digits(d.c);
  return k <= n ? d : roundAt(d, d.e + k - n, "even");
}

const read12 = x => roundSig(exactOf(Number(x)), 12);  // Decimal(f"{x:.12g}")

function quantize(d, places) {  // Decimal.quantize(10^-places, ROUND_HALF_UP)
  const q = roundAt(d, -places, "up");
  if (digits(q.c) > PREC) throw new DecimalError("quantize");
  return q;
}

// rounding.round_half_up; remembered, since the steps round the same numbers at each precision
// they try (a worked example at 16 tokens rounds a few thousand)
const ROUNDED = [];  // per precision: number -> decimal (or the error it raised)
function roundHalfUp(x, places) {
  const seen = (ROUNDED[places] ??= new Map());
  let d = seen.get(x);
  if (d === undefined) {
    if (seen.size > 20_000) seen.clear();
    try { d = quantize(read12(x), places); } catch (e) { d = e; }
    seen.set(x, d);
  }
  if (d instanceof Error) throw d;
  return d;
}
const mul = (a, b) => roundSig({ c: a.c * b.c, e: a.e + b.e }, PREC);
function add(a, b) {
  const e = Math.min(a.e, b.e);
  return roundSig({ c: a.c * pow10(a.e - e) + b.c * pow10(b.e - e), e }, PREC);
}
function equal(a, b) {
  const e = Math.min(a.e, b.e);
  return a.c * pow10(a.e - e) === b.c * pow10(b.e - e);
}
function divide(a, b) {  // correctly rounded to PREC digits, half even
  const k = Math.max(0, PREC + 2 + digits(b.c) - digits(a.c));
  const num = abs(a.c) * pow10(k), den = abs(b.c);
  let q = num / den, e = a.e - b.e - k;
  if (num % den) { q = q * 10n + 1n; e -= 1; }  // a sticky digit: never a false tie
  const r = roundSig({ c: q, e }, PREC);
  return (a.c < 0n) !== (b.c < 0n) ? { c: -r.c, e: r.e } : r;
}
const toFloat = d => Number(`${d.c}e${d.e}`);

function fixedText(d) {  // str() of a quantized Decimal, in fixed notation
  const places = -d.e;
  let text = abs(d.c).toString();
  if (places > 0) {
    text = text.padStart(places + 1, "0");
    text = `${text.slice(0, -places)}.${text.slice(-places)}`;
  }
  return d.c < 0n ? `-${text}` : text;
}

// rounding.fmt: exactly `places` decimals; never "-0.00".
export function fmt(x, places = 2) {
  const d = roundHalfUp(x, places);
  const text = fixedText(d);
  return d.c === 0n && text.startsWith("-") ? text.slice(1) : text;
}

// rounding.written: every number of `text` (as Python writes them) as `language` writes it. In
// Portuguese 0.305 -> 0,305, 100000 -> 100.000, 44.2% -> 44,2 % ("{,}" and "\\ \\%" in TeX). The
// same pattern as rounding._NUMBER, with Python's Unicode \w and \d.
const WRITTEN_NUMBER = /(?<![\p{L}\p{N}_.,])(?<sign>[-+−]?)(?<whole>\p{Nd}+)(?:\.(?<decimals>\p{Nd}+))?(?<exponent>e[-+]?\p{Nd}+)?(?<percent>%?)(?![\p{L}\p{N}_.]*\p{Nd})/gu;
const GROUP_FROM = 5;  // rounding._GROUP_FROM: 10.000, but a four-digit 1024 stays

export function written(text, language = "en", math = false) {
  if (language !== "pt") return text;
  const comma = math ? "{,}" : ",";
  return text.replace(WRITTEN_NUMBER, (...args) => {
    const g = args[args.length - 1];
    let whole = g.whole;
    if (whole.length >= GROUP_FROM && !g.exponent) {
      const digits = /^[0-9]+$/.test(whole) ? BigInt(whole).toString() : whole;  // int(): no leading zeros
      whole = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    }
    let shown = g.sign + whole;
    if (g.decimals !== undefined) shown += comma + g.decimals;
    shown += g.exponent || "";
    return shown + (g.percent ? (math ? "\\ \\%" : " %") : "");
  });
}

// steps.LABEL_OPEN/LABEL_CLOSE: a learner's label stands between them until the text is written
// out, so its digits stay as typed ("3.5" is not 3,5 in Portuguese).
const LABEL_OPEN = "\ue000", LABEL_CLOSE = "\ue001";
const LABEL_MARKS = /[\ue000\ue001]/g;
const unmarked = text => text.replace(LABEL_MARKS, "");

// steps._written_line and steps._written: a line's $math$ in TeX's form, a label as typed; each
// block once.
function writtenLine(line, language) {
  return line.split(/(\ue000[^\ue001]*\ue001|\$[^$]*\$)/)
    .map(part => part.startsWith(LABEL_OPEN) ? part.slice(1, -1) : written(part, language, part.startsWith("$")))
    .join("");
}

function writtenBlocks(blocks, language) {
  if (language !== "pt") {
    return blocks.map(block => block[0] === "table"
      ? ["table", block[1].map(unmarked), block[2].map(row => row.map(unmarked))]
      : [block[0], unmarked(block[1]), ...block.slice(2)]);
  }
  return blocks.map(block => {
    if (block[0] === "math") return ["math", written(unmarked(block[1]), language, true)];
    if (block[0] === "table") return ["table", block[1].map(x => writtenLine(x, language)),
      block[2].map(row => row.map(x => writtenLine(x, language)))];
    return [block[0], writtenLine(block[1], language)];
  });
}

// rounding.adds_up: the terms (lists of factors), each factor rounded, add up to the rounded total.
function addsUp(terms, total, places) {
  let shown = { c: 0n, e: 0 };
  for (const term of terms) {
    let product = { c: 1n, e: 0 };
    for (const f of term) product = mul(product, roundHalfUp(f, places));
    shown = add(shown, product);
  }
  return equal(quantize(shown, places), roundHalfUp(total, places));
}

function placesThatAddUp(terms, total, start = 2, most = 6) {
  for (let places = start; places <= most; places++) if (addsUp(terms, total, places)) return places;
  return most;
}

// --- Python's float formatting -----------------------------------------------------------------------

function pyStr(x) {  // str(float) for inf/nan (never shown for a valid state, kept for safety)
  return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
}

function pyE(x, places) {  // f"{x:.{places}e}"
  const exact = exactOf(x);
  const k = digits(exact.c);
  let d = roundAt(exact, exact.e + k - (places + 1), "even");
  let text = abs(d.c).toString();
  let exp = d.e + text.length - 1;
  if (text.length > places + 1) text = text.slice(0, places + 1);  // 9.99 -> 10.0: one digit more
  const mantissa = places ? `${text[0]}.${text.slice(1)}` : text;
  return `${x < 0 ? "-" : ""}${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

// math.fsum: the correctly rounded sum (Shewchuk's partials, as CPython).
function fsum(values) {
  const partials = [];
  for (let x of values) {
    let i = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y, lo = y - (hi - x);
      if (lo) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  let n = partials.length, hi = 0, lo = 0;
  if (n) {
    hi = partials[--n];
    while (n > 0) {
      const x = hi, y = partials[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo) break;
    }
    if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
      const y = lo * 2, x = hi + y;
      if (y === x - hi) hi = x;
    }
  }
  return hi;
}

// --- steps.py's numbers ----------------------------------------------------------------------------

const EXP_LIMIT = 30;

function num(x, places = 2) {
  if (!Number.isFinite(x)) return pyStr(x);
  if (Math.abs(x) >= 1e5) return pyE(x, places);
  if (x === Math.round(x)) return String(x === 0 ? 0 : x);
  return fmt(x, places);
}

function factor(x, places = 2) {
  const text = num(x, places);
  return text.startsWith("-") ? `(${text})` : text;
}

const fixed = (x, places = 4) => fmt(x, places);

function sumOfProducts(a, b, places = 2) {
  return a.map((x, k) => `${factor(x, places)} \\cdot ${factor(b[k], places)}`).join(" + ");
}

function trimmed(x, places, keep = 2) {
  const text = num(x, places);
  if (!text.includes(".") || text.includes("e")) return text;
  const [whole, decimals] = text.split(".");
  return `${whole}.${decimals.replace(/0+$/, "").padEnd(keep, "0")}`;
}

const exponent = (x, places) => trimmed(x, Math.max(places, 10));

function placesForExponentials(row, shift, exps, total) {
  if (!Number.isFinite(total) || total >= 1e5 || Math.max(...row.map(Math.abs)) >= 1e5) return 2;
  const shown = row.map(x => toFloat(roundHalfUp(x, 10)) - shift);
  const exactAt = places => shown.every((x, k) => equal(roundHalfUp(Math.exp(x), places), roundHalfUp(exps[k], places)));
  for (let places = 2; places < 7; places++)
    if (exactAt(places) && addsUp(exps.map(e => [e]), total, places)) return places;
  for (let places = 2; places < 7; places++) if (exactAt(places)) return places;
  return 2;
}

const rowVector = (v, places = 2) => `\\begin{bmatrix} ${v.map(x => trimmed(x, places)).join(" & ")} \\end{bmatrix}`;

function equals(terms, total, places) {
  let exact;
  try { exact = addsUp(terms, total, places); } catch (e) { if (!(e instanceof DecimalError)) throw e; exact = true; }
  return exact ? " = " : " \\approx ";
}

function quotientEquals(dot, root, score, places) {
  let exact;
  try {
    const shown = divide(roundHalfUp(dot, places), roundHalfUp(root, 12));
    exact = equal(roundHalfUp(toFloat(shown), places + 1), roundHalfUp(score, places + 1));
  } catch (e) { if (!(e instanceof DecimalError)) throw e; exact = true; }
  return exact ? " = " : " \\approx ";
}

const pairs = (a, b) => a.map((x, k) => [x, b[k]]);
const productsEqual = (a, b, total, places) => equals(pairs(a, b), total, places);

function placesForProducts(a, b, total) {
  const all = [...a, ...b, total];
  if (!all.every(Number.isFinite) || Math.max(0, ...all.map(Math.abs)) >= 1e5) return 2;
  return placesThatAddUp(pairs(a, b), total);
}

function word(tokens, i) {  // “gato”, with what Markdown or LaTeX would act on escaped
  if (!tokens || i >= tokens.length) return "";
  const label = unmarked(String(tokens[i])).replace(/([\\`*_|$<[\]#])/g, "\\$1");
  return ` “${LABEL_OPEN}${label}${LABEL_CLOSE}”`;
}

const dotOf = (a, b) => a.reduce((s, x, k) => s + x * b[k], 0);
const column = (M, c) => M.map(row => row[c]);
const LETTER = { q: "Q", k: "K", v: "V" };

// --- the steps (steps.py's functions, one for one): blocks as steps.Rendered holds them ---------------

function projectionStep(X, W, vector, i, name, c, tokens, say, positions) {
  const letter = LETTER[name], s = i + 1, t = c + 1;
  const places = placesForProducts(X[i], column(W, c), vector[c]);
  const x = positions ? `(x_{${s}} + p_{${s}})` : `x_{${s}}`;
  const matrix = `$W^${letter}$`;
  return [
    ["text", say("step_projection", { formula: `$${name}_{${s}} = ${x} W^${letter}$`, s, word: word(tokens, i) })],
    ["math", `${x} = ${rowVector(X[i])}`],
    ["text", say("step_projection_component", { t, vector: `$${name}_{${s}}$`, x: `$${x}$`, matrix })],
    ["math", `${name}_{${s},${t}} = ${sumOfProducts(X[i], column(W, c), places)}`
      + `${productsEqual(X[i], column(W, c), vector[c], places)}${num(vector[c], places)}`],
    ["text", say("step_projection_all", { count: vector.length, matrix })],
    ["table", vector.map((_, k) => `$${name}_{${s},${k + 1}}$`), [vector.map(v => fixed(v))]],
  ];
}

function scoreStep(r, i, j, tokens, say) {
  const s = i + 1, t = j + 1;
  const dot = dotOf(r.Q[i], r.K[j]);
  const places = placesForProducts(r.Q[i], r.K[j], dot);
  const blocks = [
    ["text", say("step_score", { s, word_i: word(tokens, i), t, word_j: word(tokens, j) })],
    ["math", `q_{${s}} \\cdot k_{${t}} = ${sumOfProducts(r.Q[i], r.K[j], places)}`
      + `${productsEqual(r.Q[i], r.K[j], dot, places)}${num(dot, places)}`],
  ];
  const score = r.scores[i][j];
  if (r.scaled) {
    const root = Math.sqrt(r.d_k);
    blocks.push(["math", `\\mathrm{score}(x_{${s}}, x_{${t}}) = \\frac{q_{${s}} \\cdot k_{${t}}}{\\sqrt{d_k}} = `
      + `\\frac{${num(dot, places)}}{\\sqrt{${r.d_k}}}`
      + (root === Math.trunc(root) ? ` = \\frac{${num(dot, places)}}{${num(root)}}` : "")
      + quotientEquals(dot, root, score, places) + trimmed(score, places + 1)]);
  } else {
    blocks.push(["text", say("step_score_unscaled", { root: "$\\sqrt{d_k}$",
      formula: `$\\mathrm{score}(x_{${s}}, x_{${t}}) = ${num(score)}$` })]);
  }
  if (r.causal && j > i) blocks.push(["text", say("step_score_masked", { t, s, formula: `$\\alpha_{${s}${t}} = 0$` })]);
  return blocks;
}

function softmaxStep(r, i, visible, tokens, say) {
  const s = i + 1;
  const row = visible.map(j => r.scores[i][j]);
  const top = Math.max(...row);
  const shift = Math.max(...row.map(Math.abs)) > EXP_LIMIT ? top : 0;
  const exps = row.map(x => Math.exp(x - shift));
  const total = fsum(exps);
  const places = placesForExponentials(row, shift, exps, total);
  let topText = exponent(top, places);
  if (topText.startsWith("-")) topText = `(${topText})`;
  const power = shift === 0 ? x => `e^{${exponent(x, places)}}` : x => `e^{${exponent(x, places)} - ${topText}}`;
  const over = !r.causal ? say("step_softmax_all_tokens") : `$j \\le ${s}$`;
  const formula = `$\\alpha_{${s}j} = e^{\\mathrm{score}(x_{${s}}, x_j)} / \\sum_k e^{\\mathrm{score}(x_{${s}}, x_k)}$`;
  const blocks = [["text", say("step_softmax", { s, word: word(tokens, i), over, formula })]];
  if (shift) blocks.push(["text", say("step_softmax_shift", { top: `$${num(top)}$` })]);
  let terms = row.map(power).join(" + ") + " = ";
  if (exps.length > 1) {
    terms += exps.map(e => num(e, places)).join(" + ") + " = ";
    terms = terms.slice(0, -3) + equals(exps.map(e => [e]), total, places);
  }
  blocks.push(["math", "\\sum_k = " + terms + num(total, places)]);
  const table = visible.map((j, k) => [`${j + 1}${word(tokens, j)}`, fixed(row[k]), fixed(exps[k]), fixed(r.weights[i][j])]);
  blocks.push(["table", ["$j$", say("step_column_score"), shift ? "$e^{\\mathrm{score} - \\max}$" : "$e^{\\mathrm{score}}$",
    `$\\alpha_{${s}j}$`], table]);
  const hidden = [];
  for (let j = 0; j < r.n; j++) if (!visible.includes(j)) hidden.push(j + 1);
  if (hidden.length) blocks.push(["text", say("step_softmax_masked", { tokens: hidden.join(", ") })]);
  blocks.push(["text", say("step_softmax_sum", { s })]);
  return blocks;
}

function outputStep(r, i, visible, tokens, say) {
  const s = i + 1, dv = r.V[0].length;
  const symbolic = visible.map(j => `\\alpha_{${s}${j + 1}} v_{${j + 1}}`).join(" + ");
  const weights = visible.map(j => r.weights[i][j]);
  const values = c => visible.map(j => r.V[j][c]);
  let places = 2;
  for (let c = 0; c < dv; c++) places = Math.max(places, placesForProducts(weights, values(c), r.output[i][c]));
  let exact = true;
  for (let c = 0; c < dv; c++) if (productsEqual(weights, values(c), r.output[i][c], places) !== " = ") exact = false;
  const numeric = visible.map(j => `${factor(r.weights[i][j], places)} \\cdot ${rowVector(r.V[j], places)}`).join(" + ");
  return [
    ["text", say("step_output", { s, word: word(tokens, i), values: "$v_j$", alpha: `$\\alpha_{${s}j}$` })],
    ["math", `a_{${s}} = ${symbolic} = ${numeric}${exact ? " = " : " \\approx "}${rowVector(r.output[i], places)}`],
    ["table", r.output[i].map((_, k) => `$a_{${s},${k + 1}}$`), [r.output[i].map(v => fixed(v))]],
  ];
}

function modeLabel(r, say) {
  return say("mode_label", { direction: say(r.causal ? "mode_causal" : "mode_bidirectional"),
    scaling: say(r.scaled ? "mode_scaled" : "mode_unscaled") });
}

// steps.worked_steps for one head `r` (explorer.js's selfAttention of X, W_q, ...): the blocks.
// `X` is the input the head saw (x_i + p_i with positions).
export function workedBlocks(r, X, Wq, tokens, i, say, positions = false, language = "en") {
  const s = i + 1;
  const visible = [];
  for (let j = 0; j < r.n; j++) if (!r.causal || j <= i) visible.push(j);
  const blocks = [["heading", say("step_worked", { s, word: word(tokens, i), mode: modeLabel(r, say) })],
    ["text", say("step_1")]];
  blocks.push(...projectionStep(X, Wq, r.Q[i], i, "q", 0, tokens, say, positions));
  const width = Math.max(r.d_k, r.V[0].length);
  const header = [say("step_column_token"), say("step_column_vector"), ...Array.from({ length: width }, (_, c) => String(c + 1))];
  const pad = row => [...row, ...new Array(header.length - row.length).fill("")];
  const rows = [...visible.map(j => pad([`${j + 1}${word(tokens, j)}`, `$k_{${j + 1}}$`, ...r.K[j].map(v => fixed(v))])),
    ...visible.map(j => pad([`${j + 1}${word(tokens, j)}`, `$v_{${j + 1}}$`, ...r.V[j].map(v => fixed(v))]))];
  blocks.push(["text", say("step_keys_values")], ["table", header, rows], ["text", say("step_2")]);
  for (const j of visible) blocks.push(...scoreStep(r, i, j, tokens, say));
  blocks.push(["text", say("step_3")], ...softmaxStep(r, i, visible, tokens, say), ["text", say("step_4")],
    ...outputStep(r, i, visible, tokens, say));
  return writtenBlocks(blocks, language);
}

// --- the blocks as nodes (steps_view.py, one for one) ------------------------------------------------

const SYMBOLS = { cdot: " · ", approx: " ≈ ", le: " ≤ ", ge: " ≥ ", alpha: "α", sum: "Σ", max: "max", times: " × ",
  ldots: "…", cdots: "⋯", quad: "  ", infty: "∞" };
const SEPARATOR = "\x00";  // a matrix's column separator

function merge(list) {
  const out = [];
  for (const node of list) {
    if (typeof node === "string") {
      if (!node) continue;
      if (out.length && typeof out[out.length - 1] === "string") { out[out.length - 1] += node; continue; }
    }
    out.push(node);
  }
  return out;
}

function tidy(list, comma) {
  return list.map(node => {
    if (typeof node !== "string") return [node[0], tidy(node[1], comma)];
    node = node.replace(/ {2,}/g, " ").replaceAll(" ,", ",").replaceAll("[ ", "[").replaceAll(" ]", "]");
    return node.replace(/ *\x00 */g, comma ? "; " : ", ");
  });
}

export function latexNodes(source, comma = false) {
  return tidy(merge(latex(source, 0, false)[0]), comma);
}

function group(s, i) {
  while (i < s.length && s[i] === " ") i++;
  if (i < s.length && s[i] === "{") return latex(s, i + 1, true);
  if (i < s.length && s[i] === "\\") return command(s, i);
  return [i < s.length ? [s[i]] : [], i + 1];
}

const COMMAND = /\\([A-Za-z]+)/y;
const PLAIN = /[^{}\\_^&]+/y;  // a run of characters the formula shows as they are

function command(s, i) {
  COMMAND.lastIndex = i;
  const m = COMMAND.exec(s);
  if (!m) {
    const ch = i + 1 < s.length ? s[i + 1] : "";
    return [[{ ",": " ", "!": "", ";": " ", ":": " " }[ch] ?? ch], i + 2];
  }
  const name = m[1];
  let j = i + m[0].length;
  if (name === "begin" || name === "end") return [[name === "begin" ? "[" : "]"], group(s, j)[1]];
  if (["mathrm", "text", "mathbf", "operatorname"].includes(name)) return group(s, j);
  if (name === "frac") {
    const [top, a] = group(s, j);
    const [bottom, b] = group(s, a);
    return [["(", ...top, ") / (", ...bottom, ")"], b];
  }
  if (name === "sqrt") {
    const [inside, a] = group(s, j);
    return [["√", ...inside], a];
  }
  if (name === "left" || name === "right") return [[], j];
  return [[SYMBOLS[name] ?? name], j];
}

function latex(s, i, closing) {
  const out = [];
  while (i < s.length) {
    const ch = s[i];
    if (ch === "}" && closing) return [merge(out), i + 1];
    if (ch === "{") {
      const [inner, j] = latex(s, i + 1, true);
      out.push(...inner);
      i = j;
    } else if (ch === "\\") {
      const [more, j] = command(s, i);
      out.push(...more);
      i = j;
    } else if (ch === "_" || ch === "^") {
      const [inner, j] = group(s, i + 1);
      out.push([ch === "_" ? "sub" : "sup", merge(inner)]);
      i = j;
    } else if (ch === "&") {
      out.push(SEPARATOR);
      i += 1;
    } else {
      PLAIN.lastIndex = i;
      const run = PLAIN.exec(s)[0];
      out.push(run);
      i += run.length;
    }
  }
  return [merge(out), i];
}


export function textNodes(source, comma = false) {
  const out = [];
  source.split(/(?<!\\)\$/).forEach((part, k) => {
    if (k % 2) { out.push(...latexNodes(part, comma)); return; }
    part.split("**").forEach((piece, b) => {
      const plain = piece.replace(/\\([\\`*_|[\]#$<{}])/g, "$1");
      out.push(b % 2 ? ["b", [plain]] : plain);
    });
  });
  return merge(out);
}

// steps_view.page_blocks: each block as {k, c} or {k: "table", head, rows}; in Portuguese every
// number with a decimal comma.
export function pageBlocks(blocks, language = "en") {
  const comma = language === "pt";
  return blocks.map(block => {
    if (block[0] === "math") return { k: "math", c: latexNodes(block[1], comma) };
    if (block[0] === "text" || block[0] === "heading") return { k: block[0], c: textNodes(block[1], comma) };
    return { k: "table", head: block[1].map(x => textNodes(x)), rows: block[2].map(row => row.map(x => textNodes(x, comma))) };
  });
}
