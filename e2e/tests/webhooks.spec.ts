/**
 * Webhooks end to end, with no browser page: a real `wrangler dev` whose
 * WEBHOOK_URL points at a receiver this test runs, rooms driven by headless
 * clients. Every request must verify with the `standardwebhooks` library.
 */
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join as joinPath } from "node:path";
import type { HeadlessClient } from "@edgeroom/testkit";
import { openClient, roomSocketUrl } from "@edgeroom/testkit/node";
import type { WebhookBody } from "@edgeroom/shared";
import { Webhook } from "standardwebhooks";
import { freshStateDir, ROOT, startServer, type RunningServer } from "../support/server.ts";
import { uniqueRoom } from "../support/room.ts";
import { SPARE_PORT_BASE } from "../support/shared-server.ts";
import { expect, test } from "../support/test.ts";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const SERVER_PORT = SPARE_PORT_BASE + 6;
const TAIL_PORT = SPARE_PORT_BASE + 7;

/** One request as the receiver saw it. */
interface Received {
  id: string;
  timestamp: string;
  contentType: string | undefined;
  raw: string;
  body: WebhookBody;
  verified: boolean;
  answered: number | "hung";
}

/** A webhook receiver on 127.0.0.1 that answers 204, 503 (down), or never (hangs), as the test says. */
class Receiver {
  readonly requests: Received[] = [];
  mode: "ok" | "down" | "hang" = "ok";
  readonly #verifier = new Webhook(SECRET);
  readonly #hung: ServerResponse[] = [];
  readonly #server: Server = createServer((request, response) => void this.#receive(request, response));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hooks`;
  }

  async stop(): Promise<void> {
    for (const response of this.#hung) response.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  of(room: string): Received[] {
    return this.requests.filter((r) => r.body.room === room);
  }

  /** The events of `room` the receiver took (answered 2xx), in arrival order. */
  delivered(room: string): Received[] {
    return this.of(room).filter((r) => r.answered === 204);
  }

  async #receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
    );
    let verified = true;
    try {
      this.#verifier.verify(raw, headers);
    } catch {
      verified = false;
    }
    const answered = !verified ? 401 : this.mode === "ok" ? 204 : this.mode === "down" ? 503 : "hung";
    this.requests.push({
      id: headers["webhook-id"] ?? "",
      timestamp: headers["webhook-timestamp"] ?? "",
      contentType: headers["content-type"],
      raw,
      body: JSON.parse(raw) as WebhookBody,
      verified,
      answered,
    });
    if (answered === "hung") this.#hung.push(response);
    else response.writeHead(answered).end();
  }
}

let receiver: Receiver;
let receiverUrl: string;
let server: RunningServer;
let clients: HeadlessClient[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  receiver = new Receiver();
  receiverUrl = await receiver.start();
  server = await startServer({
    port: SERVER_PORT,
    persistDir: freshStateDir("webhooks"),
    vars: { WEBHOOK_URL: receiverUrl, WEBHOOK_SECRET: SECRET },
  });
});

test.afterAll(async () => {
  await server?.stop();
  await receiver?.stop();
});

test.afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  receiver.mode = "ok";
});

async function join(room: string, name: string): Promise<HeadlessClient> {
  const client = await openClient(roomSocketUrl(server.url, room), {
    user: { name, color: "#225588" },
    person: randomUUID(),
  });
  await client.synced;
  clients.push(client);
  return client;
}

async function leave(client: HeadlessClient): Promise<void> {
  await client.close(1000, "bye");
  clients = clients.filter((c) => c !== client);
}

/** `promise`, or a clear failure after `ms`. */
async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited over ${ms} ms for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const types = (received: Received[]) => received.map((r) => r.body.type);

