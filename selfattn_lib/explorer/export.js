// Pictures a learner takes away: a heatmap (weights or scores, any head) or the contributions view
// as a standalone SVG file, and as PNG (that SVG drawn on a canvas). Layout only: every word, every
// number's text and every colour comes from the caller (the explorer, which shows the same ones on
// screen, from strings.py and rules.json), so the picture says what the screen says, in the
// learner's language. Labels are written as literal text (XML-escaped: no markup, no math, no
// script). No imports: anywidget loads a module as one text.

const FONT = "DejaVu Sans, Arial, Helvetica, sans-serif";
const CELL = 44, LABEL_FONT = 12, TITLE_FONT = 14;

// Characters XML 1.0 cannot hold (controls, lone surrogates, U+FFFE/FFFF) are dropped; the five
// special ones escaped. What is left is the label as typed, drawn as text.
export function xmlText(value) {
  return String(value)
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

function attrs(a) {
  return Object.entries(a).filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlText(v)}"`).join("");
}

function el(tag, a = {}, inner = null) {
  return inner === null ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${inner}</${tag}>`;
}

function text(content, a) {
  return el("text", { "font-family": FONT, ...a }, xmlText(content));
}

// A width for text without a DOM to measure it: generous (0.62 em a character), so nothing is cut.
function width(content, size) {
  return Array.from(String(content)).length * size * 0.62;
}

function title(lines, x, y) {
  return lines.map((line, k) => text(line, { x, y: y + k * (TITLE_FONT + 4), "font-size": TITLE_FONT,
    "text-anchor": "middle", "font-weight": k ? null : "bold" })).join("");
}

function svg(w, h, d, body) {
  // <title> and <desc>: the picture's name and its text alternative, read by screen readers
  return `<?xml version="1.0" encoding="UTF-8"?>\n`
    + `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${Math.ceil(w)}" height="${Math.ceil(h)}" `
    + `viewBox="0 0 ${Math.ceil(w)} ${Math.ceil(h)}" xml:lang="${xmlText(d.language)}" role="img">`
    + el("title", {}, xmlText(d.title.replace(/\n/g, " — ")))
    + el("desc", {}, xmlText(d.alt || ""))
    + el("rect", { width: "100%", height: "100%", fill: "#ffffff" })
    + body + "</svg>\n";
}

