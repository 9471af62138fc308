/**
 * Binary frames in standard y-protocols framing (see y-protocols PROTOCOL.md):
 * an outer varint message type, then the message. Every binary frame a
 * socket sends is parsed here before the room touches it.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import type { ParseResult } from "./app-messages.ts";
import { LIMITS } from "./limits.ts";
import { checkStateVectorBounds, checkUpdateBounds } from "./update-bounds.ts";

/** Outer message types of the y-protocols wire format (y-protocols exports only the inner sync ids). */
export const YMessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const;

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The raw JSON text of the state; `"null"` means the client left. */
  stateJson: string;
}

export type YFrame =
  | { kind: "sync-step1"; stateVector: Uint8Array }
  | { kind: "sync-step2"; update: Uint8Array }
  | { kind: "sync-update"; update: Uint8Array }
  /** `update` is the inner awareness update, as y-protocols' `applyAwarenessUpdate` takes it. */
  | { kind: "awareness"; entries: AwarenessEntry[]; update: Uint8Array }
  | { kind: "query-awareness" }
  | { kind: "auth" };

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

export interface FrameLimits {
  maxBytes: number;
  /** Structs, deletions and values one update or state vector may hold. */
  maxUpdateEntries: number;
  /**
   * Bound an update's bytes only, leaving the full decode to the caller
   * (the room decodes it once more anyway to check it against its document).
   */
  boundsOnly?: boolean;
}

/** What the room accepts from a client. */
export const CLIENT_FRAME_LIMITS: FrameLimits = {
  maxBytes: LIMITS.maxFrameBytes,
  maxUpdateEntries: LIMITS.maxUpdateEntries,
};

/** What the room accepts in a socket's first sync step 2, which may be a whole document. */
export const FIRST_SYNC_FRAME_LIMITS: FrameLimits = {
  maxBytes: LIMITS.maxFrameBytes,
  maxUpdateEntries: LIMITS.maxSyncEntries,
};

/**
 * A document update (sync step 2 or update), read from its first two bytes:
 * the room answers each one a client sends with exactly one `doc-ack` or
 * `doc-reject`, whatever becomes of it, so clients can count answers.
 */
export function isUpdateFrame(frame: Uint8Array): boolean {
  return (
    frame[0] === YMessageType.sync &&
    (frame[1] === syncProtocol.messageYjsSyncStep2 || frame[1] === syncProtocol.messageYjsUpdate)
  );
}

/** A y-protocols sync step 2 frame, read from its first two bytes. */
export function isSyncStep2Frame(frame: Uint8Array): boolean {
  return frame[0] === YMessageType.sync && frame[1] === syncProtocol.messageYjsSyncStep2;
}

/**
 * What a client accepts from the room: a first sync carries the whole
 * document, however many structs it holds, and the room's document is
 * already bounded by `LIMITS.maxDocumentBytes`.
 */
export const ROOM_FRAME_LIMITS: FrameLimits = {
  maxBytes: LIMITS.maxServerFrameBytes,
  maxUpdateEntries: Number.MAX_SAFE_INTEGER,
};

