/**
 * Nothing acknowledged is lost in a crash: clients edit and chat against a
 * real `wrangler dev`, each waiting for the room's acknowledgement; the server
 * is killed with SIGKILL (no graceful stop, no chance to flush anything),
 * restarted on the same state folder, and a fresh client finds every
 * acknowledged edit and message.
 */
import { once } from "node:events";
import { expect, test } from "../support/test.ts";
import WebSocket from "ws";
import { YTestClient, type SocketLike } from "../../worker/test/support/y-test-client.ts";
import { freshStateDir, startServer } from "../support/server.ts";
import { SPARE_PORT_BASE } from "../support/shared-server.ts";
import { uniqueRoom } from "../support/room.ts";

const CLIENTS = 3;
const EDITS_PER_CLIENT = 50;
const CHATS_PER_CLIENT = 5;

async function connect(port: number, room: string, name: string): Promise<YTestClient> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/parties/room/${room}`);
  await once(socket, "open");
  const client = new YTestClient(socket as unknown as SocketLike, { user: { name, color: "#1971c2" } });
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