// d: { title ("\n" between lines), language, alt, rowLabels, colLabels, xAxis, yAxis,
//      cells: rows of { text, fill, ink, masked, hatched } (masked: no weight at all, drawn grey
//      and hatched; hatched: a value the mask removes, its colour shown under hatching),
//      focusRow (outlined, or null), maskedNote (said under the picture when a cell is masked),
//      legend: { label, palette (low to high), ticks: [{ at (0..1 along the scale), text }] } }
export function heatmapSvg(d) {
  const n = d.cells.length, m = d.cells[0].length;
  const titleLines = d.title.split("\n");
  const rowWidth = Math.max(...d.rowLabels.map(l => width(l, LABEL_FONT)), 10);
  const colHeight = Math.max(...d.colLabels.map(l => width(l, LABEL_FONT)), 10);
  const left = 20 + LABEL_FONT + 8 + rowWidth + 6;      // y axis title, labels, gap
  const top = 12 + titleLines.length * (TITLE_FONT + 4) + 6;
  const gridW = m * CELL, gridH = n * CELL;
  const legendX = left + gridW + 24, legendW = 16;
  const tickWidth = Math.max(...d.legend.ticks.map(t => width(t.text, 11)), 10);
  const masked = d.cells.some(row => row.some(c => c.masked || c.hatched));
  const bottomLabels = top + gridH + 6 + colHeight;
  const height = bottomLabels + 8 + LABEL_FONT + 10 + (masked ? LABEL_FONT + 10 : 0);
  const widthAll = Math.max(legendX + legendW + 8 + tickWidth + 8 + LABEL_FONT + 12,
    ...titleLines.map(line => width(line, TITLE_FONT) + 24), left + width(d.xAxis, LABEL_FONT) + 12);
  const parts = [];
  parts.push(el("defs", {}, el("pattern", { id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse",
    patternTransform: "rotate(45)" }, el("rect", { width: 6, height: 6, fill: "#d9d9d9" })
    + el("rect", { width: 2, height: 6, fill: "#bdbdbd" }))
    + el("pattern", { id: "over", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
      el("rect", { width: 1, height: 6, fill: "#5a5a5a", "fill-opacity": 0.45 }))
    + el("linearGradient", { id: "scale", x1: 0, y1: 1, x2: 0, y2: 0 }, d.legend.palette.map((c, k, all) =>
      el("stop", { offset: (k / (all.length - 1)).toFixed(4), "stop-color": c })).join(""))));
  parts.push(title(titleLines, widthAll / 2, 12 + TITLE_FONT));
  d.cells.forEach((row, i) => row.forEach((cell, j) => {
    const x = left + j * CELL, y = top + i * CELL;
    parts.push(el("rect", { x, y, width: CELL, height: CELL, fill: cell.masked ? "url(#hatch)" : cell.fill,
      stroke: "#ffffff", "stroke-width": 1 }));
    if (cell.hatched) parts.push(el("rect", { x, y, width: CELL, height: CELL, fill: "url(#over)" }));
    if (cell.text) parts.push(text(cell.text, { x: x + CELL / 2, y: y + CELL / 2 + 4, "font-size": 11,
      "text-anchor": "middle", fill: cell.ink || "#000000" }));
  }));
  if (d.focusRow !== null && d.focusRow !== undefined) {
    parts.push(el("rect", { x: left, y: top + d.focusRow * CELL, width: gridW, height: CELL, fill: "none",
      stroke: "#ff8c00", "stroke-width": 3 }));
  }
  d.rowLabels.forEach((label, i) => parts.push(text(label, { x: left - 6, y: top + i * CELL + CELL / 2 + 4,
    "font-size": LABEL_FONT, "text-anchor": "end" })));
  d.colLabels.forEach((label, j) => {
    const x = left + j * CELL + CELL / 2 + 4, y = top + gridH + 6;
    parts.push(text(label, { x, y, "font-size": LABEL_FONT, "text-anchor": "end", transform: `rotate(-90 ${x} ${y})` }));
  });
  parts.push(text(d.xAxis, { x: left + gridW / 2, y: bottomLabels + 8 + LABEL_FONT, "font-size": LABEL_FONT,
    "text-anchor": "middle" }));
  const yMid = top + gridH / 2;
  parts.push(text(d.yAxis, { x: 14 + LABEL_FONT / 2, y: yMid, "font-size": LABEL_FONT, "text-anchor": "middle",
    transform: `rotate(-90 ${14 + LABEL_FONT / 2} ${yMid})` }));
  // the colour scale beside the grid: its gradient, its ticks, its name
  parts.push(el("rect", { x: legendX, y: top, width: legendW, height: gridH, fill: "url(#scale)", stroke: "#555555" }));
  for (const tick of d.legend.ticks) {
    const y = top + (1 - tick.at) * gridH;
    parts.push(el("line", { x1: legendX + legendW, x2: legendX + legendW + 4, y1: y, y2: y, stroke: "#555555" }));
    parts.push(text(tick.text, { x: legendX + legendW + 7, y: y + 4, "font-size": 11 }));
  }
  const lx = legendX + legendW + 8 + tickWidth + 8 + LABEL_FONT / 2;
  parts.push(text(d.legend.label, { x: lx, y: yMid, "font-size": LABEL_FONT, "text-anchor": "middle",
    transform: `rotate(-90 ${lx} ${yMid})` }));
  if (masked) parts.push(text(d.maskedNote, { x: 12, y: height - 10, "font-size": LABEL_FONT }));
  return svg(widthAll, height, d, parts.join(""));
}

// d: { title, language, alt, axis (under the bars), components (their names, e.g. "1", "2"),
//      pieces: [{ label, colour, values (one per component) }] stacked in order (negative ones
//      below 0), total: { label, values, texts (as on screen) } drawn as a black line with its text }
export function contributionsSvg(d) {
  const titleLines = d.title.split("\n");
  const dv = d.components.length;
  let low = 0, high = 0;
  for (let c = 0; c < dv; c++) {
    let up = 0, down = 0;
    for (const p of d.pieces) { if (p.values[c] >= 0) up += p.values[c]; else down += p.values[c]; }
    high = Math.max(high, up, d.total.values[c]); low = Math.min(low, down, d.total.values[c]);
  }
  if (high === low) high = low + 1;
  const top = 12 + titleLines.length * (TITLE_FONT + 4) + 24, plotH = 200, bottom = top + plotH;
  const y = v => top + (high - v) / (high - low) * plotH;
  const left = 30, step = 56, barW = 30;
  const plotW = left + dv * step + 10;
  const entries = [{ label: d.total.label, colour: null }, ...d.pieces];
  const legendX = plotW + 20;
  const legendW = Math.max(...entries.map(e => width(e.label, LABEL_FONT))) + 30;
  const widthAll = Math.max(legendX + legendW + 10, ...titleLines.map(l => width(l, TITLE_FONT) + 24));
  const height = Math.max(bottom + 50, top + entries.length * 20 + 10);
  const parts = [title(titleLines, widthAll / 2, 12 + TITLE_FONT)];
  parts.push(el("line", { x1: left - 6, x2: plotW, y1: y(0), y2: y(0), stroke: "#555555" }));
  for (let c = 0; c < dv; c++) {
    let up = 0, down = 0;
    const x = left + c * step;
    for (const p of d.pieces) {
      const v = p.values[c], from = v >= 0 ? up : down, to = from + v;
      if (v >= 0) up = to; else down = to;
      parts.push(el("rect", { x, width: barW, y: Math.min(y(from), y(to)), height: Math.abs(y(from) - y(to)), fill: p.colour }));
    }
    const yt = y(d.total.values[c]);
    parts.push(el("line", { x1: x - 4, x2: x + barW + 4, y1: yt, y2: yt, stroke: "#000000", "stroke-width": 3 }));
    parts.push(text(d.total.texts[c], { x: x + barW / 2, y: Math.min(yt, y(Math.max(0, high))) - 6, "font-size": 11, "text-anchor": "middle" }));
    parts.push(text(d.components[c], { x: x + barW / 2, y: bottom + 16, "font-size": 11, "text-anchor": "middle" }));
  }
  parts.push(text(d.axis, { x: left + dv * step / 2, y: bottom + 36, "font-size": LABEL_FONT, "text-anchor": "middle" }));
  entries.forEach((e, k) => {
    const ly = top + k * 20;
    parts.push(e.colour === null
      ? el("line", { x1: legendX, x2: legendX + 14, y1: ly + 6, y2: ly + 6, stroke: "#000000", "stroke-width": 3 })
      : el("rect", { x: legendX, y: ly, width: 14, height: 12, fill: e.colour }));
    parts.push(text(e.label, { x: legendX + 20, y: ly + 11, "font-size": LABEL_FONT }));
  });
  return svg(widthAll, height, d, parts.join(""));
}

// --- in the page -------------------------------------------------------------------------------------

// PNG's CRC-32 (the same as zlib's; share.js has its own: each module loads alone).
const PNG_CRC = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return bytes => {
    let c = 0xffffffff;
    for (const b of bytes) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
})();

