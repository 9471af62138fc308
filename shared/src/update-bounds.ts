/**
 * Bounds on a Yjs update (v1 encoding) checked by walking its bytes before
 * Yjs decodes or applies it. Yjs allocates one object per struct, trusts
 * the counts an update declares and needs about 1–2 µs per struct to
 * decode and as much again to apply, so a 2 MiB frame of one-byte structs
 * would hold a room for most of a second. The walk reads varints with lib0
 * and allocates nothing per struct; it refuses an update whose declared
 * counts cannot fit in the bytes that follow them, that holds more entries
 * than `LIMITS.maxUpdateEntries`, or whose clocks run past `LIMITS.maxClock`.
 *
 * Written from the v1 format as Yjs encodes it (`UpdateEncoderV1`): groups
 * of structs per client, then a delete set.
 */
import * as decoding from "lib0/decoding";
import { LIMITS } from "./limits.ts";

/** `info & 31` of a struct: what kind it is, or what content an item holds. */
const Content = {
  gc: 0,
  deleted: 1,
  json: 2,
  binary: 3,
  string: 4,
  embed: 5,
  format: 6,
  type: 7,
  any: 8,
  doc: 9,
  skip: 10,
} as const;
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;
const HAS_PARENT_SUB = 0x20;
/** Yjs shared type refs 0–6; XmlElement (3) and XmlHook (5) carry a name. */
const LAST_TYPE_REF = 6;
const NAMED_TYPE_REFS: ReadonlySet<number> = new Set([3, 5]);

class Refusal extends Error {}

/** Counts entries against the budget and refuses a count that cannot fit in the bytes left. */
class Walk {
  entries = 0;
  constructor(
    readonly decoder: decoding.Decoder,
    readonly maxEntries: number,
  ) {}

  declared(count: number, minBytesEach: number, what: string): number {
    const left = this.decoder.arr.length - this.decoder.pos;
    if (count * minBytesEach > left) throw new Refusal(`declares ${count} ${what} in ${left} bytes`);
    return count;
  }

  spend(count: number): void {
    this.entries += count;
    if (this.entries > this.maxEntries) {
      throw new Refusal(`more than ${this.maxEntries} structs, deletions and values`);
    }
  }

  clock(clock: number, length: number): void {
    if (clock + length > LIMITS.maxClock) throw new Refusal(`clock ${clock}+${length} out of range`);
  }
}

/** Returns why the update is refused, or undefined when it is within bounds. */
export function checkUpdateBounds(
  update: Uint8Array,
  maxEntries: number = LIMITS.maxUpdateEntries,
): string | undefined {
  return walkSafely(update, maxEntries, (walk) => {
    const groups = walk.declared(decoding.readVarUint(walk.decoder), 3, "client groups");
    for (let g = 0; g < groups; g++) readGroup(walk);
    readDeleteSet(walk);
  });
}

/** Bounds a state vector (sync step 1): entries that fit its bytes, within budget, clocks in range. */
export function checkStateVectorBounds(
  stateVector: Uint8Array,
  maxEntries: number = LIMITS.maxUpdateEntries,
): string | undefined {
  return walkSafely(stateVector, maxEntries, (walk) => {
    const clients = walk.declared(decoding.readVarUint(walk.decoder), 2, "clients");
    walk.spend(clients);
    for (let i = 0; i < clients; i++) {
      decoding.readVarUint(walk.decoder);
      walk.clock(decoding.readVarUint(walk.decoder), 0);
    }
  });
}

function walkSafely(bytes: Uint8Array, maxEntries: number, read: (walk: Walk) => void): string | undefined {
  const walk = new Walk(decoding.createDecoder(bytes), maxEntries);
  try {
    read(walk);
    if (decoding.hasContent(walk.decoder)) return "trailing bytes after update";
    return undefined;
  } catch (error) {
    if (error instanceof Refusal) return `update out of bounds: ${error.message}`;
    return `malformed update: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function readGroup(walk: Walk): void {
  const d = walk.decoder;
  const structs = walk.declared(decoding.readVarUint(d), 1, "structs");
  walk.spend(structs);
  decoding.readVarUint(d); // client
  let clock = decoding.readVarUint(d);
  for (let s = 0; s < structs; s++) {
    const length = readStruct(walk);
    walk.clock(clock, length);
    clock += length;
  }
}

/** Skips one struct; returns its length in clock units. */
function readStruct(walk: Walk): number {
  const d = walk.decoder;
  const info = decoding.readUint8(d);
  const kind = info & 0b11111;
  if (kind === Content.gc || kind === Content.skip) return decoding.readVarUint(d);
  if (info & HAS_ORIGIN) readId(d);
  if (info & HAS_RIGHT_ORIGIN) readId(d);
  if ((info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0) {
    const parentIsRootType = decoding.readVarUint(d) === 1;
    if (parentIsRootType) decoding.readVarString(d);
    else readId(d);
    if (info & HAS_PARENT_SUB) decoding.readVarString(d);
  }
  return readContent(walk, kind);
}

function readContent(walk: Walk, kind: number): number {
  const d = walk.decoder;
  switch (kind) {
    case Content.deleted:
      return decoding.readVarUint(d);
    case Content.json:
    case Content.any: {
      const values = walk.declared(decoding.readVarUint(d), 1, "values");
      walk.spend(values);
      for (let i = 0; i < values; i++) {
        if (kind === Content.json) decoding.readVarString(d);
        else decoding.readAny(d);
      }
      return values;
    }
    case Content.binary:
      decoding.readVarUint8Array(d);
      return 1;
    case Content.string:
      return decoding.readVarString(d).length;
    case Content.embed:
      decoding.readVarString(d);
      return 1;
    case Content.format:
      decoding.readVarString(d);
      decoding.readVarString(d);
      return 1;
    case Content.type: {
      const typeRef = decoding.readVarUint(d);
      if (typeRef > LAST_TYPE_REF) throw new Refusal(`unknown type ref ${typeRef}`);
      if (NAMED_TYPE_REFS.has(typeRef)) decoding.readVarString(d);
      return 1;
    }
    case Content.doc:
      decoding.readVarString(d);
      decoding.readAny(d);
      return 1;
    default:
      throw new Refusal(`unknown struct kind ${kind}`);
  }
}

function readId(d: decoding.Decoder): void {
  decoding.readVarUint(d);
  decoding.readVarUint(d);
}

function readDeleteSet(walk: Walk): void {
  const d = walk.decoder;
  const clients = walk.declared(decoding.readVarUint(d), 2, "deleting clients");
  for (let c = 0; c < clients; c++) {
    decoding.readVarUint(d); // client
    const ranges = walk.declared(decoding.readVarUint(d), 2, "deleted ranges");
    walk.spend(ranges);
    for (let r = 0; r < ranges; r++) walk.clock(decoding.readVarUint(d), decoding.readVarUint(d));
  }
}
