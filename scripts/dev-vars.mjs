#!/usr/bin/env node
/**
 * Run by `pnpm start` before `wrangler dev`: writes `.dev.vars` (gitignored)
 * with fresh local secrets the first time, so the HTTP API, webhooks and the
 * Pusher server work locally without setup. An existing `.dev.vars` (it may
 * hold your own ROOM_TOKEN_SECRET) only gets a local Pusher app added when it
 * has none; other missing settings are only pointed out.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dirname, "..");
// Another path as the first argument is for tests.
const FILE = process.argv[2] ?? join(ROOT, ".dev.vars");
const WANTED = ["EDGEROOM_API_SECRET", "WEBHOOK_URL", "WEBHOOK_SECRET"];
const PUSHER = ["PUSHER_APP_ID", "PUSHER_APP_KEY", "PUSHER_APP_SECRET"];
const near = relative(process.cwd(), FILE);
const shown = near.startsWith("..") ? FILE : near;

/** A local Pusher app: the id and key stay the same (pages and snippets name them), the secret is new. */
function pusherApp() {
  return [
    "# The Pusher Channels app at ws://127.0.0.1:8787/app/<key> and http://127.0.0.1:8787/apps/<id> (docs/pusher.md).",
    "PUSHER_APP_ID=1000001",
    "PUSHER_APP_KEY=edgeroom-local-key",
    `PUSHER_APP_SECRET=${randomBytes(32).toString("base64url")}`,
  ];
}

if (existsSync(FILE)) {
  const text = readFileSync(FILE, "utf8");
  const names = new Set(
    text
      .split(/\r?\n/)
      .map((line) => /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1])
      .filter(Boolean),
  );
  if (PUSHER.every((name) => !names.has(name))) {
    const gap = text === "" || text.endsWith("\n") ? "" : "\n";
    appendFileSync(FILE, `${gap}${pusherApp().join("\n")}\n`);
    console.log(
      `dev-vars: added a local Pusher app (PUSHER_APP_ID, PUSHER_APP_KEY, PUSHER_APP_SECRET) to ${shown}.`,
    );
  } else if (PUSHER.some((name) => !names.has(name))) {
    const lacking = PUSHER.filter((name) => !names.has(name));
    console.log(
      `dev-vars: ${shown} has no ${lacking.join(", ")}; the Pusher server stays off (docs/pusher.md).`,
    );
  }
  const missing = WANTED.filter((name) => !names.has(name));
  if (missing.length > 0) {
    console.log(
      `dev-vars: ${shown} has no ${missing.join(", ")}; add them to use the HTTP API and webhooks (docs/api.md).`,
    );
  } else {
    console.log(`dev-vars: the HTTP API's bearer secret is EDGEROOM_API_SECRET in ${shown}.`);
  }
} else {
  const lines = [
    "# Local settings for `pnpm start` (wrangler dev), written once by scripts/dev-vars.mjs. Not committed.",
    "# In production these are `npx wrangler secret put <NAME>` (WEBHOOK_URL, PUSHER_APP_ID and PUSHER_APP_KEY are [vars]); see docs/api.md.",
    "# The HTTP API's bearer secret: Authorization: Bearer <EDGEROOM_API_SECRET>.",
    `EDGEROOM_API_SECRET=${randomBytes(32).toString("base64url")}`,
    "# Webhooks go to the local receiver `pnpm webhooks:tail`, signed with this secret (Standard Webhooks).",
    "WEBHOOK_URL=http://127.0.0.1:8790/",
    `WEBHOOK_SECRET=whsec_${randomBytes(24).toString("base64")}`,
    ...pusherApp(),
    "# Private rooms: uncomment and set a secret of at least 32 characters (docs/private-rooms.md).",
    "# ROOM_TOKEN_SECRET=",
    "",
  ];
  writeFileSync(FILE, lines.join("\n"), { mode: 0o600, flag: "wx" });
  console.log(
    `dev-vars: wrote ${shown} with new local secrets; the HTTP API's bearer secret is EDGEROOM_API_SECRET there.`,
  );
}