test("events arrive signed, in order, one id each: join, chat, edit, snapshot, leave", async () => {
  const room = uniqueRoom("hooks");
  const ada = await join(room, "Ada");
  await expect.poll(() => types(receiver.delivered(room)), { timeout: 10_000 }).toHaveLength(2);
  await ada.chat(randomUUID(), "hello, backend");
  await ada.type("Some text");
  await expect
    .poll(() => types(receiver.delivered(room)).includes("snapshot.stored"), { timeout: 15_000 })
    .toBe(true);
  await leave(ada);
  await expect.poll(() => types(receiver.delivered(room)), { timeout: 15_000 }).toHaveLength(7);

  const received = receiver.of(room);
  expect(received.every((r) => r.verified)).toBe(true);
  expect(received.every((r) => r.contentType === "application/json")).toBe(true);
  expect(new Set(received.map((r) => r.id)).size).toBe(received.length);
  expect(types(received)).toEqual([
    "room.occupied",
    "person.joined",
    "chat.message",
    "document.updated",
    "snapshot.stored",
    "person.left",
    "room.vacated",
  ]);
  const [occupied, joined, chat, updated, stored, left, vacated] = received.map((r) => r.body);
  expect(occupied?.data).toEqual({ people: 1 });
  expect(joined?.data).toMatchObject({ person: { name: "Ada" }, people: 1 });
  expect(chat?.data).toMatchObject({ message: { text: "hello, backend", author: { name: "Ada" } } });
  expect(updated?.data).toMatchObject({ editors: ["Ada"] });
  expect(updated?.data).toHaveProperty("bytes", expect.any(Number));
  expect(stored?.data).toMatchObject({ version: { editors: ["Ada"] } });
  expect(left?.data).toMatchObject({ person: { name: "Ada" }, people: 0 });
  expect(vacated?.data).toEqual({ people: 0 });
  const times = received.map((r) => r.body.at);
  expect([...times].sort((a, b) => a - b)).toEqual(times);
});

