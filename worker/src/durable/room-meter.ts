/**
 * Per-room counters of what a room object did, for the bench probe and the
 * inspector. They live in module scope, in the isolate, which outlives an
 * evicted object: a room's starts after hibernation add up here, where the
 * object's own fields would start again from nothing. An isolate restart (a
 * deploy, a reload of `wrangler dev`) resets them, and a deployed room may
 * move between isolates, so these are development figures, not billing.
 */

export interface RoomCounts {
  /** Object starts (`onStart`): the first, then one per wake after an eviction. */
  starts: number;
  documentLoads: number;
  alarmRuns: number;
  socketsOpened: number;
  socketsClosed: number;
  framesInBinary: number;
  framesInText: number;
  bytesIn: number;
  /** Per recipient: a broadcast to 49 sockets is 49 frames. */
  framesOut: number;
  bytesOut: number;
  /** HTTP requests and RPC sessions other than socket upgrades (the HTTP API); the inspector's own calls are apart. */
  requests: number;
  inspectCalls: number;
  /** R2 put, list, delete. */
  r2ClassA: number;
  /** R2 get, head. */
  r2ClassB: number;
  /** Rows SQLite reported for the statements the object ran (read once each handler ends). */
  rowsRead: number;
  rowsWritten: number;
  alarmSets: number;
  /**
   * Wall time inside the object's handlers, overlapping ones counted once. Coarse: Date.now()
   * in workerd moves only across I/O, so a handler that computes without awaiting can show 0 ms;
   * awaits of storage and R2 are in it. It approximates billed duration from below.
   */
  activeMs: number;
  firstEventAt: number | null;
  lastEventAt: number | null;
}

type Cursor = { readonly rowsRead: number; readonly rowsWritten: number };

/** Every count at zero (the times apart): a new meter, and the inspector's base before any look. */
export const ZERO_COUNTS: Readonly<Omit<RoomCounts, "firstEventAt" | "lastEventAt">> = {
  starts: 0,
  documentLoads: 0,
  alarmRuns: 0,
  socketsOpened: 0,
  socketsClosed: 0,
  framesInBinary: 0,
  framesInText: 0,
  bytesIn: 0,
  framesOut: 0,
  bytesOut: 0,
  requests: 0,
  inspectCalls: 0,
  r2ClassA: 0,
  r2ClassB: 0,
  rowsRead: 0,
  rowsWritten: 0,
  alarmSets: 0,
  activeMs: 0,
};

export class RoomMeter {
  readonly counts: RoomCounts = { ...ZERO_COUNTS, firstEventAt: null, lastEventAt: null };
  /** Handlers running now (they interleave at awaits); time counts while any runs. */
  #running = 0;
  #activeSince = 0;
  #cursors: Cursor[] = [];

  /** Marks a handler as running until the returned promise settles; returns what `handler` returns. */
  async time<T>(handler: () => Promise<T> | T): Promise<T> {
    const now = Date.now();
    this.counts.firstEventAt ??= now;
    this.counts.lastEventAt = now;
    if (this.#running++ === 0) this.#activeSince = now;
    try {
      return await handler();
    } finally {
      if (--this.#running === 0) {
        this.counts.activeMs += Date.now() - this.#activeSince;
        this.#readCursors();
      }
    }
  }

  received(message: string | ArrayBuffer | ArrayBufferView): void {
    if (typeof message === "string") {
      this.counts.framesInText++;
      this.counts.bytesIn += utf8Length(message);
    } else {
      this.counts.framesInBinary++;
      this.counts.bytesIn += message.byteLength;
    }
  }

  /** `recipients` sockets were sent `data` (the same frame each). */
  sent(data: string | Uint8Array, recipients = 1): void {
    if (recipients === 0) return;
    this.counts.framesOut += recipients;
    this.counts.bytesOut += recipients * (typeof data === "string" ? utf8Length(data) : data.byteLength);
  }

  /** Sends one frame to one socket and counts it. */
  send(socket: { send(data: string | Uint8Array): void }, data: string | Uint8Array): void {
    socket.send(data);
    this.sent(data);
  }

  r2(operationClass: "A" | "B"): void {
    if (operationClass === "A") this.counts.r2ClassA++;
    else this.counts.r2ClassB++;
  }

  /** A statement's cursor; its row counts are added when the running handlers end (it may be read lazily). */
  sqlCursor(cursor: Cursor): void {
    this.#cursors.push(cursor);
    if (this.#running === 0) this.#readCursors();
  }

  #readCursors(): void {
    for (const cursor of this.#cursors) {
      this.counts.rowsRead += cursor.rowsRead;
      this.counts.rowsWritten += cursor.rowsWritten;
    }
    this.#cursors = [];
  }
}

const meters = new Map<string, RoomMeter>();

/** The meter of room `room` in this isolate (made on first use). */
export function roomMeter(room: string): RoomMeter {
  let meter = meters.get(room);
  if (!meter) meters.set(room, (meter = new RoomMeter()));
  return meter;
}

/** A copy of the room's counts; all zero for a room this isolate has not seen (nothing is made). */
export function readRoomCounts(room: string): RoomCounts {
  return { ...(meters.get(room) ?? new RoomMeter()).counts };
}

/** UTF-8 bytes of a string, without encoding it. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 2; // a surrogate pair: 2 units, 4 bytes
      i++;
    } else if (code >= 0x800) bytes += 2;
    else if (code >= 0x80) bytes += 1;
  }
  return bytes;
}
