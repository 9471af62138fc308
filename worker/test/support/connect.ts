/** Opens a real WebSocket to a room through the Worker (inside workerd) and waits for the first sync. */
import { tokenSubprotocols, type User } from "@edgeroom/shared";
import type * as Y from "yjs";
import { SELF } from "cloudflare:test";
import { afterEach } from "vitest";
import { HeadlessClient } from "@edgeroom/testkit";

export interface ConnectOptions {
  hello?: boolean;
  user?: User;
  /** A room token, offered in the subprotocol header as the web client does. */
  token?: string;
  headers?: Record<string, string>;
  /** The client's document (a test may hand in one that already has content). */
  doc?: Y.Doc;
  /** The secret person id sent in hello, as a browser sends its stable id. */
  person?: string;
  /** Query string for the socket URL, e.g. `_pk=…` as partysocket sends it. */
  query?: string;
}

/** The raw upgrade response, for tests of refusals. */
export function upgrade(room: string, options: ConnectOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Upgrade: "websocket", ...options.headers };
  if (options.token !== undefined)
    headers["Sec-WebSocket-Protocol"] = tokenSubprotocols(options.token).join(", ");
  const query = options.query === undefined ? "" : `?${options.query}`;
  return SELF.fetch(`http://edgeroom.test/parties/room/${room}${query}`, { headers });
}

/** Connects and resolves with the close the server sent at once (a refused token or a private room). */
export async function refusedClose(
  room: string,
  options: ConnectOptions = {},
): Promise<{ code: number; reason: string }> {
  const response = await upgrade(room, options);
  const socket = response.webSocket;
  if (response.status !== 101 || !socket) throw new Error(`upgrade refused: ${response.status}`);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })),
  );
  socket.accept();
  return closed;
}

export async function connectToRoom(room: string, options: ConnectOptions = {}) {
  const response = await upgrade(room, options);
  const socket = response.webSocket;
  if (response.status !== 101 || !socket) throw new Error(`upgrade refused: ${response.status}`);
  socket.accept();
  const client = new HeadlessClient(socket, options);
  await client.synced;
  return client;
}

/** Opens a socket without waiting for a sync (a full room closes it before any). */
export async function openSocket(room: string, options: ConnectOptions = {}): Promise<HeadlessClient> {
  const response = await upgrade(room, options);
  const socket = response.webSocket;
  if (response.status !== 101 || !socket) throw new Error(`upgrade refused: ${response.status}`);
  socket.accept();
  return new HeadlessClient(socket, options);
}

/** A `connect` whose clients are closed after each test of the calling file. */
export function connectClosedAfterEach(): (
  room: string,
  options?: ConnectOptions,
) => Promise<HeadlessClient> {
  const open: HeadlessClient[] = [];
  afterEach(() => {
    for (const client of open.splice(0)) client.socket.close(1000, "test over");
  });
  return async (room, options) => {
    const client = await connectToRoom(room, options);
    open.push(client);
    return client;
  };
}
