/**
 * The document half of a room: the Y.Doc, its update log and awareness,
 * spoken over binary frames in y-protocols framing. Free of sockets and
 * Workers, like the rest of the room logic.
 */
import {
  encodeAwarenessFrame,
  encodeSyncStep1,
  encodeSyncStep1FromStateVector,
  encodeSyncStep2,
  encodeSyncStep2FromUpdate,
  encodeSyncUpdate,
  ErrorCode,
  LIMITS,
  parseYFrame,
  CLIENT_FRAME_LIMITS,
  FIRST_SYNC_FRAME_LIMITS,
  isSyncStep2Frame,
  isUpdateFrame,
  type FrameLimits,
} from "@edgeroom/shared";
import * as Y from "yjs";
import { AwarenessRelay } from "./awareness-relay.ts";
import { roomAwarenessEntries } from "./awareness-sanitise.ts";
import { toSender, type Outbound, type PeerState, type Reaction } from "./reaction.ts";
import { checkUpdateAgainstDoc } from "./update-check.ts";
import type { StateSummary, UpdateStore } from "./update-store.ts";
import { isEmptyUpdate, isReadOnly } from "./verified-peer.ts";

/** Charges the predicted work of an update about to be applied to its socket's budget. */
export type ChargeWork = (work: number) => void;
const FREE: ChargeWork = () => {};

export class YRoom {
  readonly #store: UpdateStore;
  readonly #awareness = new AwarenessRelay();
  /** Loaded from storage on first use: a wake for awareness, chat or a heartbeat check never builds it. */
  #doc: Y.Doc | undefined;
  /**
   * Until then, the stored document as one update: enough to answer sync
   * steps (Yjs diffs and reads state vectors from encoded updates without
   * integrating them), so a newcomer who only reads never makes a woken
   * room build its document, and is answered sooner.
   */
  #stored: Uint8Array | undefined;
  /** Until then too, the stored summary and log (null: no summary), read once: storage does not change while the document is not built. */
  #storedParts: { summary: StateSummary; log: Uint8Array[] } | null | undefined;
  readonly #onLoad: (() => void) | undefined;

  readonly #label: string;
  #warnedPending = false;

  /** `label` names the room in logs; `onLoad` hears each time the document is built from storage. */
  constructor(store: UpdateStore, label = "(unnamed)", onLoad?: () => void) {
    this.#store = store;
    this.#label = label;
    this.#onLoad = onLoad;
  }

