/**
 * `latest.svg`: one panel per headline figure, a bar per server (Edgeroom
 * on wrangler dev and on workerd directly, Hocuspocus, relay), every panel scaled to its own largest bar, the value
 * written on each bar. Hand-written SVG: no chart library to keep up.
 */
import type { ServerKind } from "../load/wire.ts";
import type { BenchResults } from "../run-bench.ts";
import { byServer, SERVER_NAMES, SERVERS } from "./ratios.ts";

interface Panel {
  title: string;
  unit: string;
  values: Partial<Record<ServerKind, number>>;
}

const COLORS: Record<ServerKind, string> = {
  edgeroom: "#f8b27a",
  "edgeroom-direct": "#f38020",
  hocuspocus: "#6a5acd",
  relay: "#7a7a7a",
};
const PANEL_WIDTH = 230;
const PANEL_HEIGHT = 170;
const COLUMNS = 4;

export function renderChart(results: BenchResults): string {
  const panels = collectPanels(results);
  const rows = Math.ceil(panels.length / COLUMNS);
  const width = COLUMNS * PANEL_WIDTH;
  const height = rows * PANEL_HEIGHT + 60;
  const body = panels.map((panel, i) =>
    renderPanel(panel, (i % COLUMNS) * PANEL_WIDTH, 50 + Math.floor(i / COLUMNS) * PANEL_HEIGHT),
  );
  const legend = SERVERS.map(
    (s, i) =>
      `<rect x="${10 + i * 225}" y="28" width="12" height="12" fill="${COLORS[s]}"/>` +
      `<text x="${28 + i * 225}" y="39">${SERVER_NAMES[s]}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="18" font-size="13" font-weight="bold">Edgeroom (wrangler dev; workerd directly) vs Hocuspocus vs ws relay (${results.mode} run, ${results.machine.cores} cores, ${results.startedAt.slice(0, 10)}; lower is better unless marked ↑)</text>`,
    ...legend,
    ...body,
    `</svg>`,
    "",
  ].join("\n");
}

function collectPanels(results: BenchResults): Panel[] {
  const panels: Panel[] = [];
  const values = <T extends { server: ServerKind }>(rows: T[], figure: (row: T) => number) =>
    Object.fromEntries(
      SERVERS.flatMap((s) => (byServer(rows, s) ? [[s, figure(byServer(rows, s) as T)]] : [])),
    );
  for (const clients of new Set(results.edits.map((r) => r.clients)))
    panels.push({
      title: `Edit p99, ${clients} clients`,
      unit: "ms",
      values: values(
        results.edits.filter((r) => r.clients === clients),
        (r) => r.latency.p99,
      ),
    });
  for (const size of new Set(results.firstSync.map((r) => r.targetBytes)))
    panels.push({
      title: `First sync p50, ${Math.round(size / 1000)} KB`,
      unit: "ms",
      values: values(
        results.firstSync.filter((r) => r.targetBytes === size),
        (r) => r.latency.p50,
      ),
    });
  for (const clients of new Set(results.cursors.map((r) => r.clients)))
    panels.push({
      title: `Cursor frames/s, ${clients} clients`,
      unit: "/s",
      values: values(
        results.cursors.filter((r) => r.clients === clients),
        (r) => r.framesPerSecond,
      ),
    });
  panels.push({
    title: "Apply throughput ↑",
    unit: "/s",
    values: values(results.throughput, (r) => r.acceptedPerSecond),
  });
  panels.push({
    title: "Memory per idle socket",
    unit: "KB",
    values: values(results.memory, (r) =>
      r.perIdleConnectionBytes === null ? Number.NaN : Math.round(r.perIdleConnectionBytes / 102.4) / 10,
    ),
  });
  return panels;
}

function renderPanel(panel: Panel, x: number, y: number): string {
  const max = Math.max(1e-9, ...Object.values(panel.values).map((v) => (Number.isFinite(v) ? v : 0)));
  // Room above the tallest bar for its label, clear of the panel title.
  const top = y + 38;
  const barArea = PANEL_HEIGHT - 73;
  const bars = SERVERS.map((server, i) => {
    const value = panel.values[server];
    if (value === undefined) return "";
    const bx = x + 18 + i * 50;
    // NaN marks a figure measured but too small to resolve (memory per socket), not a missing one.
    if (!Number.isFinite(value))
      return `<text x="${bx + 22}" y="${top - 5 + barArea}" text-anchor="middle">too small</text>`;
    const h = Math.max(1, (Math.max(0, value) / max) * barArea);
    const by = top + barArea - h;
    return (
      `<rect x="${bx}" y="${by.toFixed(1)}" width="44" height="${h.toFixed(1)}" fill="${COLORS[server]}"/>` +
      `<text x="${bx + 22}" y="${(by - 3).toFixed(1)}" text-anchor="middle">${format(value)}</text>`
    );
  });
  return [
    `<g>`,
    `<text x="${x + 10}" y="${y + 12}" font-weight="bold">${escape(panel.title)} (${panel.unit})</text>`,
    ...bars,
    `<line x1="${x + 15}" y1="${top + barArea}" x2="${x + PANEL_WIDTH - 20}" y2="${top + barArea}" stroke="#999"/>`,
    `</g>`,
  ].join("\n");
}

function format(value: number): string {
  return value >= 100 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}
