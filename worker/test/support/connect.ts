/** Opens a real WebSocket to a room through the Worker (inside workerd) and waits for the first sync. */
import type { User } from "@edgeroom/shared";
import { SELF } from "cloudflare:test";
import { YTestClient } from "./y-test-client.ts";

export async function connectToRoom(room: string, options: { hello?: boolean; user?: User } = {}) {
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
