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

/** Sends one frame to every open socket but the effect's `except`; the app lane only to sockets that said hello. */
export function broadcast(
  connections: Iterable<Socket>,
  effect: Extract<Effect, { kind: "broadcast" }>,
  meter?: { sent(data: string | Uint8Array, recipients: number): void },
): undefined {
  const data = encodeFrame(effect.frame);
  let recipients = 0;
  for (const c of connections) {
    if (c.id === effect.except || c.readyState !== WebSocket.OPEN) continue;
    if (effect.lane === "all" || peerState(c).appLane) {
      c.send(data);
      recipients++;
    }
  }
  meter?.sent(data, recipients);
  return undefined;
}

export function encodeFrame(frame: Frame): string | Uint8Array {
  return frame instanceof Uint8Array ? frame : JSON.stringify(frame);
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
