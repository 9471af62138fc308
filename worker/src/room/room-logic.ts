/**
 * A room's logic, free of sockets and Workers. Its host (the Durable Object
 * in durable/room-server.ts) reports socket events (`opened`, `received`,
 * `closed`, the alarm, the pointer tick, the answers of slow reads) and
 * carries out the effects each returns (effects.ts). Binary frames belong
 * to the document (YRoom), text frames to the app lane (hello, chat,
 * typing, the room's name). The frame handlers (`join`, `receiveText`, `receiveBinary`,
 * `leave`) return reactions, which the events turn into effects in one
 * place. It runs in plain Node in unit tests and inside workerd alike.
 */
import {
  CloseCode,
  encodeSyncUpdate,
  ErrorCode,
  LIMITS,
  isSyncStep2Frame,
  isUpdateFrame,
  parseClientAppMessage,
  PROTOCOL_VERSION,
  publicPersonId,
  type ChatMessage,
  type ChatPost,
  type CustomEvent,
  type DocumentTextWrite,
  type Person,
  type ServerAppMessage,
  type User,
  type Version,
  type WebhookEvent,
} from "@edgeroom/shared";
import type { VersionAnswer } from "../snapshots/version-reader.ts";
import type { Admission } from "./admission.ts";
import { roomIsFull } from "./capacity.ts";
import { ChatRoom } from "./chat-room.ts";
import { DocCheck } from "./doc-check.ts";
import { editorName } from "./editor-name.ts";
import { EventRelay } from "./event-relay.ts";
import type { ApiOutcome } from "../api/room-api.ts";
import {
  closeSocket,
  reactionEffects,
  serverReactionEffects,
  type Effect,
  type RoomSocket,
  type SocketId,
} from "./effects.ts";
import { appLane, binaryLane, FrameGuard } from "./frame-guard.ts";
import { arrivalWebhooks, departureWebhooks } from "./people-webhooks.ts";
import { PersonSockets } from "./person-sockets.ts";
import { PointerBatcher } from "./pointer-batcher.ts";
import { MemoryRoomNameStore, RoomName, type RoomNameStore } from "./room-name.ts";
import type { ChatStore } from "./chat-store.ts";
import { closeSender, NEW_PEER, toSender, type Outbound, type PeerState, type Reaction } from "./reaction.ts";
import { CheckIns } from "./check-ins.ts";
import { hasGoneSilent } from "./socket-checks.ts";
import type { UpdateStore } from "./update-store.ts";
import { BOT_COLOR, peopleOf, SERVER_EDITOR, SERVER_PEER, updateOutcome } from "./server-requests.ts";
import { textWriteUpdate } from "./text-write.ts";
import { versionReply } from "./version-reply.ts";
import {
  earliestTokenExpiry,
  mayStayInPrivateRoom,
  refuseReadOnlyMessage,
  tokenHasExpired,
  verifiedPeer,
} from "./verified-peer.ts";
import { YRoom } from "./yroom.ts";

/** The room's saved versions, oldest first (the R2 snapshots' index). */
export interface VersionIndex {
  versions(): Version[];
}

const NO_VERSIONS: VersionIndex = { versions: () => [] };

export class RoomLogic {
  readonly document: YRoom;
  readonly chat: ChatRoom;
  readonly name: RoomName;
  readonly pointers = new PointerBatcher();
  readonly guard: FrameGuard;
  readonly #docCheck: DocCheck;
  readonly #persons = new PersonSockets();
  readonly #events: EventRelay;
  readonly #checkIns: CheckIns;

  readonly #versions: VersionIndex;

  /**
   * `now` stamps chat messages; `rateClock` refills rate-limit buckets (tests pass their own);
   * `label` names the room in logs; `onDocumentLoad` hears each time the document is built from storage;
   * `random` picks whom to ask for check-ins (tests pass a seeded one).
   */
  constructor(
    stores: { updates: UpdateStore; chat: ChatStore; versions?: VersionIndex; roomName?: RoomNameStore },
    now: () => number = Date.now,
    rateClock: () => number = Date.now,
    options: { label?: string; onDocumentLoad?: () => void; random?: () => number } = {},
  ) {
    this.#checkIns = new CheckIns(options.random);
    this.document = new YRoom(stores.updates, options.label, options.onDocumentLoad);
    this.chat = new ChatRoom(stores.chat, now);
    this.name = new RoomName(stores.roomName ?? new MemoryRoomNameStore());
    this.guard = new FrameGuard(rateClock);
    this.#events = new EventRelay(rateClock);
    this.#docCheck = new DocCheck(() => this.document.doc);
    this.#versions = stores.versions ?? NO_VERSIONS;
  }

