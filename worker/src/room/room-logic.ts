/**
 * A room's logic, free of sockets and Workers: it takes "joined", "frame"
 * and "left" events and returns what to send. Binary frames belong to the
 * document (YRoom), text frames to the app lane (hello, chat, typing).
 * The Durable Object only adapts workerd to it, so it runs in plain Node in
 * unit tests and inside workerd alike.
 */
import {
  CloseCode,
  ErrorCode,
  LIMITS,
  isSyncStep2Frame,
  isUpdateFrame,
  parseClientAppMessage,
  PROTOCOL_VERSION,
  publicPersonId,
  CLOSE_REASONS,
  type ServerAppMessage,
  type Version,
} from "@edgeroom/shared";
import { ChatRoom } from "./chat-room.ts";
import { DocCheck } from "./doc-check.ts";
import { appLane, binaryLane, FrameGuard } from "./frame-guard.ts";
import { PersonSockets } from "./person-sockets.ts";
import { PointerBatcher } from "./pointer-batcher.ts";
import type { ChatStore } from "./chat-store.ts";
import { toSender, type Outbound, type PeerState, type Reaction } from "./reaction.ts";
import type { UpdateStore } from "./update-store.ts";
import { refuseReadOnlyMessage } from "./verified-peer.ts";
import { YRoom } from "./yroom.ts";

/** The room's saved versions, oldest first (the R2 snapshots' index). */
export interface VersionIndex {
  versions(): Version[];
}

const NO_VERSIONS: VersionIndex = { versions: () => [] };

export class RoomLogic {
  readonly document: YRoom;
  readonly chat: ChatRoom;
  readonly pointers = new PointerBatcher();
  readonly guard: FrameGuard;
  readonly #docCheck: DocCheck;
  readonly #persons = new PersonSockets();

  readonly #versions: VersionIndex;

  /** `now` stamps chat messages; `rateClock` refills rate-limit buckets (tests pass their own); `label` names the room in logs. */
  constructor(
    stores: { updates: UpdateStore; chat: ChatStore; versions?: VersionIndex },
    now: () => number = Date.now,
    rateClock: () => number = Date.now,
    label?: string,
  ) {
    this.document = new YRoom(stores.updates, label);
    this.chat = new ChatRoom(stores.chat, now);
    this.guard = new FrameGuard(rateClock);
    this.#docCheck = new DocCheck(this.document.doc);
    this.#versions = stores.versions ?? NO_VERSIONS;
  }

  restorePeers(peers: Iterable<{ id: string; state: PeerState }>): void {
    const restored = [...peers];
    for (const { id, state } of restored) if (state.person) this.#persons.claim(state.person, id);
    this.document.restorePeers(restored);
  }

