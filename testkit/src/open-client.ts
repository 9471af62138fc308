/** Opens a headless client over Node's `ws` (e2e specs, the benchmark). */
import WebSocket from "ws";
import { HeadlessClient, type HeadlessOptions } from "./headless-client.ts";
import type { SocketLike } from "./socket-like.ts";

export interface OpenOptions extends HeadlessOptions {
  /** Subprotocols to offer (e.g. `tokenSubprotocols(token)`). */
  protocols?: string[];
}

/** A room's WebSocket URL on a server at `base` (http://… or ws://…). */
export function roomSocketUrl(base: string, room: string): string {
  return `${base.replace(/^http/, "ws")}/parties/room/${room}`;
}

/** Resolves once the socket is open and the client's opening frames are sent. */
export async function openClient(url: string, options: OpenOptions = {}): Promise<HeadlessClient> {
  // The benchmark measures servers, not compression; browsers' defaults would differ anyway.
  const socket = new WebSocket(url, options.protocols, { perMessageDeflate: false });
  // ws's event-target methods fit the standard shape this client reads; its own typings are narrower.
  const client = new HeadlessClient(socket as unknown as SocketLike, options);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  // Later errors end in a close, which the client reports; unhandled, ws would throw them.
  socket.on("error", () => undefined);
  await client.opened;
  return client;
}