test("events wait while the receiver is down and arrive later, in order, with the same webhook-id", async () => {
  test.setTimeout(90_000);
  const room = uniqueRoom("hooks-down");
  receiver.mode = "down";
  const ada = await join(room, "Ada");
  await ada.chat(randomUUID(), "said while the receiver was down");
  // Down for a while: the head is refused twice (the first retry comes within 10 s).
  await expect.poll(() => receiver.of(room).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  const failed = receiver.of(room);
  expect(failed.every((r) => r.answered === 503 && r.verified)).toBe(true);
  expect(new Set(failed.map((r) => r.id)).size).toBe(1);
  expect(new Set(failed.map((r) => r.raw)).size).toBe(1);

  receiver.mode = "ok";
  // The next retry comes 2 × webhookRetryMinMs after the second failure. (Ada, who sends no heartbeats, may
  // be swept out by then, and person.left and room.vacated follow: only the first three are asserted.)
  await expect
    .poll(() => types(receiver.delivered(room)).length, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(3);
  const delivered = receiver.delivered(room);
  expect(delivered[0]?.id).toBe(failed[0]?.id);
  expect(delivered[0]?.raw).toBe(failed[0]?.raw);
  // A fresh signing time per attempt, so receivers' replay windows hold.
  expect(Number(delivered[0]?.timestamp)).toBeGreaterThan(Number(failed[0]?.timestamp));
  expect(types(delivered).slice(0, 3)).toEqual(["room.occupied", "person.joined", "chat.message"]);
  expect(receiver.of(room).every((r) => r.verified)).toBe(true);
});

test("events still waiting when the server crashes are delivered after it restarts, with the same webhook-id", async () => {
  test.setTimeout(120_000);
  const room = uniqueRoom("hooks-crash");
  const persistDir = freshStateDir("webhooks-crash");
  const port = SPARE_PORT_BASE + 8;
  let own = await startServer({
    port,
    persistDir,
    vars: { WEBHOOK_URL: receiverUrl, WEBHOOK_SECRET: SECRET },
  });
  try {
    receiver.mode = "down";
    const ada = await openClient(roomSocketUrl(own.url, room), {
      user: { name: "Ada", color: "#225588" },
      person: randomUUID(),
    });
    await ada.synced;
    await expect.poll(() => receiver.of(room).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const failed = receiver.of(room)[0];
    await own.kill();
    ada.socket.close();
    receiver.mode = "ok";
    own = await startServer({ port, persistDir, vars: { WEBHOOK_URL: receiverUrl, WEBHOOK_SECRET: SECRET } });
    // Nobody reconnects: the stored alarm alone brings the room back to send.
    await expect
      .poll(() => types(receiver.delivered(room)).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(2);
    const delivered = receiver.delivered(room);
    expect(types(delivered).slice(0, 2)).toEqual(["room.occupied", "person.joined"]);
    expect(delivered[0]?.id).toBe(failed?.id);
    expect(delivered[0]?.raw).toBe(failed?.raw);
    expect(receiver.of(room).every((r) => r.verified)).toBe(true);
  } finally {
    await own.stop();
  }
});

test("a receiver that hangs never slows the room: edits are acknowledged and relayed within 1 s", async () => {
  test.setTimeout(90_000);
  const room = uniqueRoom("hooks-hang");
  const ada = await join(room, "Ada");
  const bo = await join(room, "Bo");
  await expect.poll(() => types(receiver.delivered(room)), { timeout: 10_000 }).toHaveLength(3);
  receiver.mode = "hang";
  await ada.chat(randomUUID(), "this one's webhook hangs");
  // A delivery is in flight and will not be answered (the Worker gives up after webhookTimeoutMs, 10 s).
  await expect
    .poll(() => receiver.of(room).some((r) => r.answered === "hung"), { timeout: 10_000 })
    .toBe(true);
  const hungSince = Date.now();
  for (let n = 0; n < 5; n++) {
    const marker = ` edit-${n}`;
    const started = Date.now();
    ada.text.insert(ada.text.length, marker);
    await within(1_000, ada.settled(), `the server to acknowledge${marker}`);
    expect(Date.now() - started).toBeLessThan(1_000);
    await bo.until(() => bo.text.toString().includes(marker), 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  }
  // All of it happened while the delivery still hung.
  expect(Date.now() - hungSince).toBeLessThan(9_000);
  // Once the receiver answers again, the event arrives (retried after the timeout) with the hung try's id.
  receiver.mode = "ok";
  await expect.poll(() => types(receiver.delivered(room)), { timeout: 40_000 }).toContain("chat.message");
  const hung = receiver.of(room).find((r) => r.answered === "hung");
  expect(receiver.delivered(room).find((r) => r.body.type === "chat.message")?.id).toBe(hung?.id);
});

test("`pnpm webhooks:tail` verifies, prints each event on one line, and refuses a bad signature", async () => {
  const tail = spawn(
    process.execPath,
    [joinPath(ROOT, "scripts/webhooks-tail.mjs"), "--port", String(TAIL_PORT)],
    {
      env: { ...process.env, WEBHOOK_SECRET: SECRET },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  tail.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  tail.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  try {
    await expect.poll(() => output, { timeout: 10_000 }).toContain("listening");
    const body = JSON.stringify({
      type: "chat.message",
      room: "tail-room",
      at: Date.parse("2026-01-02T03:04:05.000Z"),
      data: { message: { text: "hi" } },
    });
    const id = `msg_${randomUUID().replaceAll("-", "")}`;
    const now = new Date();
    const headers = {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": new Webhook(SECRET).sign(id, now, body),
    };
    const url = `http://127.0.0.1:${TAIL_PORT}/`;
    const good = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(5_000) });
    expect(good.status).toBe(204);
    const tampered = body.replace("hi", "ho");
    const bad = await fetch(url, {
      method: "POST",
      headers,
      body: tampered,
      signal: AbortSignal.timeout(5_000),
    });
    expect(bad.status).toBe(401);
    await expect.poll(() => output, { timeout: 5_000 }).toContain("401 not verified");
    const line = output.split("\n").find((l) => l.includes(id) && l.includes("chat.message"));
    expect(line).toContain("2026-01-02T03:04:05.000Z");
    expect(line).toContain("room=tail-room");
    expect(line).toContain('{"message":{"text":"hi"}}');
  } finally {
    tail.kill("SIGTERM");
  }
});
