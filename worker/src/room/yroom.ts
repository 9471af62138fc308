/**
 * The document half of a room: the Y.Doc, its update log and awareness,
 * spoken over binary frames in y-protocols framing. Free of sockets and
 * Workers, like the rest of the room logic.
 */
import {
  encodeAwarenessFrame,
  encodeSyncStep1,
  encodeSyncStep2,
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
import { sanitiseAwarenessEntries } from "./awareness-sanitise.ts";
import { toSender, type Outbound, type PeerState, type Reaction } from "./reaction.ts";
import type { UpdateStore } from "./update-store.ts";
import { forceAwarenessIdentity, isEmptyUpdate, isReadOnly } from "./verified-peer.ts";

/** Compact the update log once it is this long (and whenever the room empties). */
const COMPACT_AFTER_UPDATES = 500;

export class YRoom {
  readonly doc = new Y.Doc({ gc: true });
  readonly #store: UpdateStore;
  readonly #awareness = new AwarenessRelay();

  constructor(store: UpdateStore) {
    this.#store = store;
    const updates = store.load();
    if (updates.length > 0) Y.applyUpdate(this.doc, Y.mergeUpdates(updates));
  }

  /** Rebuilds in-memory state for sockets that stayed open while the object slept. */
  restorePeers(peers: Iterable<{ id: string; state: PeerState }>): void {
    for (const { id, state } of peers) this.#awareness.restore(id, state.awareness);
  }

  get awarenessClients(): number {
    return this.#awareness.snapshot().length;
  }

  join(): Reaction {
    const out: Outbound[] = [{ to: "sender", binary: encodeSyncStep1(this.doc) }];
    const present = this.#awareness.snapshot();
    if (present.length > 0) out.push({ to: "sender", binary: encodeAwarenessFrame(present) });
    return { out };
  }

  receiveBinary(peerId: string, peer: PeerState, data: Uint8Array): Reaction {
    // A socket's first sync step 2 may hold a whole document; every other frame is bounded tighter.
    if (!peer.firstSyncDone && isSyncStep2Frame(data)) {
      const reaction = this.#receiveFrame(peerId, peer, data, FIRST_SYNC_FRAME_LIMITS);
      return { ...reaction, peer: { ...(reaction.peer ?? peer), firstSyncDone: true } };
    }
    return this.#receiveFrame(peerId, peer, data, CLIENT_FRAME_LIMITS);
  }

  #receiveFrame(peerId: string, peer: PeerState, data: Uint8Array, limits: FrameLimits): Reaction {
    const parsed = parseYFrame(data, limits);
    if (!parsed.ok) {
      return isUpdateFrame(data)
        ? this.#refuseUpdate(peer, ErrorCode.badFrame, parsed.error)
        : this.#reject(peer, ErrorCode.badFrame, parsed.error);
    }
    const frame = parsed.value;
    switch (frame.kind) {
      case "sync-step1":
        return { out: [{ to: "sender", binary: encodeSyncStep2(this.doc, frame.stateVector) }] };
      case "sync-step2":
      case "sync-update":
        return this.#receiveUpdate(peer, frame.update);
      case "awareness": {
        const entries = sanitiseAwarenessEntries(forceAwarenessIdentity(frame.entries, peer));
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

  leave(peerId: string): Reaction {
    const removed = this.#awareness.removePeer(peerId);
    return { out: removed.length > 0 ? [{ to: "others", binary: encodeAwarenessFrame(removed) }] : [] };
  }

  /** Bytes the stored document takes, as the size cap counts them. */
  byteSize(): number {
    return this.#store.byteSize();
  }

  /** Merges the log into one state row. */
  compact(): void {
    if (this.#store.logLength() === 0) return;
    this.#store.replaceWith(Y.encodeStateAsUpdate(this.doc));
  }

  #receiveUpdate(peer: PeerState, update: Uint8Array): Reaction {
    if (isReadOnly(peer) && !isEmptyUpdate(update)) {
      return this.#refuseUpdate(peer, ErrorCode.readOnly, "this connection can only view the room");
    }
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
    // Structs that waited for a missing dependency integrate along with this
    // update; the sender lacks them too, so then it gets the result as well.
    const releasesPending = this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
    let failure: unknown;
    this.doc.on("update", collect);
    try {
      Y.applyUpdate(this.doc, update);
    } catch (error) {
      failure = error;
    } finally {
      this.doc.off("update", collect);
    }
    // Even a failed apply may have integrated part of the update in memory;
    // whatever reached the document is stored so memory and storage agree.
    const out: Outbound[] = [];
    for (const u of effective) {
      this.#store.append(u);
      out.push({ to: "others", binary: encodeSyncUpdate(u) });
      if (releasesPending) out.push({ to: "sender", binary: encodeSyncUpdate(u) });
    }
    if (this.#store.logLength() >= COMPACT_AFTER_UPDATES) this.compact();
    const edited = effective.length > 0;
    if (failure !== undefined) {
      const refusal = this.#refuseUpdate(
        peer,
        ErrorCode.badFrame,
        `update could not be applied: ${String(failure)}`,
      );
      return { ...refusal, out: [...out, ...refusal.out], edited };
    }
    if (peer.appLane) out.push({ to: "sender", app: { type: "doc-ack", docBytes: this.byteSize() } });
    return { out, edited };
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
