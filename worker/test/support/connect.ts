/** Opens a real WebSocket to a room through the Worker (inside workerd) and waits for the first sync. */
import type { User } from "@edgeroom/shared";
import type * as Y from "yjs";
import { SELF } from "cloudflare:test";
import { YTestClient } from "./y-test-client.ts";

export async function connectToRoom(
  room: string,
  options: { hello?: boolean; user?: User; doc?: Y.Doc } = {},
) {
  const response = await SELF.fetch(`http://edgeroom.test/parties/room/${room}`, {
    headers: { Upgrade: "websocket" },
  });
  const socket = response.webSocket;
  if (response.status !== 101 || !socket) throw new Error(`upgrade refused: ${response.status}`);
  socket.accept();
  const client = new YTestClient(socket, options);
  await client.synced;
  return client;
}

/** Opens a socket without waiting for a sync (a full room closes it before any). */
export async function openSocket(room: string): Promise<YTestClient> {
  const response = await SELF.fetch(`http://edgeroom.test/parties/room/${room}`, {
    headers: { Upgrade: "websocket" },
  });
  const socket = response.webSocket;
  if (response.status !== 101 || !socket) throw new Error(`upgrade refused: ${response.status}`);
  socket.accept();
  return new YTestClient(socket);
}