// PNG bytes with UTF-8 text chunks (iTXt) after the header: the picture's title and its text
// alternative travel inside the file (an image viewer or a screen reader's tool can read them).
export function withPngText(png, entries) {
  const utf8 = new TextEncoder();
  const chunks = entries.map(([keyword, value]) => {
    const data = [...utf8.encode(keyword), 0, 0, 0, 0, 0, ...utf8.encode(value)];  // no compression, no language
    const body = [...utf8.encode("iTXt"), ...data];
    const crc = PNG_CRC(body);
    const n = data.length;
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255, ...body, crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255];
  });
  const headerEnd = 8 + 25;  // signature, then IHDR (4 length + 4 type + 13 data + 4 crc)
  return new Uint8Array([...png.subarray(0, headerEnd), ...chunks.flat(), ...png.subarray(headerEnd)]);
}

// PNG bytes of an SVG text: drawn on a canvas at `scale` (2: sharp on a screen and in print).
export function svgToPng(svgText, scale = 2) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = Math.ceil(image.naturalWidth * scale);
      canvas.height = Math.ceil(image.naturalHeight * scale);
      const context = canvas.getContext("2d");
      context.scale(scale, scale);
      context.drawImage(image, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob(blob => (blob ? resolve(blob) : reject(new Error("canvas.toBlob gave nothing"))), "image/png");
    };
    image.onerror = () => { URL.revokeObjectURL(url); reject(new Error("the SVG could not be drawn")); };
    image.src = url;
  });
}

// The browser's download of `blob` as `name` (the page stays where it is).
export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Save `svgText` as `base`.svg or `base`.png (with `texts`: [keyword, value] pairs such as the title
// and the text alternative); resolves to the file's name.
export async function savePicture(svgText, base, format, texts = []) {
  if (format === "svg") {
    download(`${base}.svg`, new Blob([svgText], { type: "image/svg+xml" }));
    return `${base}.svg`;
  }
  const png = new Uint8Array(await (await svgToPng(svgText)).arrayBuffer());
  download(`${base}.png`, new Blob([withPngText(png, texts)], { type: "image/png" }));
  return `${base}.png`;
}
