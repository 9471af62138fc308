/**
 * Bounds on a Yjs update (v1 encoding) checked by walking its bytes before
 * Yjs decodes or applies it. Yjs allocates one object per struct, trusts
 * the counts an update declares and needs about 1–2 µs per struct to
 * decode and as much again to apply, so a 2 MiB frame of one-byte structs
 * would hold a room for most of a second. The walk reads varints with lib0
 * and allocates nothing per struct; it refuses an update whose declared
 * counts cannot fit in the bytes that follow them, that holds more entries
 * than `LIMITS.maxUpdateEntries`, or whose clocks run past `LIMITS.maxClock`.
 * Values inside `ContentAny` and `ContentJSON` count one entry each however
 * deeply they nest (one array of a million numbers costs what a million
 * structs do), and subdocuments are refused outright: Edgeroom's editor
 * never makes them, and each one costs a Y.Doc and a `subdocs` event.
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
  readonly clients = new Set<number>();
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
  const client = decoding.readVarUint(d);
  // Yjs keeps only the last group of a client, so a second one would hide the first from any check.
  if (walk.clients.has(client)) throw new Refusal(`client ${client} appears in two groups`);
  walk.clients.add(client);
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
      for (let i = 0; i < values; i++) {
        if (kind === Content.json) walk.spend(jsonValues(decoding.readVarString(d)));
        else readAnyCounted(walk);
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
      throw new Refusal("subdocuments are not supported");
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

/** lib0 `writeAny` tags (see lib0/encoding.js): what follows each. */
const AnyTag = {
  undefined: 127,
  null: 126,
  integer: 125,
  float32: 124,
  float64: 123,
  bigint: 122,
  false: 121,
  true: 120,
  string: 119,
  object: 118,
  array: 117,
  bytes: 116,
} as const;

/**
 * Reads one lib0 `any` value, spending an entry for it and for every value
 * nested in it. Written here because lib0's `readAny` builds the value
 * (a huge array in one go) before anything could count it.
 */
function readAnyCounted(walk: Walk): void {
  const d = walk.decoder;
  walk.spend(1);
  const tag = decoding.readUint8(d);
  switch (tag) {
    case AnyTag.undefined:
    case AnyTag.null:
    case AnyTag.false:
    case AnyTag.true:
      return;
    case AnyTag.integer:
      decoding.readVarInt(d);
      return;
    case AnyTag.float32:
      decoding.readFloat32(d);
      return;
    case AnyTag.float64:
      decoding.readFloat64(d);
      return;
    case AnyTag.bigint:
      decoding.readBigInt64(d);
      return;
    case AnyTag.string:
      decoding.readVarString(d);
      return;
    case AnyTag.bytes:
      decoding.readVarUint8Array(d);
      return;
    case AnyTag.object: {
      const keys = walk.declared(decoding.readVarUint(d), 2, "object keys");
      for (let i = 0; i < keys; i++) {
        decoding.readVarString(d);
        readAnyCounted(walk);
      }
      return;
    }
    case AnyTag.array: {
      const items = walk.declared(decoding.readVarUint(d), 1, "array items");
      for (let i = 0; i < items; i++) readAnyCounted(walk);
      return;
    }
    default:
      throw new Refusal(`unknown any tag ${tag}`);
  }
}

/** Values in one ContentJSON string, counted from its separators without parsing it. */
function jsonValues(json: string): number {
  let values = 1;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    // , [ { : each start another value (or key) that JSON.parse must build.
    if (c === 44 || c === 91 || c === 123 || c === 58) values++;
  }
  return values;
}