  restorePeers(peers: Iterable<{ id: string; state: PeerState }>): void {
    const restored = [...peers];
    for (const { id, state } of restored) if (state.person) this.#persons.claim(state.person, id);
    this.document.restorePeers(restored);
  }

  /** A socket opened; a verified one already belongs to its person, who may hold only so many. */
  join(peerId: string, peer: PeerState): Reaction {
    if (!peer.person) return this.document.join();
    const webhooks = this.#claimPerson(peer.person, peerId, peer.user);
    if (!webhooks) return closeSender(CloseCode.tooManySockets);
    return { ...this.document.join(), webhooks };
  }

  /** Counts the socket as the person's: the webhooks of their arrival (none if already here), or undefined when they hold too many. */
  #claimPerson(person: string, peerId: string, user: User | undefined): WebhookEvent[] | undefined {
    const arriving = !this.#persons.has(person);
    if (!this.#persons.claim(person, peerId)) return undefined;
    return arriving ? arrivalWebhooks(person, user, this.#persons.size) : [];
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
        return closeSender(CloseCode.versionMismatch, `server speaks v${PROTOCOL_VERSION}`);
      }
      const next: PeerState = { ...peer, appLane: true };
      // A token's identity cannot be renamed by the client.
      if (message.user && !peer.verified) next.user = message.user;
      // A socket's person is set once: by its token, else by its first hello that names one.
      let webhooks: WebhookEvent[] = [];
      if (!peer.person && message.person) {
        next.person = publicPersonId(message.person);
        const arrived = this.#claimPerson(next.person, peerId, next.user);
        if (!arrived) return closeSender(CloseCode.tooManySockets);
        webhooks = arrived;
      }
      const welcome: ServerAppMessage = {
        type: "welcome",
        v: PROTOCOL_VERSION,
        docBytes: this.document.byteSize(),
      };
      if (peer.verified) welcome.identity = peer.verified;
      const named = { to: "sender", app: this.name.message() } as const;
      return { out: [{ to: "sender", app: welcome }, named], peer: next, webhooks };
    }
    if (!peer.appLane) return { out: [] };
    const readOnly = refuseReadOnlyMessage(peer, message);
    if (readOnly) return readOnly;
    switch (message.type) {
      case "chat-send":
        return this.chat.send(peerId, peer, message.id, message.text);
      case "room-name-set":
        return this.name.rename(message.name);
      case "chat-sync":
        return this.chat.sync(message);
      case "typing":
        return this.chat.typing(peerId, peer, message.active);
      case "event-send":
        return this.#events.relay(peerId, peer, message.event);
      case "doc-check":
        return this.#docCheck.answer(message.hash);
      case "check-in":
        return { out: [], checkedIn: true };
      case "pointer":
        // Pointers need a name to show; anonymous sockets' moves are dropped.
        if (peer.user) this.pointers.add({ key: peerId, user: peer.user, at: message.at });
        return { out: [] };
      case "versions-list":
        return toSender({ type: "versions", versions: this.#versions.versions() });
      case "version-get":
        if (!this.#versions.versions().some((v) => v.at === message.at)) {
          return {
            ...toSender(versionReply(message.at, { kind: "not-found" })),
            problem: ErrorCode.versionNotFound,
          };
        }
        return { out: [], versionRequested: message.at };
    }
  }

  leave(peerId: string, peer: PeerState): Reaction {
    if (peer.user) this.pointers.add({ key: peerId, user: peer.user, at: null });
    const left = peer.person !== undefined && this.#persons.release(peer.person, peerId);
    this.guard.forget(peerId);
    const out = [...this.document.leave(peerId).out, ...this.chat.leave(peerId, peer).out];
    if (!left || !peer.person) return { out };
    return { out, webhooks: departureWebhooks(peer.person, peer.user, this.#persons.size) };
  }

  /** One `pointers` frame per recipient with everyone else's newest position (see PointerBatcher). */
  flushPointers(recipients: Iterable<string>): Map<string, ServerAppMessage> {
    const frames = new Map<string, ServerAppMessage>();
    // One message object per distinct list, so the host's encoding cache encodes the shared one once.
    const messages = new Map<unknown, ServerAppMessage>();
    for (const [recipient, moves] of this.pointers.flush(recipients)) {
      let message = messages.get(moves);
      if (!message) messages.set(moves, (message = { type: "pointers", moves }));
      frames.set(recipient, message);
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

  /** The whole document as one update, for a snapshot. */
  documentState(): Uint8Array {
    return this.document.state();
  }

  // --- events from the host, each answered with the effects to carry out ---

  /** A socket opened, and the door gave its verdict; `others` are the sockets open before it. */
  opened(socket: SocketId, admission: Admission, others: readonly RoomSocket[], now: number): Effect[] {
    if (!admission.ok) return [closeSocket(socket, admission.code)];
    const effects: Effect[] = [];
    let staying = others;
    // Before the capacity check: a room full of tokenless sockets still turns private at once.
    if (admission.madePrivate) {
      staying = others.filter((other) => mayStayInPrivateRoom(other.peer));
      for (const other of others) {
        if (!mayStayInPrivateRoom(other.peer))
          effects.push({ kind: "evict", socket: other.id, code: CloseCode.tokenRequired });
      }
      effects.push({ kind: "note-access-change" });
    }
    if (roomIsFull(staying.length)) return [...effects, closeSocket(socket, CloseCode.roomFull)];
    const peer: PeerState = {
      ...NEW_PEER,
      since: now,
      ...verifiedPeer(admission.verified, admission.expiresAt),
    };
    effects.push({ kind: "set-peer", socket, peer }, ...reactionEffects(socket, this.join(socket, peer)));
    if (peer.tokenExpiresAt !== undefined) effects.push({ kind: "wake-by", at: peer.tokenExpiresAt });
    // Awake anyway: a due sweep now means a newcomer never sees a ghost the check-ins missed.
    if (staying.length > 0 && this.#checkIns.due(now)) effects.push({ kind: "sweep" });
    return effects;
  }

  /** A frame from an open socket whose attachment holds `peer`. */
  received(socket: SocketId, peer: PeerState, message: string | Uint8Array, now: number): Effect[] {
    // Checked on every frame: the alarm may not have run yet when a token expires.
    if (tokenHasExpired(peer, now)) return [{ kind: "evict", socket, code: CloseCode.tokenExpired }];
    const reaction =
      typeof message === "string"
        ? this.receiveText(socket, peer, message)
        : this.receiveBinary(socket, peer, message);
    const effects = reactionEffects(socket, reaction);
    this.#pointersLater(effects);
    if (reaction.checkedIn && this.#checkIns.due(now)) effects.push({ kind: "sweep" });
    // The first app-lane socket after a wake (or among stock clients) is asked to check in, with the alarm behind it.
    if (!peer.appLane && reaction.peer?.appLane && this.#checkIns.askIfFew(socket)) {
      effects.push(checkInDue(socket, this.#checkIns.untilNext(now)));
      effects.push({ kind: "wake-by", at: now + LIMITS.sweepFallbackMs });
    }
    if (reaction.edited) effects.push({ kind: "note-edit", editor: editorName(reaction.peer ?? peer) });
    if (reaction.versionRequested !== undefined)
      effects.push({ kind: "read-version", socket, at: reaction.versionRequested });
    return effects;
  }

  /**
   * A socket closed, or is being evicted (closed from this side and gone at
   * once); `othersOpen` counts the sockets still open besides it.
   */
  closed(socket: SocketId, peer: PeerState, othersOpen: number, evicted = false): Effect[] {
    const effects = reactionEffects(socket, this.leave(socket, peer));
    this.#pointersLater(effects);
    if (this.#checkIns.forget(socket) && othersOpen > 0) effects.push({ kind: "ask-check-in" });
    // Its close frame will report it closed again: leave nothing for that second call to undo.
    if (evicted)
      effects.push({
        kind: "set-peer",
        socket,
        peer: { ...peer, appLane: false, typing: false, awareness: [] },
      });
    if (othersOpen === 0) {
      this.compact();
      effects.push({ kind: "flush-snapshot-soon" });
    }
    return effects;
  }

  /** The version a socket asked for was read (or not). */
  versionRead(socket: SocketId, at: number, answer: VersionAnswer): Effect[] {
    if (answer.kind === "failed") console.error("Edgeroom: reading a version failed:", answer.error);
    return [{ kind: "send", socket, frame: versionReply(at, answer) }];
  }

  /** A snapshot was saved: everyone on the app lane gets the new list of versions. */
  versionsSaved(versions: Version[]): Effect[] {
    return [{ kind: "broadcast", lane: "app", frame: { type: "versions", versions } }];
  }

  /** The pointer tick: one `pointers` frame per open app-lane socket (`recipients`) with everyone else's newest position. */
  pointerTick(recipients: readonly SocketId[]): Effect[] {
    return [...this.flushPointers(recipients)].map(([socket, frame]) => ({ kind: "send", socket, frame }));
  }

  /**
   * The one alarm, which must survive hibernation and eviction: a sweep when
   * no check-in brought one (see CheckIns), a due snapshot (retries back off,
   * see Snapshotter), and the next alarm. Token expiry has its own time in
   * the plan, so an expired token is closed here even between sweeps.
   */
  alarm(now: number, open: readonly RoomSocket[]): Effect[] {
    const { effects, sweepAfterMs, tokenExpiresAt } = this.#sweep(now, open, true);
    effects.push({ kind: "save-snapshot" }, { kind: "plan-alarm", sweepAfterMs, tokenExpiresAt });
    return effects;
  }

  /**
   * A check-in (or a newcomer) made a sweep due: close sockets that went silent or whose token
   * expired, ask for the next check-ins, and make sure the backing alarm is set, without setting it
   * again when it already is (each set is a billed write).
   */
  sweep(now: number, open: readonly RoomSocket[]): Effect[] {
    const { effects, sweepAfterMs, tokenExpiresAt } = this.#sweep(now, open, false);
    if (sweepAfterMs !== undefined) effects.push({ kind: "wake-by", at: now + sweepAfterMs });
    if (tokenExpiresAt !== undefined) effects.push({ kind: "wake-by", at: tokenExpiresAt });
    return effects;
  }

  /** An asked socket left: ask another for the sweep already due. */
  askCheckIn(now: number, open: readonly RoomSocket[]): Effect[] {
    return this.#checkIns.reask(open, now).map((ask) => checkInDue(ask, this.#checkIns.untilNext(now)));
  }

  #sweep(
    now: number,
    open: readonly RoomSocket[],
    byAlarm: boolean,
  ): { effects: Effect[]; sweepAfterMs: number | undefined; tokenExpiresAt: number | undefined } {
    const effects: Effect[] = [];
    const staying: RoomSocket[] = [];
    for (const socket of open) {
      const code = hasGoneSilent(socket, now)
        ? CloseCode.heartbeatTimeout
        : tokenHasExpired(socket.peer, now)
          ? CloseCode.tokenExpired
          : undefined;
      if (code === undefined) staying.push(socket);
      else effects.push({ kind: "evict", socket: socket.id, code });
    }
    const { ask, sweepAfterMs } = this.#checkIns.swept(now, staying, byAlarm);
    for (const socket of ask) effects.push(checkInDue(socket, LIMITS.heartbeatSweepMs));
    // Stock y-websocket clients reconnect after 30 s without a message, and Edgeroom's own clients no
    // longer renew their awareness for them to hear: an empty update keeps them connected.
    if (ask.length > 0) {
      for (const socket of staying) {
        if (!socket.peer.appLane)
          effects.push({ kind: "send", socket: socket.id, frame: EMPTY_UPDATE_FRAME });
      }
    }
    const tokenExpiresAt = earliestTokenExpiry(staying.map((s) => s.peer));
    return { effects, sweepAfterMs, tokenExpiresAt };
  }

  // --- the host's backend (the HTTP API), answered with a result and the effects to carry out ---

  /** A Yjs update: the same checks, size cap and store as a socket's update, then relayed to everyone. */
  serverUpdate(update: Uint8Array): ServerAnswer<{ documentBytes: number }> {
    const reaction = this.document.receiveServerUpdate(SERVER_PEER, update);
    const { effects, replies } = serverReactionEffects(reaction);
    if (reaction.edited) effects.push({ kind: "note-edit", editor: SERVER_EDITOR });
    return { outcome: updateOutcome(replies, this.document.byteSize()), effects };
  }

  /** Text appended, or the text replaced with the smallest change: made as an update and taken like one. */
  serverText(write: DocumentTextWrite): ServerAnswer<{ documentBytes: number }> {
    const update = textWriteUpdate(this.document.doc, write);
    if (!update)
      return { outcome: { ok: true, value: { documentBytes: this.document.byteSize() } }, effects: [] };
    return this.serverUpdate(update);
  }

  /** A bot's chat message: stored once per id, shown to everyone, announced by webhook. */
  serverChat(post: ChatPost): { message: ChatMessage; stored: boolean; effects: Effect[] } {
    const author = { name: post.author.name, color: post.author.color ?? BOT_COLOR, bot: post.author.id };
    const { message, stored, reaction } = this.chat.post(post.id, author, post.text);
    return { message, stored, effects: serverReactionEffects(reaction).effects };
  }

  /** A custom event from the server to every socket on the app lane. */
  serverEvent(event: CustomEvent, open: readonly RoomSocket[]): { delivered: number; effects: Effect[] } {
    const frame: ServerAppMessage = { type: "event", event, from: { kind: "server" } };
    return {
      delivered: open.filter((socket) => socket.peer.appLane).length,
      effects: [{ kind: "broadcast", lane: "app", frame }],
    };
  }

  /** The people here now, one entry each. */
  people(open: readonly RoomSocket[]): Person[] {
    return peopleOf(open);
  }

  /**
   * Takes access back from the token holder `sub`: their sockets are closed
   * (`accessRevoked`), or with `view` kept but read-only from this frame on
   * (told with `access`). Sockets without a token have no access to take back.
   */
  revoke(
    sub: string,
    scope: "view" | undefined,
    open: readonly RoomSocket[],
  ): { closedSockets: number; downgradedSockets: number; effects: Effect[] } {
    const effects: Effect[] = [];
    let closedSockets = 0;
    let downgradedSockets = 0;
    for (const { id, peer } of open) {
      if (peer.verified?.id !== sub) continue;
      if (scope !== "view") {
        closedSockets += 1;
        effects.push({ kind: "evict", socket: id, code: CloseCode.accessRevoked });
        continue;
      }
      if (peer.verified.scope === "view") continue;
      downgradedSockets += 1;
      const verified = { ...peer.verified, scope: "view" as const };
      effects.push({ kind: "set-peer", socket: id, peer: { ...peer, verified, typing: false } });
      // A viewer does not type: a lease it held ends for everyone now.
      effects.push(...reactionEffects(id, this.chat.leave(id, peer)));
      if (peer.appLane)
        effects.push({ kind: "send", socket: id, frame: { type: "access", identity: verified } });
    }
    return { closedSockets, downgradedSockets, effects };
  }

  /** The room was deleted: every socket goes, told so, and drops its copy. */
  deleted(open: readonly RoomSocket[]): Effect[] {
    return open.map(({ id }) => ({ kind: "evict", socket: id, code: CloseCode.roomDeleted }));
  }

  /** People here now (one per person, however many sockets). */
  get peopleCount(): number {
    return this.#persons.size;
  }

  /** Pointer moves wait for the next tick, which the host runs once. */
  #pointersLater(effects: Effect[]): void {
    if (this.pointers.hasPending) effects.push({ kind: "flush-pointers", afterMs: LIMITS.pointerTickMs });
  }
}

/** An answer to the host's backend, and what the room must do for it. */
export interface ServerAnswer<T> {
  outcome: ApiOutcome<T>;
  effects: Effect[];
}

/** A sync update that changes nothing: a stock client applies it and answers nothing. */
const EMPTY_UPDATE_FRAME = encodeSyncUpdate(new Uint8Array([0, 0]));

function checkInDue(socket: SocketId, afterMs: number): Effect {
  return { kind: "send", socket, frame: { type: "check-in-due", afterMs } };
}

/** A dropped update is refused by name, so the client's count of answers stays right and it resends later. */
function withRateLimitReject(dropped: Reaction): Reaction {
  if (dropped.out.some((o) => "close" in o)) return dropped;
  const message = "the update was dropped over the rate limit; it will be resent";
  const reject: Outbound = {
    to: "sender",
    app: { type: "doc-reject", code: ErrorCode.rateLimited, message },
  };
  return { ...dropped, out: [...dropped.out, reject], problem: ErrorCode.rateLimited };
}

/** Every refused frame is counted on its socket (the attachment keeps the count across hibernation). */
function countRefusal(peer: PeerState, reaction: Reaction): Reaction {
  if (reaction.problem === undefined && reaction.refused !== true) return reaction;
  const base = reaction.peer ?? peer;
  return { ...reaction, peer: { ...base, refused: (base.refused ?? 0) + 1 } };
}
