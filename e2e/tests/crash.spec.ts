/**
 * Nothing acknowledged is lost in a crash: clients edit and chat against a
 * real `wrangler dev`, each waiting for the room's acknowledgement; the server
 * is killed with SIGKILL (no graceful stop, no chance to flush anything),
 * restarted on the same state folder, and a fresh client finds every
 * acknowledged edit and message.
 */
import { expect, test } from "../support/test.ts";
import * as Y from "yjs";
import { encodeSyncUpdate } from "@edgeroom/shared";
import { clockGap, pendingDeletes, pendingStructs, type HeadlessClient } from "@edgeroom/testkit";
import { openClient, roomSocketUrl } from "@edgeroom/testkit/node";
import { freshStateDir, startServer } from "../support/server.ts";
import { SPARE_PORT_BASE } from "../support/shared-server.ts";
import { uniqueRoom } from "../support/room.ts";

const CLIENTS = 3;
const EDITS_PER_CLIENT = 50;
const CHATS_PER_CLIENT = 5;

async function connect(port: number, room: string, name: string): Promise<HeadlessClient> {
  const client = await openClient(roomSocketUrl(`ws://127.0.0.1:${port}`, room), {
    user: { name, color: "#1971c2" },
  });
  await client.synced;
  return client;
}

test("every acknowledged edit and chat message survives a SIGKILL of the server", async () => {
  test.setTimeout(240_000);
  const port = SPARE_PORT_BASE + 2;
  const persistDir = freshStateDir("crash");
  const room = uniqueRoom("crash");
  let server = await startServer({ port, persistDir });
  try {
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => connect(port, room, `Writer ${i}`)),
    );
    const acknowledgedEdits: string[] = [];
    const acknowledgedChats: string[] = [];
    await Promise.all(
      clients.map(async (client, c) => {
        for (let e = 0; e < EDITS_PER_CLIENT; e++) {
          const token = `[c${c}e${e}]`;
          await client.type(token);
          acknowledgedEdits.push(token);
          if (e % (EDITS_PER_CLIENT / CHATS_PER_CLIENT) === 0) {
            const id = `crash-c${c}-m${e}`;
            await client.chat(id, `message ${id}`);
            acknowledgedChats.push(id);
          }
        }
      }),
    );
    expect(acknowledgedEdits).toHaveLength(CLIENTS * EDITS_PER_CLIENT);
    expect(acknowledgedChats).toHaveLength(CLIENTS * CHATS_PER_CLIENT);

    // One more edit each, in flight when the server dies: it may or may not be stored.
    for (const [c, client] of clients.entries()) client.text.insert(client.text.length, `[c${c}in-flight]`);
    await server.kill();
    for (const client of clients) await client.closed;

    server = await startServer({ port, persistDir });
    const reader = await connect(port, room, "Reader");
    const text = reader.text.toString();
    const missing = acknowledgedEdits.filter((token) => !text.includes(token));
    expect(missing).toEqual([]);
    // Nothing beyond what was written: every token in the text is one a client sent.
    const tokens = text.match(/\[c\d+(?:e\d+|in-flight)\]/g) ?? [];
    expect(tokens.join("")).toBe(text);
    expect(tokens.length).toBeLessThanOrEqual(acknowledgedEdits.length + CLIENTS);

    const history = await reader.history();
    const stored = history.messages.map((message) => message.id);
    expect(acknowledgedChats.filter((id) => !stored.includes(id))).toEqual([]);
    reader.socket.close();
  } finally {
    await server.kill();
  }
});

test("updates with missing dependencies are refused, never stored, and acknowledged edits survive a SIGKILL", async () => {
  test.setTimeout(240_000);
  const port = SPARE_PORT_BASE + 2;
  const persistDir = freshStateDir("crash-pending");
  const room = uniqueRoom("crash-pending");
  let server = await startServer({ port, persistDir });
  try {
    const writer = await connect(port, room, "Writer");
    const acknowledged: string[] = [];
    const hostileClients: number[] = [];
    for (let e = 0; e < 30; e++) {
      const token = `[e${e}]`;
      await writer.type(token);
      acknowledged.push(token);
      // Between honest edits, updates that depend on what the room never saw, sent raw.
      const client = 7_000_000 + e;
      hostileClients.push(client);
      const frame = [
        pendingStructs(client, client + 1, 300),
        pendingDeletes(client, 300),
        clockGap(client, 50),
      ][e % 3];
      if (frame) writer.socket.send(encodeSyncUpdate(frame));
    }
    // Every frame answered: 30 refusals, and acks for the first sync, 30 edits and 30 replies to the step 1s.
    await writer.until(
      () =>
        writer.app.filter((m) => m.type === "doc-reject" && m.code === "missing-dependencies").length ===
          30 && writer.acks === 61,
      30_000,
    );
    expect(writer.app.filter((m) => m.type === "doc-reject" && m.code !== "missing-dependencies")).toEqual(
      [],
    );
    const lastAckedBytes = Math.max(...writer.app.map((m) => (m.type === "doc-ack" ? m.docBytes : 0)));

    await server.kill();
    await writer.closed;
    server = await startServer({ port, persistDir });
    const reader = await connect(port, room, "Reader");
    const text = reader.text.toString();
    expect(acknowledged.filter((token) => !text.includes(token))).toEqual([]);
    expect(text).toBe(acknowledged.join(""));
    // Nothing of the refused updates was kept, integrated or pending.
    const clients = [...Y.decodeStateVector(Y.encodeStateVector(reader.doc)).keys()];
    expect(clients.filter((c) => hostileClients.includes(c))).toEqual([]);
    expect(reader.doc.store.pendingStructs).toBeNull();
    expect(reader.doc.store.pendingDs).toBeNull();
    // The stored document did not grow from them (together some 30 KB).
    const welcome = reader.app.find((m) => m.type === "welcome");
    const storedBytes = welcome?.type === "welcome" ? welcome.docBytes : Infinity;
    expect(storedBytes).toBeLessThanOrEqual(lastAckedBytes);
    expect(storedBytes).toBeLessThan(10_000);
    reader.socket.close();
  } finally {
    await server.kill();
  }
});
