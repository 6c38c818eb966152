// A link that reopens an explorer state: the page's side of share.py, the same payload (its format
// is documented there, once). No imports: anywidget loads a module as one text, so the explorer's
// module takes these functions as they are. Limits and the site's address come from share.json
// through the caller (`share` below), never written here.

const SYMBOLS = "0123456789.-e";  // 4-bit codes 0..12; 15 ends a number
const END = 15;
const MAX_NUMBER_SYMBOLS = 32;
const NUMBER = /^-?(?:[0-9]+|[0-9]*\.[0-9]+)(?:e-?[0-9]+)?$/;
const PAYLOAD = /^[A-Za-z0-9_-]*$/;
const HEADER = 7;
const MATRICES = ["X", "W_q", "W_k", "W_v", "W_o"];
export const CONFIG_FORMAT = "selfattn_lib.AttentionExplorer";

// A refusal: `key` and `values` select the sentence in strings.py (a value may itself be one).
export class LinkError extends Error {
  constructor(key, values = {}) {
    super(key);
    this.key = key;
    this.values = values;
  }
}

function damaged(why) {
  return new LinkError("link_damaged", { why: new LinkError(why) });
}

// --- numbers -------------------------------------------------------------------------------------

// The shortest text that reads back as exactly x: the digits of toExponential() (the shortest that
// round-trip, as Python's repr), written fixed or with an exponent, whichever is shorter.
export function numberText(x) {
  if (typeof x !== "number" || !Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  if (x === 0) return sign + "0";
  const [mantissa, exp] = Math.abs(x).toExponential().split("e");
  let digits = mantissa.replace(".", "");
  let exponent = Number(exp) - (digits.length - 1);
  while (digits.length > 1 && digits.endsWith("0")) { digits = digits.slice(0, -1); exponent += 1; }
  let fixed;
  if (exponent >= 0) fixed = digits + "0".repeat(exponent);
  else if (digits.length > -exponent) fixed = digits.slice(0, digits.length + exponent) + "." + digits.slice(digits.length + exponent);
  else fixed = "." + "0".repeat(-exponent - digits.length) + digits;
  const scientific = `${digits}e${exponent}`;
  return sign + (fixed.length <= scientific.length ? fixed : scientific);
}

// --- bytes ---------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes) {  // zlib.crc32
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function toBase64url(bytes) {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, ch => ch.charCodeAt(0));
}

// --- writing -------------------------------------------------------------------------------------

// The payload of a state given as the dict its JSON file parses to (tokens, X, W_q, W_k, W_v, W_o,
// causal, scaled, focus, n_heads, positions): base64url, no padding.
export function encodeData(data, share) {
  const n = data.X.length, dModel = data.X[0].length, dK = data.W_q[0].length, dV = data.W_v[0].length;
  const flags = (data.causal ? 1 : 0) | (data.scaled ? 2 : 0) | (data.positions ? 4 : 0) | ((data.n_heads - 1) << 3);
  const out = [share.link_version, flags, n, dModel, dK, dV, data.focus];
  const utf8 = new TextEncoder();
  for (const label of data.tokens) {
    const raw = utf8.encode(label);
    out.push(raw.length, ...raw);
  }
  const symbols = [];
  for (const name of MATRICES) for (const row of data[name]) for (const x of row) {
    for (const ch of numberText(x)) symbols.push(SYMBOLS.indexOf(ch));
    symbols.push(END);
  }
  if (symbols.length % 2) symbols.push(END);
  for (let i = 0; i < symbols.length; i += 2) out.push((symbols[i] << 4) | symbols[i + 1]);
  const crc = crc32(out);
  out.push(crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255);
  return toBase64url(out);
}

// The explorer page of `language`'s edition on the course site (share.json: the one place).
export function explorerUrl(share, language) {
  return share.site.replace(/\/+$/, "") + "/" + share.explorer_page[language];
}

// The link that opens `data` on the site's explorer page (or on `base`, e.g. this very page).
export function linkFor(data, share, language, base = null) {
  return `${base ?? explorerUrl(share, language)}#${share.link_key}=${encodeData(data, share)}`;
}

