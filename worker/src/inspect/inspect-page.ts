/**
 * The inspector's page: static HTML with one inline script that reads
 * `<room>.json` every 2 s and builds every table with `textContent`, so a
 * hostile name or id can only ever be text. The HTML carries no value from
 * the request or the room; the script and style run by a fresh nonce under a
 * policy that allows nothing else (no other scripts, images, frames or forms).
 */
import { PRIVATE_HEADERS } from "./private-headers.ts";

export function inspectPage(): Response {
  const nonce = randomNonce();
  const policy = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return new Response(PAGE.replaceAll("%NONCE%", nonce), {
    headers: {
      ...PRIVATE_HEADERS,
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": policy,
    },
  });
}

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes));
}

const STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --head: #f6f8fa; --accent: #0a58ca; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --line: #30363d; --head: #161b22; --accent: #6cb6ff; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.3rem; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1rem; margin: 20px 0 6px; }
p { margin: 0; color: var(--muted); }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; }
/* Many-column tables keep readable columns and scroll sideways in their box on a phone. */
table.grid { min-width: 40rem; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
tr:last-child > * { border-bottom: 0; }
thead th { background: var(--head); font-weight: 600; white-space: nowrap; }
tbody th { font-weight: 500; width: 45%; }
td { font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.empty { color: var(--muted); font-style: italic; }
#status[data-state="error"] { color: #b42318; }
@media (prefers-color-scheme: dark) { #status[data-state="error"] { color: #ff8a80; } }
`;

// Plain browser JavaScript; values reach the page only through textContent.
const SCRIPT = `
"use strict";
const source = location.pathname + ".json";
const status = document.getElementById("status");
const sections = document.getElementById("sections");
const num = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const money = (d) =>
  d === 0 ? "$0" : d < 0.000001 ? "< $0.000001" : "$" + (d >= 0.01 ? d.toFixed(2) : d.toPrecision(2));
function time(ms, now) {
  if (ms === null || ms === undefined) return "—";
  const ago = Math.round((now - ms) / 1000);
  const when = new Date(ms).toLocaleTimeString();
  return ago >= 0 ? when + " (" + ago + " s ago)" : when + " (in " + -ago + " s)";
}
function el(tag, text) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  return node;
}
function section(title, table) {
  const box = el("section");
  const id = "s-" + title.toLowerCase().replace(/[^a-z]+/g, "-");
  const heading = el("h2", title);
  heading.id = id;
  box.setAttribute("aria-labelledby", id);
  const scroll = el("div");
  scroll.className = "scroll";
  scroll.appendChild(table);
  box.append(heading, scroll);
  return box;
}
function pairs(rows) {
  const table = el("table");
  const body = el("tbody");
  for (const [label, value] of rows) {
    const tr = el("tr");
    const th = el("th", label);
    th.scope = "row";
    tr.append(th, el("td", value));
    body.appendChild(tr);
  }
  table.appendChild(body);
  return table;
}
function grid(headers, rows, emptyText) {
  const table = el("table");
  table.className = "grid";
  const head = el("thead");
  const hr = el("tr");
  for (const h of headers) {
    const th = el("th", h);
    th.scope = "col";
    hr.appendChild(th);
  }
  head.appendChild(hr);
  const body = el("tbody");
  if (rows.length === 0) {
    const tr = el("tr");
    const td = el("td", emptyText);
    td.colSpan = headers.length;
    td.className = "empty";
    tr.appendChild(td);
    body.appendChild(tr);
  }
  for (const row of rows) {
    const tr = el("tr");
    for (const cell of row) tr.appendChild(el("td", cell));
    body.appendChild(tr);
  }
  table.append(head, body);
  return table;
}
function render(d) {
  const now = d.at;
  const c = d.counts;
  const r = d.rates;
  const span = r.since === "last-minute" ? "last " + Math.round(r.windowMs / 1000) + " s" : "since first event";
  document.getElementById("room").textContent = "Room " + d.room;
  document.title = "Inspect " + d.room;
  const open = d.connections.filter((s) => s.open).length;
  const parts = [
    section("Overview", pairs([
      ["Open sockets", open],
      ["People", d.people.length],
      ["Object starts (wakes)", c.starts],
      ["Evictions (starts − 1)", d.evictions],
      ["Alarm", time(d.alarmAt, now)],
      ["Awake share (" + span + ")", num.format(r.activeShare * 100) + " %"],
      ["Estimated cost per hour", money(d.costPerHour.total)],
    ])),
    section("Connections", grid(
      ["Socket", "Person", "Name", "Lane", "Read-only", "Connected", "Last heartbeat"],
      d.connections.map((s) => [
        s.id, s.person ?? "—", s.name ?? "—", s.lane + (s.open ? "" : " (closing)"),
        s.readOnly ? "yes" : "no", time(s.connectedSince, now), time(s.lastHeartbeat, now),
      ]),
      "No sockets open.",
    )),
    section("People", grid(
      ["Name", "Person", "Status", "Sockets"],
      d.people.map((p) => [p.name, p.id, p.status, p.sockets]),
      "Nobody is here.",
    )),
    section("Messages", pairs([
      ["In per second (" + span + ")", num.format(r.framesInPerSecond)],
      ["Out per second (" + span + ")", num.format(r.framesOutPerSecond)],
      ["Bytes in / out per second", num.format(r.bytesInPerSecond) + " / " + num.format(r.bytesOutPerSecond)],
      ["In: binary / text (total)", c.framesInBinary + " / " + c.framesInText],
      ["Out, per recipient (total)", c.framesOut],
      ["Bytes in / out (total)", c.bytesIn + " / " + c.bytesOut],
      ["Alarm runs / HTTP and RPC requests", c.alarmRuns + " / " + c.requests],
      ["Sockets opened / closed (total)", c.socketsOpened + " / " + c.socketsClosed],
      ["Document loads", c.documentLoads],
    ])),
    section("Storage", pairs([
      ["SQLite database", num.format(d.storage.databaseBytes) + " bytes"],
      ["Document", num.format(d.storage.documentBytes) + " bytes"],
      ["Update log", d.storage.updateLogLength + " updates"],
      ["Chat", d.storage.chatMessages + " messages"],
      ["Rows read / written (total)", c.rowsRead + " / " + c.rowsWritten],
      ["R2 class A / B (total)", c.r2ClassA + " / " + c.r2ClassB],
    ])),
    section("Snapshots", pairs([
      ["Next due", time(d.snapshots.nextDueAt, now)],
      ["Last saved", time(d.snapshots.lastSavedAt, now)],
      ["Versions", d.snapshots.versions],
    ])),
    section("Cost per hour at current rates", grid(
      ["Item", "Per hour", "Dollars"],
      d.costPerHour.lines.map((l) => [l.item, num.format(l.billedUnits) + " " + l.unit, money(l.dollars)]),
      "",
    )),
  ];
  sections.replaceChildren(...parts);
  status.dataset.state = "ok";
  status.textContent = "Updated " + new Date(now).toLocaleTimeString() + "; refreshes every 2 s.";
}
async function refresh() {
  try {
    const response = await fetch(source, { cache: "no-store", credentials: "same-origin" });
    if (response.status === 404) throw new Error("no such room (nothing was ever stored for it)");
    if (!response.ok) throw new Error("the inspector answered " + response.status);
    render(await response.json());
  } catch (error) {
    status.dataset.state = "error";
    status.textContent = "Not updated: " + (error instanceof Error ? error.message : String(error));
  } finally {
    setTimeout(refresh, 2000);
  }
}
refresh();
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Room inspector</title>
<style nonce="%NONCE%">${STYLE}</style>
</head>
<body>
<main>
<h1 id="room">Room inspector</h1>
<p id="status" role="status">Loading…</p>
<div id="sections"></div>
</main>
<script nonce="%NONCE%">${SCRIPT}</script>
</body>
</html>
`;
