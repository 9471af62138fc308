/**
 * Checks an update against the room's document before Yjs applies it, so
 * the room never holds state it cannot integrate and never starts work it
 * cannot bound.
 *
 * Integration: Yjs parks structs whose origin, right origin or parent it has
 * not seen (`pendingStructs`) and deletions of clocks it has not seen
 * (`pendingDs`). Those would be stored and acknowledged without being part
 * of the document, so an update must only reference IDs below the state
 * vector the document would have after it.
 *
 * Work: YATA's conflict loop in `Item.integrate` walks every item between an
 * insert's origin and its right origin that was itself inserted there, once
 * per incoming item, so 10,000 inserts at a position that already holds
 * 10,000 others cost 10^8 steps (tens of seconds). The check replays that
 * same walk over the document, without changing it, for every incoming item
 * whose origin the room already has, and estimates the walks among the
 * update's own items from how many share a position; the sum is the frame's
 * predicted work, bounded per frame and per socket. Counting steps rather
 * than timing them also works where the platform freezes the clock during
 * synchronous work, as production Workers do.
 */
import { LIMITS } from "@edgeroom/shared";
import * as Y from "yjs";

/** `work`: what reading the update cost or applying it would cost (structs + deleted ranges + conflict steps). */
export type UpdateVerdict =
  | { ok: true; work: number }
  | { ok: false; reason: "missing-dependencies" | "too-costly" | "malformed"; message: string; work: number };

type Struct = Y.Item | Y.GC | Y.Skip;
type Id = { client: number; clock: number };
type DeleteSet = ReturnType<typeof Y.decodeUpdate>["ds"];

/** Refuses an update that would leave pending state or cost too much; otherwise returns its predicted work. */
export function checkUpdateAgainstDoc(
  doc: Y.Doc,
  update: Uint8Array,
  maxSteps: number = LIMITS.maxIntegrationSteps,
): UpdateVerdict {
  let decoded: { structs: Struct[]; ds: DeleteSet };
  try {
    decoded = Y.decodeUpdate(update) as { structs: Struct[]; ds: DeleteSet };
  } catch (error) {
    return { ok: false, reason: "malformed", message: `malformed update: ${String(error)}`, work: 0 };
  }
  const { structs, ds } = decoded;
  const store = doc.store;
  const after = new Map<number, number>();
  const groupStart = new Map<number, number>();
  const stateOf = (client: number): number => Y.getState(store, client);
  const entries = structs.length + countRanges(ds);
  const missing = (message: string): UpdateVerdict => ({
    ok: false,
    reason: "missing-dependencies",
    message,
    work: entries,
  });

  // Client groups: each is one run of clocks; Yjs keeps only the last group of a client.
  let previous: Struct | undefined;
  for (const struct of structs) {
    if (struct instanceof Y.Skip) return missing("the update skips clocks it does not hold");
    const { client, clock } = struct.id;
    const contiguous =
      previous !== undefined &&
      previous.id.client === client &&
      previous.id.clock + previous.length === clock;
    if (!contiguous) {
      if (groupStart.has(client)) {
        return {
          ok: false,
          reason: "malformed",
          message: `client ${client} appears in two groups`,
          work: entries,
        };
      }
      groupStart.set(client, clock);
      if (clock > stateOf(client)) {
        return missing(`client ${client} starts at clock ${clock}; the room has up to ${stateOf(client)}`);
      }
    }
    after.set(client, Math.max(after.get(client) ?? stateOf(client), clock + struct.length));
    previous = struct;
  }
  const known = (id: Id, by: Id): boolean =>
    id.client === by.client ? id.clock < by.clock : id.clock < (after.get(id.client) ?? stateOf(id.client));

  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    for (const ref of [struct.origin, struct.rightOrigin, struct.parent]) {
      if (ref instanceof Y.ID && !known(ref, struct.id)) {
        return missing(`an item refers to ${ref.client}:${ref.clock}, which the room never saw`);
      }
    }
  }
  for (const [client, ranges] of ds.clients) {
    const end = after.get(client) ?? stateOf(client);
    for (const range of ranges) {
      if (range.clock + range.len > end) {
        return missing(`the update deletes ${client}:${range.clock}+${range.len}, which the room never saw`);
      }
    }
  }

  let steps = inFrameSteps(structs);
  for (const struct of structs) {
    if (steps > maxSteps) break;
    if (!(struct instanceof Y.Item) || struct.id.clock + struct.length <= stateOf(struct.id.client)) continue;
    steps += stepsInDoc(doc, struct, maxSteps - steps);
  }
  if (steps > maxSteps) {
    return {
      ok: false,
      reason: "too-costly",
      message: `integrating the update would take more than ${maxSteps} steps`,
      work: entries + steps,
    };
  }
  return { ok: true, work: entries + steps };
}