  /** The document, built from storage the first time anything needs it. */
  get doc(): Y.Doc {
    return (this.#doc ??= this.#load());
  }

  /** Whether the document has been built from storage in this object's life. */
  get loaded(): boolean {
    return this.#doc !== undefined;
  }

  #load(): Y.Doc {
    const doc = new Y.Doc({ gc: true });
    this.#doc = doc;
    this.#stored = undefined;
    this.#storedParts = undefined;
    this.#onLoad?.();
    const updates = this.#store.load();
    if (updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(updates));
    // Rooms written before updates were checked may hold state Yjs could not integrate:
    // keep the integrated document and rewrite storage without the rest.
    if (this.#dropPending("its stored log")) this.#store.replaceWith(Y.encodeStateAsUpdate(doc));
    return doc;
  }

  /** Rebuilds in-memory state for sockets that stayed open while the object slept. */
  restorePeers(peers: Iterable<{ id: string; state: PeerState }>): void {
    for (const { id, state } of peers) this.#awareness.restore(id, state.awareness);
  }

  get awarenessClients(): number {
    return this.#awareness.snapshot().length;
  }

  /** The stored document as one update, while the `Y.Doc` is not built. */
  #storedState(): Uint8Array {
    if (!this.#stored) {
      const updates = this.#store.load();
      this.#stored = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    }
    return this.#stored;
  }

  #syncStep1(): Uint8Array {
    if (this.#doc) return encodeSyncStep1(this.#doc);
    const parts = this.#parts();
    if (parts && parts.log.length === 0) return encodeSyncStep1FromStateVector(parts.summary.stateVector);
    return encodeSyncStep1FromStateVector(Y.encodeStateVectorFromUpdate(this.#storedState()));
  }

  #syncStep2(stateVector: Uint8Array): Uint8Array {
    if (this.#doc) return encodeSyncStep2(this.#doc, stateVector);
    return encodeSyncStep2FromUpdate(this.#storedDiff(stateVector));
  }

  /** What a client holding `stateVector` lacks, from storage, reading and parsing as little of it as it can. */
  #storedDiff(stateVector: Uint8Array): Uint8Array {
    const clocks = Y.decodeStateVector(stateVector);
    // A newcomer lacks everything: the stored state as it is.
    if (clocks.size === 0) return this.#storedState();
    const parts = this.#parts();
    if (parts && covers(clocks, parts.summary.stateVector)) {
      // It holds every struct of the compacted state, so all it can lack of that are deletions.
      const { summary, log } = parts;
      if (log.length === 0) return summary.deletes;
      const tail = log.length === 1 ? log[0]! : Y.mergeUpdates(log);
      return Y.mergeUpdates([summary.deletes, Y.diffUpdate(tail, stateVector)]);
    }
    return Y.diffUpdate(this.#storedState(), stateVector);
  }

  #parts(): { summary: StateSummary; log: Uint8Array[] } | null {
    if (this.#storedParts === undefined) {
      const summary = this.#store.summary();
      this.#storedParts = summary ? { summary, log: this.#store.loadLog() } : null;
    }
    return this.#storedParts;
  }

  join(): Reaction {
    const out: Outbound[] = [{ to: "sender", binary: this.#syncStep1() }];
    const present = this.#awareness.snapshot();
    if (present.length > 0) out.push({ to: "sender", binary: encodeAwarenessFrame(present) });
    return { out };
  }

  /** `charge` takes each update's work (read, checked, applied) from the socket's budget. */
  receiveBinary(peerId: string, peer: PeerState, data: Uint8Array, charge: ChargeWork = FREE): Reaction {
    // A socket's first sync step 2 may hold a whole document; every other frame is bounded tighter.
    // That one frame is not charged: it is bounded on its own and allowed once per socket.
    if (!peer.firstSyncDone && isSyncStep2Frame(data)) {
      const reaction = this.#receiveFrame(peerId, peer, data, FIRST_SYNC_FRAME_LIMITS, FREE);
      return { ...reaction, peer: { ...(reaction.peer ?? peer), firstSyncDone: true } };
    }
    return this.#receiveFrame(peerId, peer, data, CLIENT_FRAME_LIMITS, charge);
  }

  #receiveFrame(
    peerId: string,
    peer: PeerState,
    data: Uint8Array,
    limits: FrameLimits,
    charge: ChargeWork,
  ): Reaction {
    // The full decode happens once, in the check against the document.
    const parsed = parseYFrame(data, { ...limits, boundsOnly: true });
    if (!parsed.ok) {
      return isUpdateFrame(data)
        ? this.#refuseUpdate(peer, ErrorCode.badFrame, parsed.error)
        : this.#reject(peer, ErrorCode.badFrame, parsed.error);
    }
    const frame = parsed.value;
    switch (frame.kind) {
      case "sync-step1":
        return { out: [{ to: "sender", binary: this.#syncStep2(frame.stateVector) }] };
      case "sync-step2":
        return this.#receiveUpdate(peer, frame.update, true, charge);
      case "sync-update":
        return this.#receiveUpdate(peer, frame.update, false, charge);
      case "awareness": {
        const entries = roomAwarenessEntries(frame.entries, peer);
        const { changed, owned } = this.#awareness.apply(peerId, entries);
        if (changed.length === 0) return { out: [] };
        return {
          out: [{ to: "others", binary: encodeAwarenessFrame(changed) }],
          peer: { ...peer, awareness: owned },
        };
      }
      case "query-awareness":
        return { out: [{ to: "sender", binary: encodeAwarenessFrame(this.#awareness.snapshot()) }] };
      case "auth":
        return this.#reject(peer, ErrorCode.badFrame, "auth frames are sent by servers only");
    }
  }

  /**
   * An update from the host's backend (HTTP API): bounded like a first sync,
   * since it may carry a whole document, never charged, then the same checks,
   * size cap, store and relay as a socket's.
   */
  receiveServerUpdate(peer: PeerState, update: Uint8Array): Reaction {
    return this.#receiveFrame("server", peer, encodeSyncUpdate(update), FIRST_SYNC_FRAME_LIMITS, FREE);
  }

  leave(peerId: string): Reaction {
    const removed = this.#awareness.removePeer(peerId);
    return { out: removed.length > 0 ? [{ to: "others", binary: encodeAwarenessFrame(removed) }] : [] };
  }

  /** Bytes the stored document takes, as the size cap counts them. */
  byteSize(): number {
    return this.#store.byteSize();
  }

  /** The whole document as one update. */
  state(): Uint8Array {
    return this.#doc ? Y.encodeStateAsUpdate(this.#doc) : this.#storedState();
  }

  /** Merges the log into one state row, unless that would take storage past the size cap. */
  compact(): void {
    if (this.#store.logLength() === 0) return;
    const doc = this.doc;
    const state = Y.encodeStateAsUpdate(doc);
    if (state.byteLength > LIMITS.maxDocumentBytes && state.byteLength > this.#store.byteSize()) return;
    const stateVector = Y.encodeStateVector(doc);
    this.#store.replaceWith(state, { stateVector, deletes: Y.encodeStateAsUpdate(doc, stateVector) });
  }

  #receiveUpdate(peer: PeerState, update: Uint8Array, answersStep1: boolean, charge: ChargeWork): Reaction {
    if (isReadOnly(peer) && !isEmptyUpdate(update)) {
      return this.#refuseUpdate(peer, ErrorCode.readOnly, "this connection can only view the room");
    }
    // A reader's sync step 2 carries nothing: answered without building the document.
    if (!this.#doc && isEmptyUpdate(update)) return this.#acknowledge(peer, []);
    const verdict = checkUpdateAgainstDoc(this.doc, update);
    // Refused updates are charged too: reading and checking them was work, and a socket that sends
    // refused frames at its rate limit must run out of budget like one that sends costly ones.
    charge(verdict.work);
    if (!verdict.ok) {
      switch (verdict.reason) {
        case "malformed":
          return this.#refuseUpdate(peer, ErrorCode.badFrame, verdict.message);
        case "too-costly":
          return this.#refuseUpdate(peer, ErrorCode.tooCostly, verdict.message);
        case "missing-dependencies":
          return this.#refuseMissing(peer, verdict.message, answersStep1);
      }
    }
    // With pending state refused, what an update adds to storage is what Yjs integrates of it, which
    // its own bytes bound; the rare excess (deleting a type lists its children's ranges) is compacted below.
    if (this.#store.byteSize() + update.byteLength > LIMITS.maxDocumentBytes) {
      this.compact();
      if (this.#store.byteSize() + update.byteLength > LIMITS.maxDocumentBytes) {
        return this.#refuseUpdate(
          peer,
          ErrorCode.documentTooLarge,
          "the document has reached its size limit",
        );
      }
    }
    // Only what is new to the room is stored and relayed: the update event
    // carries exactly the structs and deletions this transaction added.
    const effective: Uint8Array[] = [];
    const collect = (u: Uint8Array): void => {
      effective.push(u);
    };
    let failure: unknown;
    this.doc.on("update", collect);
    try {
      Y.applyUpdate(this.doc, update);
    } catch (error) {
      failure = error;
    } finally {
      this.doc.off("update", collect);
    }
    const leftPending = this.#dropPending("an update the check let through");
    // Even a failed apply may have integrated part of the update in memory;
    // whatever reached the document is stored so memory and storage agree.
    const out: Outbound[] = [];
    for (const u of effective) {
      this.#store.append(u);
      out.push({ to: "others", binary: encodeSyncUpdate(u) });
    }
    if (
      this.#store.logLength() >= LIMITS.compactAfterUpdates ||
      this.#store.logBytes() >= LIMITS.compactAfterLogBytes ||
      this.#store.byteSize() > LIMITS.maxDocumentBytes
    ) {
      this.compact();
    }
    const edited = effective.length > 0;
    let refusal: Reaction | undefined;
    if (failure !== undefined) {
      refusal = this.#refuseUpdate(
        peer,
        ErrorCode.badFrame,
        `update could not be applied: ${String(failure)}`,
      );
    } else if (leftPending) {
      refusal = this.#refuseMissing(peer, "the update depends on changes the room never saw", answersStep1);
    }
    if (refusal) return { ...refusal, out: [...out, ...refusal.out], edited };
    return { ...this.#acknowledge(peer, out), edited };
  }

  #acknowledge(peer: PeerState, out: Outbound[]): Reaction {
    if (peer.appLane) out.push({ to: "sender", app: { type: "doc-ack", docBytes: this.byteSize() } });
    return { out };
  }

  /**
   * The update needs changes the room does not have. The sender may have
   * them (it missed nothing, the room did): a sync step 1 makes an honest
   * client send everything the room lacks, after the refusal so the client
   * counts the refused change as unsaved before its reply carries it. A
   * refused sync step 2 gets no new step 1: it was the answer to one, and
   * asking again would only repeat it.
   */
  #refuseMissing(peer: PeerState, message: string, answersStep1: boolean): Reaction {
    const refusal = this.#refuseUpdate(peer, ErrorCode.missingDependencies, message);
    if (answersStep1) return refusal;
    return { ...refusal, out: [...refusal.out, { to: "sender", binary: encodeSyncStep1(this.doc) }] };
  }

  /** Pending state is never kept: it is not part of the document, yet Yjs would store and resend it. */
  #dropPending(source: string): boolean {
    const store = this.doc.store;
    if (store.pendingStructs === null && store.pendingDs === null) return false;
    if (!this.#warnedPending) {
      console.warn(`Edgeroom: room ${this.#label}: dropped pending Yjs state left by ${source}`);
      this.#warnedPending = true;
    }
    store.pendingStructs = null;
    store.pendingDs = null;
    return true;
  }

  #refuseUpdate(peer: PeerState, code: ErrorCode, message: string): Reaction {
    if (!peer.appLane) return { out: [], refused: true, problem: code };
    return { out: [{ to: "sender", app: { type: "doc-reject", code, message } }], problem: code };
  }

  #reject(peer: PeerState, code: ErrorCode, message: string): Reaction {
    if (!peer.appLane) return { out: [], refused: true, problem: code };
    return { ...toSender({ type: "error", code, message }), problem: code };
  }
}

/** Whether a client's clocks reach every clock of `stateVector`: it holds all those structs. */
function covers(clocks: Map<number, number>, stateVector: Uint8Array): boolean {
  for (const [client, clock] of Y.decodeStateVector(stateVector)) {
    if ((clocks.get(client) ?? 0) < clock) return false;
  }
  return true;
}
