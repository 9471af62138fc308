/**
 * Document updates that the room takes in one burst go out in one frame per
 * recipient. Each update is still stored before anything leaves the room
 * (the output gate holds these frames too); only the relay waits, until the
 * events already queued behind the current one have run, so a busy room
 * sends each socket one merged update instead of one frame per keystroke,
 * and a quiet room sends at once. Sending is what a keystroke costs a room
 * of 50 most (a frame per recipient, in the runtime), so fewer frames is
 * more keystrokes a second.
 */
import { encodeSyncUpdate, YMessageType } from "@edgeroom/shared";
import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import type { FrameMeter } from "./socket-frames.ts";

const SYNC_UPDATE = 2;

interface Pending {
  update: Uint8Array;
  /** The sender's socket, which already has the update. */
  except: WebSocket | undefined;
}

/** What waits behind a queued update, in order: sends may not overtake the relay before them. */
type Queued = { relay: Pending } | { send: () => void };

export class RelayBatch {
  #queue: Queued[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #beforeSend: () => void;

  /** `beforeSend` runs before anything queued leaves: it writes the queued updates to storage. */
  constructor(beforeSend: () => void) {
    this.#beforeSend = beforeSend;
  }

  /** Whether anything waits: sends must then queue behind it (`later`) to keep their order. */
  get waiting(): boolean {
    return this.#queue.length > 0;
  }

  /** Queues the update in `frame` when it is one (a y-protocols sync update); false for any other frame. */
  add(frame: Uint8Array, except: WebSocket | undefined, flush: () => void): boolean {
    const update = syncUpdateOf(frame);
    if (!update) return false;
    this.#queue.push({ relay: { update, except } });
    // A zero-delay timer runs after the events already waiting for the object.
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      flush();
    }, 0);
    return true;
  }

  /** A send that must go out after the updates queued before it. */
  later(send: () => void): void {
    this.#queue.push({ send });
  }

  /**
   * Sends everything queued, in order, the updates merged into one frame per
   * open socket (in the place of the first of them), without its own.
   */
  flush(sockets: readonly WebSocket[], meter?: FrameMeter): void {
    const queue = this.#queue;
    this.#queue = [];
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (queue.length === 0) return;
    this.#beforeSend();
    const relays = queue.flatMap((q) => ("relay" in q ? [q.relay] : []));
    let relayed = false;
    for (const queued of queue) {
      if ("send" in queued) {
        queued.send();
        continue;
      }
      if (relayed) continue;
      relayed = true;
      const frames = mergedFrames(relays);
      for (const ws of sockets) {
        if (ws.readyState !== WebSocket.OPEN) continue;
        const frame = frames.get(ws) ?? frames.get(undefined);
        if (frame && frame.byteLength > 0) {
          ws.send(frame);
          meter?.sent(frame);
        }
      }
    }
  }

  /** Drops what is queued (the room is being deleted: nobody may hear of it). */
  clear(): void {
    this.#queue = [];
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** The frame for everyone (key undefined) and, for each sender, one without its own updates (absent if none is left). */
function mergedFrames(pending: readonly Pending[]): Map<WebSocket | undefined, Uint8Array> {
  const frames = new Map<WebSocket | undefined, Uint8Array>();
  frames.set(undefined, encodeSyncUpdate(merge(pending.map((p) => p.update))));
  const senders = new Set(pending.map((p) => p.except).filter((s) => s !== undefined));
  for (const sender of senders) {
    const others = pending.filter((p) => p.except !== sender).map((p) => p.update);
    if (others.length > 0) frames.set(sender, encodeSyncUpdate(merge(others)));
    else frames.set(sender, EMPTY);
  }
  return frames;
}

const EMPTY = new Uint8Array(0);

function merge(updates: Uint8Array[]): Uint8Array {
  return updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
}

function syncUpdateOf(frame: Uint8Array): Uint8Array | undefined {
  if (frame[0] !== YMessageType.sync || frame[1] !== SYNC_UPDATE) return undefined;
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}
