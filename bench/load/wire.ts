/**
 * The servers speak the same y-protocols messages in two framings:
 * Edgeroom and the relay put one y-protocols message in each frame;
 * Hocuspocus multiplexes documents on a socket, so each of its frames starts
 * with the document name and the socket must authenticate first (an empty
 * token is accepted when the server has no `onAuthenticate` hook).
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { Framing } from "@edgeroom/testkit";

/** Edgeroom twice: on `wrangler dev` (with its local proxy) and on workerd through Miniflare alone. */
export type ServerKind = "edgeroom" | "edgeroom-direct" | "hocuspocus" | "relay";

/** Both Edgeroom servers run the same Worker bundle and speak the same protocol. */
export function isEdgeroom(kind: ServerKind): boolean {
  return kind === "edgeroom" || kind === "edgeroom-direct";
}

export interface Target {
  kind: ServerKind;
  /** ws://127.0.0.1:PORT */
  wsBase: string;
  /** Edgeroom only: the bench probe that counts room object starts. */
  probeUrl?: string;
}

export type Incoming =
  | { kind: "sync-step1" }
  | { kind: "sync-step2" | "sync-update"; update: Uint8Array }
  | { kind: "awareness"; update: Uint8Array }
  | { kind: "other" };

const HOCUSPOCUS_SYNC_REPLY = 4;

export function roomUrl(target: Target, room: string): string {
  if (isEdgeroom(target.kind)) return `${target.wsBase}/parties/room/${room}`;
  if (target.kind === "relay") return `${target.wsBase}/room/${room}`;
  return `${target.wsBase}/`;
}

export function openingFrames(target: Target, room: string): Uint8Array[] {
  if (target.kind !== "hocuspocus") return [];
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, room);
  encoding.writeVarUint(encoder, 2); // auth
  encoding.writeVarUint(encoder, 0); // token
  encoding.writeVarString(encoder, "");
  return [encoding.toUint8Array(encoder)];
}

/** Frames a standard y-protocols message for this server. */
export function wrap(target: Target, room: string, message: Uint8Array): Uint8Array {
  if (target.kind !== "hocuspocus") return message;
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, room);
  encoding.writeUint8Array(encoder, message);
  return encoding.toUint8Array(encoder);
}

/** Reads only the outer y-protocols layers: the load generator must stay cheap. */
export function unwrap(target: Target, frame: Uint8Array): Incoming {
  const decoder = decoding.createDecoder(frame);
  if (target.kind === "hocuspocus") decoding.readVarString(decoder);
  const type = decoding.readVarUint(decoder);
  if (type === 0 || (target.kind === "hocuspocus" && type === HOCUSPOCUS_SYNC_REPLY)) {
    const step = decoding.readVarUint(decoder);
    if (step === 0) return { kind: "sync-step1" };
    const update = decoding.readVarUint8Array(decoder);
    return { kind: step === 1 ? "sync-step2" : "sync-update", update };
  }
  if (type === 1) return { kind: "awareness", update: decoding.readVarUint8Array(decoder) };
  return { kind: "other" };
}

/** The headless client's framing for this server and room. */
export function framingFor(target: Target, room: string): Framing {
  return {
    opening: openingFrames(target, room),
    wrap: (message) => wrap(target, room, message),
    read: (frame) => unwrap(target, frame),
  };
}
