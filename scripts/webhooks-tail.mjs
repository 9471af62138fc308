#!/usr/bin/env node
/**
 * `pnpm webhooks:tail`: a local webhook receiver for `pnpm start`. Listens on
 * 127.0.0.1 (port 8790, or `--port N`), verifies each request with the
 * `standardwebhooks` library against WEBHOOK_SECRET (from the environment,
 * else from `.dev.vars`), prints one line per event and answers 204; a
 * request that does not verify is printed as such and answered 401.
 */
import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";

const ROOT = join(import.meta.dirname, "..");
/** Far above any event the rooms send; a bigger body is not a webhook from us. */
const MAX_BODY_BYTES = 1024 * 1024;
/** How much of `data` a line shows; the rest is cut with an ellipsis. */
const MAX_DATA_CHARS = 200;

const port = portFromArgs(process.argv.slice(2));
const secret = process.env.WEBHOOK_SECRET || secretFromDevVars();
if (!secret) {
  console.error(
    "webhooks:tail: no WEBHOOK_SECRET in the environment or in .dev.vars (run `pnpm start` once).",
  );
  process.exit(1);
}
let verifier;
try {
  verifier = new Webhook(secret);
} catch (error) {
  console.error(`webhooks:tail: WEBHOOK_SECRET is not a whsec_ secret: ${error.message}`);
  process.exit(1);
}

const server = createServer((request, response) => {
  if (request.method !== "POST") return answer(response, 405);
  const chunks = [];
  let size = 0;
  request.on("data", (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      answer(response, 413);
      request.destroy();
    } else chunks.push(chunk);
  });
  request.on("end", () => {
    if (response.writableEnded) return;
    const body = Buffer.concat(chunks).toString("utf8");
    const id = request.headers["webhook-id"] ?? "(no id)";
    let event;
    try {
      // Verifies the raw body as received: parsing and re-serialising first would break the signature.
      event = verifier.verify(body, request.headers);
    } catch (error) {
      console.log(`${new Date().toISOString()}  401 not verified  ${id}: ${error.message}`);
      return answer(response, 401);
    }
    console.log(describe(event, id));
    answer(response, 204);
  });
});

server.listen(port, "127.0.0.1", () => {
  console.log(`webhooks:tail listening on http://127.0.0.1:${port}/ (Ctrl-C to stop)`);
});

function describe(event, id) {
  const time = typeof event.at === "number" ? new Date(event.at).toISOString() : "(no time)";
  let data = JSON.stringify(event.data ?? null);
  if (data.length > MAX_DATA_CHARS) data = `${data.slice(0, MAX_DATA_CHARS)}…`;
  const dropped = event.dropped ? `  (${event.dropped} dropped before this)` : "";
  return `${time}  ${event.type}  room=${event.room}  ${data}  ${id}${dropped}`;
}

function answer(response, status) {
  response.writeHead(status).end();
}

function portFromArgs(args) {
  const at = args.indexOf("--port");
  if (at === -1) return 8790;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    console.error("webhooks:tail: --port takes a port number");
    process.exit(1);
  }
  return value;
}

/** WEBHOOK_SECRET from `.dev.vars` (KEY=value lines, the value optionally quoted), if the file has it. */
function secretFromDevVars() {
  let text;
  try {
    text = readFileSync(join(ROOT, ".dev.vars"), "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*WEBHOOK_SECRET\s*=\s*(.*?)\s*$/.exec(line);
    if (match) return match[1].replace(/^(["'])(.*)\1$/, "$2");
  }
  return undefined;
}
