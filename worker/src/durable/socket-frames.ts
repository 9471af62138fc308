/** The small conversions between partyserver's sockets and the room logic's ids, states and frames. */
import { CloseCode } from "@edgeroom/shared";
import type { Connection } from "partyserver";
import type { Effect, Frame, RoomSocket } from "../room/effects.ts";
import { NEW_PEER, type PeerState } from "../room/reaction.ts";

export type Socket = Connection<PeerState>;

/** The socket's attachment; a socket refused at connect never got one. */
export function peerState(connection: Socket): PeerState {
  return (connection.state as PeerState | null) ?? NEW_PEER;
}

/** Open sockets but `exceptId`, with when workerd last answered each one's heartbeat when `heartbeat` is given. */
export function openSockets(
  connections: Iterable<Socket>,
  exceptId: string,
  heartbeat?: (socket: Socket) => number | undefined,
): RoomSocket[] {
  const open: RoomSocket[] = [];
  for (const c of connections) {
    if (c.id === exceptId || c.readyState !== WebSocket.OPEN) continue;
    open.push({ id: c.id, peer: peerState(c), lastHeartbeat: heartbeat?.(c) });
  }
  return open;
}

/**
 * Each socket's id and room state, read from its attachment once while the
 * object lives and kept current by the room's own writes (`set`, on every
 * `set-peer`). Written here because partyserver deserializes the attachment
 * on every read of `connection.state` and every socket's on every
 * `getConnections`, which a room pays per frame and per join, and a
 * broadcast to 1,000 sockets on every keystroke.
 */
export class SocketCache {
  readonly #known = new WeakMap<WebSocket, { id: string; peer: PeerState | null }>();

  /** The room's state for the socket; null for one refused at connect, which never got any. */
  peer(ws: WebSocket): PeerState | null {
    return this.#read(ws).peer;
  }

  appLane(ws: WebSocket): boolean {
    return this.#read(ws).peer?.appLane === true;
  }

  /** The open sockets but `exceptId`, with when workerd last answered each one's heartbeat when `heartbeat` is given. */
  open(
    sockets: readonly WebSocket[],
    exceptId: string,
    heartbeat?: (ws: WebSocket) => number | undefined,
  ): RoomSocket[] {
    const open: RoomSocket[] = [];
    for (const ws of sockets) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const known = this.#read(ws);
      if (known.id === exceptId) continue;
      open.push({ id: known.id, peer: known.peer ?? NEW_PEER, lastHeartbeat: heartbeat?.(ws) });
    }
    return open;
  }

  /** The ids of the open sockets that said hello. */
  appLaneIds(sockets: readonly WebSocket[]): string[] {
    const ids: string[] = [];
    for (const ws of sockets) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const known = this.#read(ws);
      if (known.peer?.appLane === true) ids.push(known.id);
    }
    return ids;
  }

  /** The open sockets by id. */
  index(sockets: readonly WebSocket[]): Map<string, WebSocket> {
    const byId = new Map<string, WebSocket>();
    for (const ws of sockets) if (ws.readyState === WebSocket.OPEN) byId.set(this.#read(ws).id, ws);
    return byId;
  }

  /** The room just stored `peer` in the socket's attachment. */
  set(ws: WebSocket, peer: PeerState): void {
    this.#known.set(ws, { id: this.#read(ws).id, peer });
  }

  #read(ws: WebSocket): { id: string; peer: PeerState | null } {
    let known = this.#known.get(ws);
    if (!known) {
      // partyserver's attachment: its own fields under `__pk`, the room's state under `__user`.
      const raw = WebSocket.prototype.deserializeAttachment.call(ws) as PartyAttachment | null;
      known = { id: raw?.__pk?.id ?? "", peer: raw?.__user ?? null };
      this.#known.set(ws, known);
    }
    return known;
  }
}

interface PartyAttachment {
  __pk?: { id?: string };
  __user?: PeerState | null;
}

/**
 * Sends one frame, encoded once, to every open socket but `except` (the
 * sender's socket object); the app lane only to sockets that said hello.
 */
export function broadcast(
  sockets: readonly WebSocket[],
  except: WebSocket | undefined,
  effect: Extract<Effect, { kind: "broadcast" }>,
  lanes: SocketCache,
  meter?: FrameMeter,
): undefined {
  const data = encodeFrame(effect.frame);
  let recipients = 0;
  for (const ws of sockets) {
    if (ws === except || ws.readyState !== WebSocket.OPEN) continue;
    if (effect.lane === "all" || lanes.appLane(ws)) {
      ws.send(data);
      recipients++;
    }
  }
  meter?.sent(data, recipients);
  return undefined;
}

/** Counts frames sent (the room meter, room-meter.ts). */
export interface FrameMeter {
  sent(data: string | Uint8Array, recipients?: number): void;
}

/** App-lane messages already encoded: one message sent to many sockets is encoded once. */
const encoded = new WeakMap<object, string>();

export function encodeFrame(frame: Frame): string | Uint8Array {
  if (frame instanceof Uint8Array) return frame;
  let text = encoded.get(frame);
  if (text === undefined) encoded.set(frame, (text = JSON.stringify(frame)));
  return text;
}

export function toBytes(message: ArrayBuffer | ArrayBufferView): Uint8Array {
  return message instanceof ArrayBuffer
    ? new Uint8Array(message)
    : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
}

export function closeQuietly(connection: Socket): void {
  try {
    connection.close(CloseCode.normal, "closed");
  } catch {
    // already closed from this side
  }
}