  /** A socket opened; a verified one already belongs to its person, who may hold only so many. */
  join(peerId: string, peer: PeerState): Reaction {
    if (peer.person && !this.#persons.claim(peer.person, peerId))
      return closeSender(CloseCode.tooManySockets);
    return this.document.join();
  }

  receiveBinary(peerId: string, peer: PeerState, data: Uint8Array): Reaction {
    const dropped = this.guard.admit(peerId, peer, binaryLane(data));
    if (dropped) return peer.appLane && isUpdateFrame(data) ? withRateLimitReject(dropped) : dropped;
    const charged = isUpdateFrame(data) && !(isSyncStep2Frame(data) && !peer.firstSyncDone);
    if (charged) {
      const overdrawn = this.guard.refuseIfOverdrawn(peerId, peer);
      if (overdrawn) return overdrawn;
    }
    const charge = (work: number) => this.guard.chargeWork(peerId, work);
    const reaction = this.document.receiveBinary(peerId, peer, data, charge);
    return this.guard.strikeMalformed(peerId, countRefusal(peer, reaction));
  }

  receiveText(peerId: string, peer: PeerState, text: string): Reaction {
    return this.guard.strikeMalformed(peerId, countRefusal(peer, this.#receiveText(peerId, peer, text)));
  }

  #receiveText(peerId: string, peer: PeerState, text: string): Reaction {
    const parsed = parseClientAppMessage(text, LIMITS.maxFrameBytes);
    if (!parsed.ok) {
      const reply = toSender({ type: "error", code: ErrorCode.badMessage, message: parsed.error });
      return { ...(peer.appLane ? reply : { out: [], refused: true }), problem: ErrorCode.badMessage };
    }
    const message = parsed.value;
    const dropped = this.guard.admit(peerId, peer, appLane(message.type));
    if (dropped) return dropped;
    if (message.type === "hello") {
      if (message.v !== PROTOCOL_VERSION) {
        const reason = `server speaks v${PROTOCOL_VERSION}`;
        return { out: [{ to: "sender", close: { code: CloseCode.versionMismatch, reason } }] };
      }
      const next: PeerState = { ...peer, appLane: true };
      // A token's identity cannot be renamed by the client.
      if (message.user && !peer.verified) next.user = message.user;
      // A socket's person is set once: by its token, else by its first hello that names one.
      if (!peer.person && message.person) {
        next.person = publicPersonId(message.person);
        if (!this.#persons.claim(next.person, peerId)) return closeSender(CloseCode.tooManySockets);
      }
      const welcome: ServerAppMessage = {
        type: "welcome",
        v: PROTOCOL_VERSION,
        docBytes: this.document.byteSize(),
      };
      if (peer.verified) welcome.identity = peer.verified;
      return { out: [{ to: "sender", app: welcome }], peer: next };
    }
    if (!peer.appLane) return { out: [] };
    const readOnly = refuseReadOnlyMessage(peer, message);
    if (readOnly) return readOnly;
    switch (message.type) {
      case "chat-send":
        return this.chat.send(peerId, peer, message.id, message.text);
      case "chat-sync":
        return this.chat.sync(message);
      case "typing":
        return this.chat.typing(peerId, peer, message.active);
      case "doc-check":
        return this.#docCheck.answer(message.hash);
      case "pointer":
        // Pointers need a name to show; anonymous sockets' moves are dropped.
        if (peer.user) this.pointers.add({ key: peerId, user: peer.user, at: message.at });
        return { out: [] };
      case "versions-list":
        return toSender({ type: "versions", versions: this.#versions.versions() });
      case "version-get":
        if (!this.#versions.versions().some((v) => v.at === message.at)) {
          return toSender({
            type: "error",
            code: ErrorCode.versionNotFound,
            message: "no saved version has that time",
          });
        }
        return { out: [], versionRequested: message.at };
    }
  }

  leave(peerId: string, peer: PeerState): Reaction {
    if (peer.user) this.pointers.add({ key: peerId, user: peer.user, at: null });
    if (peer.person) this.#persons.release(peer.person, peerId);
    this.guard.forget(peerId);
    return { out: [...this.document.leave(peerId).out, ...this.chat.leave(peerId, peer).out] };
  }

  /** One `pointers` frame per recipient with everyone else's newest position (see PointerBatcher). */
  flushPointers(recipients: Iterable<string>): Map<string, ServerAppMessage> {
    const frames = new Map<string, ServerAppMessage>();
    for (const [recipient, moves] of this.pointers.flush(recipients)) {
      frames.set(recipient, { type: "pointers", moves });
    }
    return frames;
  }

  /** What the room keeps per socket; all zero once everyone has left (the soak test holds it to that). */
  retainedPerSocket(): { guards: number; persons: number; awarenessClients: number; pointerMoves: boolean } {
    return {
      guards: this.guard.size,
      persons: this.#persons.size,
      awarenessClients: this.document.awarenessClients,
      pointerMoves: this.pointers.hasPending,
    };
  }

  /** Merges the document's update log into one state. */
  compact(): void {
    this.document.compact();
  }
}

function closeSender(code: CloseCode): Reaction {
  return { out: [{ to: "sender", close: { code, reason: CLOSE_REASONS[code].reason } }] };
}

/** A dropped update is refused by name, so the client's count of answers stays right and it resends later. */
function withRateLimitReject(dropped: Reaction): Reaction {
  if (dropped.out.some((o) => "close" in o)) return dropped;
  const message = "the update was dropped over the rate limit; it will be resent";
  const reject: Outbound = {
    to: "sender",
    app: { type: "doc-reject", code: ErrorCode.rateLimited, message },
  };
  return { ...dropped, out: [...dropped.out, reject] };
}

const REFUSALS = new Set(["error", "doc-reject", "chat-reject"]);

function isRefusal(reaction: Reaction): boolean {
  return (
    reaction.refused === true ||
    reaction.out.some((o) => o.to === "sender" && "app" in o && REFUSALS.has(o.app.type))
  );
}

/** Every refused frame is counted on its socket (the attachment keeps the count across hibernation). */
function countRefusal(peer: PeerState, reaction: Reaction): Reaction {
  if (!isRefusal(reaction)) return reaction;
  const base = reaction.peer ?? peer;
  return { ...reaction, peer: { ...base, refused: (base.refused ?? 0) + 1 } };
}
