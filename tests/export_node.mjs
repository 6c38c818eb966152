// Runs the picture module (selfattn_lib/explorer/export.js) on descriptions written by
// tests/test_export_pictures.py and prints the SVG texts as one JSON list.
//   node tests/export_node.mjs CASES.json
import { readFileSync } from "node:fs";
import * as pictures from "../selfattn_lib/explorer/export.js";

const cases = JSON.parse(readFileSync(process.argv[2], "utf-8"));
process.stdout.write(JSON.stringify(cases.map(c => (c.op === "heatmap" ? pictures.heatmapSvg(c.d) : pictures.contributionsSvg(c.d)))));
