/**
 * Structurally valid Yjs updates (v1) that hurt a room: every byte decodes,
 * but they depend on changes nobody sent (pending structs and deletions),
 * or they make YATA's conflict loop walk far. Written with lib0 from the v1
 * format so each shape is exact; the honest counterparts come from Yjs.
 */
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { updateBytes } from "./hostile-updates.ts";

export interface Id {
  client: number;
  clock: number;
}

/** One one-character insert placed by origin and right origin (either may be null: start / end). */
export interface Insert {
  origin: Id | null;
  rightOrigin: Id | null;
  /** The inserted text; one character unless given. */
  text?: string;
}

const STRING = 4;
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;

function writeId(e: encoding.Encoder, id: Id): void {
  encoding.writeVarUint(e, id.client);
  encoding.writeVarUint(e, id.clock);
}

/**
 * One group per client, each of one-character inserts into root text
 * `content`, from `clock` on; `deletes` is the delete set.
 */
export function inserts(
  groups: { client: number; clock: number; items: Insert[] }[],
  deletes: { client: number; clock: number; len: number }[] = [],
): Uint8Array {
  return updateBytes((e) => {
    encoding.writeVarUint(e, groups.length);
    for (const group of groups) {
      encoding.writeVarUint(e, group.items.length);
      encoding.writeVarUint(e, group.client);
      encoding.writeVarUint(e, group.clock);
      for (const item of group.items) {
        encoding.writeUint8(
          e,
          STRING | (item.origin ? HAS_ORIGIN : 0) | (item.rightOrigin ? HAS_RIGHT_ORIGIN : 0),
        );
        if (item.origin) writeId(e, item.origin);
        if (item.rightOrigin) writeId(e, item.rightOrigin);
        if (!item.origin && !item.rightOrigin) {
          encoding.writeVarUint(e, 1);
          encoding.writeVarString(e, "content");
        }
        encoding.writeVarString(e, item.text ?? "x");
      }
    }
    const byClient = new Map<number, { clock: number; len: number }[]>();
    for (const d of deletes) byClient.set(d.client, [...(byClient.get(d.client) ?? []), d]);
    encoding.writeVarUint(e, byClient.size);
    for (const [client, ranges] of byClient) {
      encoding.writeVarUint(e, client);
      encoding.writeVarUint(e, ranges.length);
      for (const r of ranges) {
        encoding.writeVarUint(e, r.clock);
        encoding.writeVarUint(e, r.len);
      }
    }
  });
}

/** A delete set alone, for clocks of `client` nobody ever sent. */
export function pendingDeletes(client: number, ranges: number, from = 1_000_000): Uint8Array {
  const deletes = Array.from({ length: ranges }, (_, i) => ({ client, clock: from + 2 * i, len: 1 }));
  return inserts([], deletes);
}

/** An insert after an item of a client the room has never heard of. */
export function pendingStructs(client: number, unknownClient: number, count = 1): Uint8Array {
  const items = Array.from({ length: count }, () => ({
    origin: { client: unknownClient, clock: 5 },
    rightOrigin: null,
  }));
  return inserts([{ client, clock: 0, items }]);
}

/** One long insert after an item of a client the room has never heard of: megabytes held pending. */
export function pendingText(client: number, unknownClient: number, text: string): Uint8Array {
  return inserts([
    { client, clock: 0, items: [{ origin: { client: unknownClient, clock: 0 }, rightOrigin: null, text }] },
  ]);
}

/** Inserts at the start of `content` by `client`, starting at a clock far past what it has sent. */
export function clockGap(client: number, clock: number): Uint8Array {
  return inserts([{ client, clock, items: [{ origin: null, rightOrigin: null }] }]);
}

/**
 * `perClient` inserts from each of `clients`, all between `origin` and
 * `rightOrigin`: every higher client walks over every lower one's items.
 */
export function crowd(origin: Id, rightOrigin: Id | null, clients: number[], perClient: number): Uint8Array {
  return inserts(
    clients.map((client) => ({
      client,
      clock: 0,
      items: Array.from({ length: perClient }, () => ({ origin, rightOrigin })),
    })),
  );
}

/** The room's first text: `text` typed by client `client`, as one update. */
export function seedText(client: number, text: string): { doc: Y.Doc; update: Uint8Array } {
  const doc = new Y.Doc();
  doc.clientID = client;
  doc.getText("content").insert(0, text);
  return { doc, update: Y.encodeStateAsUpdate(doc) };
}

/** An honest edit that depends on `base`: a peer that holds `base` types after it. */
export function dependentEdit(base: Y.Doc, client: number, text: string): Uint8Array {
  const peer = new Y.Doc();
  peer.clientID = client;
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(base));
  const content = peer.getText("content");
  return captureEdit(peer, () => content.insert(content.length, text));
}

export function captureEdit(doc: Y.Doc, edit: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const listen = (u: Uint8Array): void => void updates.push(u);
  doc.on("update", listen);
  edit();
  doc.off("update", listen);
  return Y.mergeUpdates(updates);
}
