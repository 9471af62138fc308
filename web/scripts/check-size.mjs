#!/usr/bin/env node
/**
 * `pnpm size`: each page's gzip-compressed JavaScript from the built app
 * (web/dist, after `pnpm build`) against its budget; exits 1 past one.
 * Our own few lines rather than size-limit: the pages are defined by Vite's
 * manifest and the lazy chunks each route loads, which size-limit would need
 * a plugin and a config listing hashed file names to express.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { checkBudgets, formatTable, pageFiles, scriptsInHtml } from "./size-budget.mjs";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));
const pages = pageFiles(manifest, scriptsInHtml(readFileSync(join(dist, "index.html"), "utf8")));
const gzipSize = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const { rows, over } = checkBudgets(pages, gzipSize);

console.log(formatTable(rows));
if (over.length > 0) {
  console.error(`\nPast the budget: ${over.join(", ")} (budgets in web/scripts/size-budget.mjs).`);
  process.exit(1);
}