export function parseYFrame(
  frame: Uint8Array,
  limits: FrameLimits = CLIENT_FRAME_LIMITS,
): ParseResult<YFrame> {
  if (frame.byteLength === 0) return fail("empty frame");
  if (frame.byteLength > limits.maxBytes) return fail("frame too large");
  try {
    const decoder = decoding.createDecoder(frame);
    const parsed = readFrame(decoder, limits);
    if (!parsed.ok) return parsed;
    if (decoding.hasContent(decoder)) return fail("trailing bytes after message");
    return parsed;
  } catch (error) {
    // lib0 throws on truncated input ("Unexpected end of array", "Integer out of Range").
    return fail(`malformed frame: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function readFrame(decoder: decoding.Decoder, limits: FrameLimits): ParseResult<YFrame> {
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case YMessageType.sync:
      return readSync(decoder, limits);
    case YMessageType.awareness:
      return readAwareness(decoding.readVarUint8Array(decoder));
    case YMessageType.queryAwareness:
      return { ok: true, value: { kind: "query-awareness" } };
    case YMessageType.auth:
      // Auth frames carry a permission-denied reason from server to client; a client has no business sending one.
      decoding.readVarUint(decoder);
      decoding.readVarString(decoder);
      return { ok: true, value: { kind: "auth" } };
    default:
      return fail(`unknown message type ${type}`);
  }
}

function readSync(decoder: decoding.Decoder, limits: FrameLimits): ParseResult<YFrame> {
  const maxEntries = limits.maxUpdateEntries;
  const syncType = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  switch (syncType) {
    case syncProtocol.messageYjsSyncStep1: {
      const problem = checkStateVectorBounds(payload, maxEntries);
      if (problem) return fail(problem);
      Y.decodeStateVector(payload);
      return { ok: true, value: { kind: "sync-step1", stateVector: payload } };
    }
    case syncProtocol.messageYjsSyncStep2:
    case syncProtocol.messageYjsUpdate: {
      const problem = limits.boundsOnly
        ? checkUpdateBounds(payload, maxEntries)
        : checkUpdate(payload, maxEntries);
      if (problem) return fail(problem);
      const kind = syncType === syncProtocol.messageYjsUpdate ? "sync-update" : "sync-step2";
      return { ok: true, value: { kind, update: payload } };
    }
    default:
      return fail(`unknown sync message type ${syncType}`);
  }
}

/** Bounds an update's counts and sizes, then decodes it fully without applying it; returns a problem or undefined. */
export function checkUpdate(
  update: Uint8Array,
  maxEntries: number = LIMITS.maxUpdateEntries,
): string | undefined {
  const outOfBounds = checkUpdateBounds(update, maxEntries);
  if (outOfBounds) return outOfBounds;
  try {
    Y.decodeUpdate(update);
    return undefined;
  } catch (error) {
    return `malformed update: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function readAwareness(update: Uint8Array): ParseResult<YFrame> {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  // Stock providers echo other clients' states too, so allow a room's worth, not one.
  if (count > 256) return fail("too many awareness entries");
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const stateJson = decoding.readVarString(decoder);
    if (stateJson.length > LIMITS.maxAwarenessStateBytes) return fail("awareness state too large");
    let state: unknown;
    try {
      state = JSON.parse(stateJson);
    } catch {
      return fail("awareness state is not JSON");
    }
    if (state !== null && (typeof state !== "object" || Array.isArray(state))) {
      return fail("awareness state must be an object or null");
    }
    entries.push({ clientId, clock, stateJson });
  }
  if (decoding.hasContent(decoder)) return fail("trailing bytes after awareness update");
  return { ok: true, value: { kind: "awareness", entries, update } };
}

// ---- writers ---------------------------------------------------------------

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1 from a state vector alone (a room answering from its stored update, no `Y.Doc` built). */
export function encodeSyncStep1FromStateVector(stateVector: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, YMessageType.sync);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

/** Sync step 2 carrying `update`, already cut to what the other side lacks. */
export function encodeSyncStep2FromUpdate(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, YMessageType.sync);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, update);
  });
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, YMessageType.sync);
    syncProtocol.writeSyncStep1(e, doc);
  });
}

export function encodeSyncStep2(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, YMessageType.sync);
    syncProtocol.writeSyncStep2(e, doc, stateVector);
  });
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, YMessageType.sync);
    syncProtocol.writeUpdate(e, update);
  });
}

/**
 * Encodes awareness entries. Written with lib0 because y-protocols' encoder
 * needs an `Awareness` instance, whose renewal timer would keep a Durable
 * Object from hibernating.
 */
export function encodeAwarenessFrame(entries: readonly AwarenessEntry[]): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, YMessageType.awareness);
    encoding.writeVarUint8Array(
      e,
      frame((inner) => {
        encoding.writeVarUint(inner, entries.length);
        for (const entry of entries) {
          encoding.writeVarUint(inner, entry.clientId);
          encoding.writeVarUint(inner, entry.clock);
          encoding.writeVarString(inner, entry.stateJson);
        }
      }),
    );
  });
}

export function encodeQueryAwareness(): Uint8Array {
  return frame((e) => encoding.writeVarUint(e, YMessageType.queryAwareness));
}