// --- reading -------------------------------------------------------------------------------------

function payloadOf(link, share) {
  link = link.trim();
  const hash = link.indexOf("#");
  if (hash >= 0) link = link.slice(hash + 1);
  else if (link.includes("://")) throw new LinkError("link_no_state");
  if (link.startsWith(share.link_key + "=")) link = link.slice(share.link_key.length + 1);
  if (!link) throw new LinkError("link_no_state");
  return link;
}

// The dict a JSON file of the same state parses to, from a link, a fragment ("#state=...") or a
// payload; LinkError for anything that is not a whole link of a known format. The values are then
// checked as a JSON file's are (the explorer's fromData and validate). `rules`: rules.json.
export function decodeLink(link, share, rules) {
  if (typeof link !== "string") throw new LinkError("link_no_state");
  if (link.length > share.max_link) throw new LinkError("link_too_long", { limit: share.max_link, got: link.length });
  const payload = payloadOf(link, share);
  if (!PAYLOAD.test(payload)) throw damaged("link_why_characters");
  if (payload.length % 4 === 1) throw damaged("link_why_check");  // no whole number of bytes: cut short
  const raw = fromBase64url(payload);
  if (!raw.length) throw damaged("link_why_check");
  // before the check: a newer format may check differently
  if (raw[0] > share.link_version) throw new LinkError("link_future", { version: raw[0], supported: share.link_version });
  const body = raw.subarray(0, raw.length - 4);
  const sum = raw.length >= 4 ? ((raw[raw.length - 4] << 24) | (raw[raw.length - 3] << 16) | (raw[raw.length - 2] << 8) | raw[raw.length - 1]) >>> 0 : -1;
  if (raw[0] < 1 || raw.length < HEADER + 4 || crc32(body) !== sum) throw damaged("link_why_check");
  return read(body, rules);
}

function read(body, rules) {
  const [flags, n, dModel, dK, dV, focus] = body.subarray(1, HEADER);
  const inRange = (d, limit) => d >= 1 && d <= limit;
  if (flags >> 5 || !inRange(n, rules.max_tokens) || ![dModel, dK, dV].every(d => inRange(d, rules.max_dim))) throw damaged("link_why_header");
  let at = HEADER;
  const tokens = [];
  const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  for (let t = 0; t < n; t++) {
    const size = at < body.length ? body[at] : 0;
    const raw = body.subarray(at + 1, at + 1 + size);
    if (!size || size > 4 * rules.max_label || raw.length !== size) throw damaged("link_why_labels");
    try { tokens.push(utf8.decode(raw)); } catch { throw damaged("link_why_labels"); }
    at += 1 + size;
  }
  const shapes = { X: [n, dModel], W_q: [dModel, dK], W_k: [dModel, dK], W_v: [dModel, dV], W_o: [dV, dModel] };
  const wanted = Object.values(shapes).reduce((sum, [r, c]) => sum + r * c, 0);
  const numbers = [];
  let word = "", used = 0;
  const symbols = [];
  for (const byte of body.subarray(at)) symbols.push(byte >> 4, byte & 15);
  for (const symbol of symbols) {
    used += 1;
    if (symbol === END) {
      if (!NUMBER.test(word)) throw damaged("link_why_numbers");
      numbers.push(Number(word));
      word = "";
      if (numbers.length === wanted) break;
    } else if (symbol < SYMBOLS.length && word.length < MAX_NUMBER_SYMBOLS) word += SYMBOLS[symbol];
    else throw damaged("link_why_numbers");
  }
  const rest = symbols.slice(used);
  if (numbers.length !== wanted || rest.length > 1 || (rest.length && rest[0] !== END)) throw damaged("link_why_numbers");
  const data = { format: CONFIG_FORMAT, version: 1, tokens };
  let k = 0;
  for (const [name, [rows, cols]] of Object.entries(shapes)) {
    data[name] = Array.from({ length: rows }, () => numbers.slice(k, (k += cols)));
  }
  Object.assign(data, { causal: Boolean(flags & 1), scaled: Boolean(flags & 2), positions: Boolean(flags & 4), n_heads: ((flags >> 3) & 3) + 1, focus });
  return data;
}