function countRanges(ds: DeleteSet): number {
  let n = 0;
  for (const ranges of ds.clients.values()) n += ranges.length;
  return n;
}

const idKey = (id: Id | null): string => (id === null ? "-" : `${id.client}:${id.clock}`);

/**
 * Items of one update that share an insertion point walk over each other:
 * each one passes every earlier one at that point, unless it is the usual
 * run of one client typing (the next item's right origin is the previous
 * item, or every item there has the same client and right origin, where
 * Yjs stops at once). Items placed by parent and key with no origin (map
 * entries set concurrently) always walk their key's whole history.
 */
function inFrameSteps(structs: Struct[]): number {
  const points = new Map<
    string,
    { n: number; last: string; client: number; right: string; mixed: boolean }
  >();
  let steps = 0;
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const parent = typeof struct.parent === "string" ? struct.parent : idKey(struct.parent as Id | null);
    const byKey = struct.origin === null && struct.parentSub !== null;
    const key = struct.origin ? idKey(struct.origin) : `${parent}/${struct.parentSub ?? ""}`;
    const right = idKey(struct.rightOrigin);
    const client = struct.id.client;
    const point = points.get(key);
    if (!point) {
      points.set(key, { n: 1, last: idKey(lastId(struct)), client, right, mixed: false });
      continue;
    }
    const chained = right === point.last;
    const sameRun = !point.mixed && point.client === client && point.right === right;
    if (byKey || !(chained || sameRun)) steps += point.n;
    point.mixed ||= point.client !== client || point.right !== right;
    point.n += 1;
    point.last = idKey(lastId(struct));
  }
  return steps;
}

function lastId(item: Y.Item): Id {
  return { client: item.id.client, clock: item.id.clock + item.length - 1 };
}

function contains(struct: Struct, id: Id | null): boolean {
  return (
    id !== null &&
    struct.id.client === id.client &&
    id.clock >= struct.id.clock &&
    id.clock < struct.id.clock + struct.length
  );
}

function itemAt(doc: Y.Doc, id: Id): Y.Item | undefined {
  if (id.clock >= Y.getState(doc.store, id.client)) return undefined;
  const struct = Y.getItem(doc.store, Y.createID(id.client, id.clock)) as Struct;
  return struct instanceof Y.Item ? struct : undefined;
}

/**
 * The steps of Yjs's conflict loop for one incoming item over what the
 * document already holds (the same conditions as `Item.integrate`, minus
 * the bookkeeping that decides where it lands). Stops counting at `budget`.
 */
function stepsInDoc(doc: Y.Doc, item: Y.Item, budget: number): number {
  const seen = new Set<Y.Item>();
  let steps = 0;
  let o: Y.Item | null;
  if (item.origin) {
    const left = itemAt(doc, item.origin);
    if (!left) return 0; // The origin comes with this update (counted in-frame) or was collected.
    o = left.right;
    if (item.origin.clock < left.id.clock + left.length - 1) {
      // The origin is inside `left`: Yjs splits it, and the rest of `left` (whose origin is ours) comes first.
      if (contains(left, item.rightOrigin)) return 0;
      steps = 1;
      seen.add(left);
      if (left.id.client >= item.id.client && sameId(item.rightOrigin, left.rightOrigin)) return steps;
    }
  } else {
    const parent = parentType(doc, item);
    if (!parent) return 0;
    if (item.parentSub !== null) {
      o = parent._map.get(item.parentSub) ?? null;
      while (o !== null && o.left !== null && steps <= budget) {
        o = o.left;
        steps++;
      }
    } else o = parent._start;
  }
  while (o !== null && !contains(o, item.rightOrigin) && steps <= budget) {
    seen.add(o);
    steps++;
    if (sameId(item.origin, o.origin)) {
      if (o.id.client >= item.id.client && sameId(item.rightOrigin, o.rightOrigin)) break;
    } else {
      const originItem = o.origin ? itemAt(doc, o.origin) : undefined;
      if (!originItem || !seen.has(originItem)) break;
    }
    o = o.right;
  }
  return steps;
}

function sameId(a: Id | null, b: Id | null): boolean {
  return a === b || (a !== null && b !== null && a.client === b.client && a.clock === b.clock);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types its shared types with YEvent<any>
function parentType(doc: Y.Doc, item: Y.Item): Y.AbstractType<Y.YEvent<any>> | undefined {
  const parent = item.parent as string | Id | null;
  if (typeof parent === "string") return doc.share.get(parent);
  if (parent === null) return undefined;
  const holder = itemAt(doc, parent);
  return holder?.content instanceof Y.ContentType ? holder.content.type : undefined;
}
