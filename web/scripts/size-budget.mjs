/**
 * The pages' JavaScript budgets and how a page's scripts are found in Vite's
 * build manifest (dist/.vite/manifest.json). Pure, so the budget logic is
 * unit-tested with made-up manifests (web/test/size-budget.test.ts); the e2e
 * test bundle.spec.ts checks the same budgets against what Chromium fetches.
 */

/** Budgets in bytes of gzip-compressed JavaScript (gzip level 9, node:zlib; 1 kB = 1000 bytes, as Vite prints). */
export const BUDGETS = {
  /** The landing page: React and the landing only. */
  landing: 120_000,
  /** A room link: the landing's chunk, the room page and the lazy editor. */
  room: 300_000,
  /** An embed: the landing's chunk, the embed page and the lazy editor. */
  embed: 300_000,
};

/** The chunks a page loads as soon as it runs, by their manifest keys (source paths as Vite names them). */
export const PAGE_CHUNKS = {
  landing: [],
  room: ["src/room/RoomPage.tsx", "src/editor/Editor.tsx"],
  embed: ["src/embed/EmbedPage.tsx", "src/editor/Editor.tsx"],
};

/** The manifest key of the build's one entry (index.html). */
export function entryKey(manifest) {
  const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
  if (entries.length !== 1) throw new Error(`expected one entry in the manifest, found ${entries.length}`);
  return entries[0];
}

/**
 * The JS files the given chunks load before they run: each chunk and, transitively, its static
 * `imports` (what Vite preloads with it). Dynamic imports are not followed: they load on demand.
 */
export function staticClosure(manifest, keys) {
  const files = new Set();
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest has no chunk ${key} (renamed? update PAGE_CHUNKS)`);
    if (chunk.file.endsWith(".js")) files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return files;
}

/**
 * Each page's JS files: the entry's closure, the scripts index.html itself names (so nothing it
 * loads escapes the count), and the closure of the page's own lazy chunks.
 */
export function pageFiles(manifest, htmlScripts = []) {
  const landing = new Set([...staticClosure(manifest, [entryKey(manifest)]), ...htmlScripts]);
  const pages = {};
  for (const [page, chunks] of Object.entries(PAGE_CHUNKS)) {
    pages[page] = [...new Set([...landing, ...staticClosure(manifest, chunks)])].sort();
  }
  return pages;
}

/** The scripts and module preloads an HTML page names, as paths relative to dist (no leading slash). */
export function scriptsInHtml(html) {
  const pattern = /<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g;
  return [...html.matchAll(pattern)].map((match) => match[1]);
}

/** Each page's total against its budget; `over` lists the pages past theirs. */
export function checkBudgets(pages, gzipSizeOf, budgets = BUDGETS) {
  const rows = Object.entries(pages).map(([page, files]) => {
    const bytes = files.reduce((sum, file) => sum + gzipSizeOf(file), 0);
    const budget = budgets[page];
    if (budget === undefined) throw new Error(`no budget for the ${page} page`);
    return { page, files: files.length, bytes, budget, ok: bytes <= budget };
  });
  return { rows, over: rows.filter((row) => !row.ok).map((row) => row.page) };
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

export function formatTable(rows) {
  const lines = [["page", "JS files", "gzip", "budget", ""]];
  for (const row of rows) {
    lines.push([row.page, String(row.files), kB(row.bytes), kB(row.budget), row.ok ? "ok" : "OVER BUDGET"]);
  }
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  return lines
    .map((line) =>
      line
        .map((cell, column) => cell.padEnd(widths[column]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
