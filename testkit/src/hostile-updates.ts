/**
 * Yjs updates (v1) built to hurt a parser, for shared's parser tests and the
 * worker's fuzz tests (structurally valid but harmful ones are in
 * hostile-structs.ts). Each is written here with lib0 from the v1 format; the known
 * cases reproduce the inputs of yjs issue 479 and of yjs's own
 * `tests/limits.tests.js` (updates declaring hundreds of thousands to
 * trillions of structs, or huge struct lengths).
 */
import * as encoding from "lib0/encoding";
import * as Y from "yjs";

/** Writes one update by hand with lib0, byte by byte. */
export function updateBytes(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/** One client group of `count` one-byte-each GC structs of length 1, then an empty delete set. */
export function manyTinyStructs(count: number): Uint8Array {
  return updateBytes((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, count);
    encoding.writeVarUint(e, 424242);
    encoding.writeVarUint(e, 0);
    for (let i = 0; i < count; i++) {
      encoding.writeUint8(e, 0);
      encoding.writeVarUint(e, 1);
    }
    encoding.writeVarUint(e, 0);
  });
}

export const HOSTILE_UPDATES: Record<string, Uint8Array> = {
  /** yjs#479: the base64 text "garbagedoc" decoded to bytes hung `applyUpdate` in a lib0 varint loop. */
  "yjs#479 garbage": new Uint8Array([129, 170, 219, 106, 7, 157, 161]),
  /** yjs#498: an empty buffer looped forever too. */
  "yjs#498 empty": new Uint8Array(0),
  /** limits.tests.js: a v1 update declaring 265,828 client groups in 40 bytes. */
  "limits: 265,828 groups": new Uint8Array([
    228, 156, 16, 0, 5, 255, 255, 5, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 237, 0, 0, 0, 1, 1, 0, 254, 184, 194, 233,
    173, 135, 217, 18, 0, 0, 1, 1, 255, 237, 246,
  ]),
  /** limits.tests.js' v2 update declaring 4,398,046,511,101 structs, sent where v1 is spoken. */
  "limits: trillions of structs (v2 bytes)": new Uint8Array([
    0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 2, 0, 0, 22, 2, 0, 0, 1, 253, 255, 255, 255, 255, 127, 0, 0,
  ]),
  /** The same idea in v1: one group declaring 2^42 structs. */
  "declares 2^42 structs": updateBytes((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 2 ** 42);
    encoding.writeVarUint(e, 7);
    encoding.writeVarUint(e, 0);
    encoding.writeUint8(e, 0);
    encoding.writeVarUint(e, 1);
  }),
  /** A GC struct claiming 2^40 clock units (limits.tests.js has a 553,253-long GC item). */
  "GC of length 2^40": updateBytes((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 7);
    encoding.writeVarUint(e, 0);
    encoding.writeUint8(e, 0);
    encoding.writeVarUint(e, 2 ** 40);
    encoding.writeVarUint(e, 0);
  }),
  /** A delete set declaring 2^35 ranges for one client. */
  "delete set of 2^35 ranges": updateBytes((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 9);
    encoding.writeVarUint(e, 2 ** 35);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1);
  }),
  /** An array item declaring a billion `any` values. */
  "any content of 10^9 values": updateBytes((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 7);
    encoding.writeVarUint(e, 0);
    encoding.writeUint8(e, 8);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, "list");
    encoding.writeVarUint(e, 1e9);
    encoding.writeUint8(e, 127);
    encoding.writeVarUint(e, 0);
  }),
  /** Valid in every byte, but 100,000 structs: over the entry budget. */
  "100,000 tiny structs": manyTinyStructs(100_000),
};

/** Updates Yjs writes itself, whose cost lies in what one value holds. */
export function costlyContent(): Record<string, Uint8Array> {
  const built = (edit: (doc: Y.Doc) => void): Uint8Array => {
    const doc = new Y.Doc();
    edit(doc);
    return Y.encodeStateAsUpdate(doc);
  };
  const numbers = Array.from({ length: 100_000 }, (_, i) => i);
  return {
    "one ContentAny array of 100,000 numbers": built((doc) => doc.getArray("list").insert(0, [numbers])),
    "one ContentAny object with 20,000 keys": built((doc) =>
      doc.getArray("list").insert(0, [Object.fromEntries(numbers.slice(0, 20_000).map((n) => [`k${n}`, n]))]),
    ),
    "200 subdocuments": built((doc) => {
      for (let i = 0; i < 200; i++) doc.getMap("docs").set(`d${i}`, new Y.Doc());
    }),
    "one subdocument": built((doc) => doc.getMap("docs").set("d", new Y.Doc())),
  };
}

/** A ContentJSON item (Yjs writes these no more, but decodes them) holding one JSON text. */
export function jsonContent(json: string): Uint8Array {
  return updateBytes((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 7);
    encoding.writeVarUint(e, 0);
    encoding.writeUint8(e, 2);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, "list");
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, json);
    encoding.writeVarUint(e, 0);
  });
}

/** Two groups for one client: Yjs keeps only the second, so the first hides from any check. */
export function clientInTwoGroups(): Uint8Array {
  return updateBytes((e) => {
    encoding.writeVarUint(e, 2);
    for (const clock of [0, 5]) {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, 7);
      encoding.writeVarUint(e, clock);
      encoding.writeUint8(e, 0);
      encoding.writeVarUint(e, 5);
    }
    encoding.writeVarUint(e, 0);
  });
}
