/**
 * One browser's connection to one room: a Y.Doc and its awareness, synced
 * over a reconnecting WebSocket (partysocket) in y-protocols framing, plus
 * our app lane (JSON text frames) for acknowledgements and errors.
 *
 * Our own provider rather than y-websocket's or y-partyserver's: those own
 * the socket and hide the two things we build on, the stored-update
 * acknowledgements and an explicit connection state machine.
 */
import {
  cleanRoomName,
  CloseCode,
  ErrorCode,
  HEARTBEAT_PONG,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  LIMITS,
  lightTint,
  parseServerAppMessage,
  parseYFrame,
  PROTOCOL_VERSION,
  publicPersonId,
  ROOM_FRAME_LIMITS,
  YMessageType,
  type ClientAppMessage,
} from "@edgeroom/shared";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { Identity } from "../lib/identity.ts";
import { trackActivity } from "../presence/activity.ts";
import { AppLane } from "./app-lane.ts";
import { judgeClose } from "./close-policy.ts";
import { next, type ConnectionEvent } from "./connection-machine.ts";
import { DeviceCopy } from "./device-copy.ts";
import { DocCheckClient } from "./doc-check-client.ts";
import { CheckInAnswer } from "./check-in.ts";
import { applyRemoteAwareness } from "./remote-awareness.ts";
import { createConnectionStore, type ConnectionState, type ConnectionStore } from "./connection-store.ts";
import { createPresenceStore, readPeople, type PresenceStore } from "../presence/people.ts";
import { RoomSocket } from "./room-socket.ts";
import {
  changeMade,
  checkConfirmed,
  deviceChangeMade,
  deviceLost,
  deviceStored,
  frameAnswered,
  rejectAnswer,
  savedState,
  socketClosed,
  syncReplySent,
  type SaveCounts,
} from "./save-tracker.ts";

export interface RoomConnectionOptions {
  host: string;
  roomId: string;
  identity: Identity;
  /** A room token from the embedding host; it travels in the subprotocol header, never in the URL. */
  token?: string | undefined;
  /**
   * Opens no socket until `open()` or `setToken()`: the room page first learns whether it
   * needs a token, so a private room never sees (and refuses) a tokenless attempt.
   */
  held?: boolean | undefined;
}

export class RoomConnection {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText("content");
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly state: ConnectionStore = createConnectionStore();
  readonly presence: PresenceStore = createPresenceStore();
  /** Our JSON messages: features subscribe here by message type. */
  readonly lane = new AppLane((message) => this.#sendApp(message));
  readonly #socket: RoomSocket;
  readonly #roomId: string;
  #device: DeviceCopy;
  /** Room-full (or too-many-tabs) closes since the last successful sync. */
  #crowdedCloses = 0;
  #crowdedRetry: ReturnType<typeof setTimeout> | undefined;
  #lastSendFailRetry = 0;
  #destroyed = false;
  /** The room was deleted (4410): this page never connects again, so nothing it holds is synced back. */
  #roomDeleted = false;
  /** The deletion of the device copy after a refusal that asked for it (see `deviceCopyGone`). */
  #forgetting: Promise<void> = Promise.resolve();
  readonly #cleanups: Array<() => void> = [];
  #identity: Identity;
  /** Read at every (re)connect: a host's fresh token replaces an expired one on the same document. */
  #token: string | undefined;
  #held: boolean;
  readonly #docCheck: DocCheckClient;
  readonly #checkIn = new CheckInAnswer((message) => this.#sendApp(message));
  /** Update frames sent since the last doc-check went out (see `checkConfirmed`). */
  #framesSinceCheck = 0;

  constructor(options: RoomConnectionOptions) {
    this.#identity = options.identity;
    this.#token = options.token;
    this.#roomId = options.roomId;
    this.#held = options.held === true;
    this.#socket = new RoomSocket({
      host: options.host,
      roomId: options.roomId,
      token: () => this.#token,
      events: {
        open: () => this.#onOpen(),
        message: (data) => this.#onMessage(data),
        close: (event) => this.#onClose(event),
      },
    });
    this.setIdentity(options.identity);
    // Opened once the device copy is loaded, so the first sync step 1 states what this device holds.
    this.#device = this.#openDeviceCopy();
    const connectWhenLoaded = setTimeout(() => this.#connectNow(), LIMITS.deviceLoadWaitMs);
    void this.#device.loaded.then(() => {
      clearTimeout(connectWhenLoaded);
      if (!this.#destroyed && this.#socket.isClosed()) this.#connectNow();
    });
    this.#cleanups.push(() => clearTimeout(connectWhenLoaded));
    this.#cleanups.push(() => clearTimeout(this.#crowdedRetry));
    this.#cleanups.push(() => this.#checkIn.cancel());
    // The room is authoritative for presence: it removes a socket's state when the socket leaves
    // or goes silent. So y-protocols' 15 s renewal (a billed message that wakes the room) and its
    // 30 s expiry of idle people are both off; a state changes only when its owner changes it.
    clearInterval(this.awareness._checkInterval);
    this.#docCheck = this.#startDocCheck();
    this.#listenToLane();
    this.#listenToPage();
    this.#listenToDocument();
  }

  setIdentity(identity: Identity): void {
    const renamed = identity.name !== this.#identity.name || identity.color !== this.#identity.color;
    this.#identity = identity;
    // A new hello tells the room the new name for chat and typing.
    if (renamed && this.#isOpen()) this.#sendHello();
    this.awareness.setLocalStateField("user", {
      name: identity.name,
      color: identity.color,
      colorLight: lightTint(identity.color),
      // A token's id is public already; otherwise others see only the hash of
      // the browser's secret id, which goes to the room alone, in hello.
      id: this.state.getState().verified?.id ?? publicPersonId(identity.id),
    });
  }

  /**
   * A new room token (the host's answer to `token-needed`): reconnects with it
   * on this same document, so edits made while the old token lapsed are sent
   * in the sync handshake instead of being lost with a new connection.
   */
  setToken(token: string): void {
    if ((token === this.#token && !this.#held) || this.#destroyed || this.#roomDeleted) return;
    this.#token = token;
    this.#held = false;
    // Let in after a refusal deleted the copy: keep one again (another person gets a new connection, see use-room-session.ts).
    if (!this.state.getState().device.available) this.#device = this.#openDeviceCopy();
    this.#connectNow();
  }

  /**
   * Renames the room for everyone (`""` removes the name). The header shows
   * the name once the room confirms it with `room-name`; false when offline.
   */
  renameRoom(typed: string): boolean {
    return this.lane.send({ type: "room-name-set", name: cleanRoomName(typed) });
  }

  /** Deletes this room's copy on the device (and keeps no more of it while this page lives). */
  async forgetDeviceCopy(): Promise<void> {
    await this.#device.clear();
  }

  /** Resolves once a deletion of the device copy that a refusal started is done (at once when none is). */
  deviceCopyGone(): Promise<void> {
    return this.#forgetting;
  }

  /** "Try again" after a refusal that may pass (a full room). */
  retry(): void {
    clearTimeout(this.#crowdedRetry);
    this.#crowdedCloses = 0;
    this.#transition("retry", {
      closeReason: undefined,
      rejectedChangeMessage: undefined,
      closeCode: undefined,
    });
    this.#connectNow();
  }

  /** Opens a socket held back by the `held` option (or ended by a refusal) with the token it has, if any. */
  open(): void {
    this.#held = false;
    if (this.#socket.isClosed()) this.#connectNow();
  }

  /**
   * A page held for its first token could not reach the token endpoint: its
   * socket never opened, so no close will say it is offline.
   */
  tokenUnreachable(): void {
    this.#transition("token-unreachable");
  }

  /**
   * Applies a whole document (an import) and sends it the one way the room
   * takes a whole document: as the first sync step 2 of a new socket. Sent as
   * a plain update, a large one would be over `LIMITS.maxUpdateEntries`.
   */
  importState(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, this);
    this.#updateSaves((counts) => changeMade(counts, false));
    this.#noteChange();
    this.#connectNow();
  }

  destroy(): void {
    this.#destroyed = true;
    this.#leave();
    this.#socket.destroy();
    this.#device.destroy();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** Tells the room we left before the socket goes, so nobody sees a ghost. */
  #leave(): void {
    if (this.awareness.getLocalState() !== null) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], "local");
    }
    this.#socket.close(CloseCode.normal, "left the room");
  }

  /** Every status change goes through the state machine; `details` say what the change is about. */
  #transition(event: ConnectionEvent, details: Partial<Omit<ConnectionState, "status">> = {}): void {
    this.state.setState((s) => ({ ...details, status: next(s.status, event) }));
  }

  #startDocCheck(): DocCheckClient {
    const docCheck = new DocCheckClient(this.doc, {
      sendApp: (message) => {
        this.#framesSinceCheck = 0;
        return this.lane.send(message);
      },
      sendBinary: (frame) => this.#send(frame),
      isSynced: () => this.#isOpen() && this.state.getState().status === "synced",
    });
    docCheck.onMatch = () => this.#updateSaves((counts) => checkConfirmed(counts, this.#framesSinceCheck));
    this.#cleanups.push(() => docCheck.destroy());
    return docCheck;
  }

  /** The app-lane messages the connection itself answers; features subscribe to the rest. */
  #listenToLane(): void {
    this.#cleanups.push(
      this.lane.on("welcome", (message) =>
        this.state.setState({ verified: message.identity, docBytes: message.docBytes }),
      ),
      this.lane.on("doc-ack", (message) => {
        this.state.setState({ docBytes: message.docBytes });
        this.#updateSaves((counts) => frameAnswered(counts, "ack"));
      }),
      this.lane.on("doc-reject", (message) => this.#onDocReject(message.code, message.message)),
      this.lane.on("doc-check", (message) => this.#docCheck.receive(message.match)),
      this.lane.on("room-name", (message) => this.state.setState({ roomName: message.name })),
      this.lane.on("check-in-due", (message) => this.#checkIn.due(message.afterMs)),
      // Downgraded to view by the host's backend: from now on the page is read-only, like a view token's.
      this.lane.on("access", (message) => this.state.setState({ verified: message.identity })),
      // Requests like `version-get` are answered with an error; their senders subscribe to it too.
      this.lane.on("error", (message) => {
        if (message.code === ErrorCode.rateLimited) this.#docCheck.checkSoon(LIMITS.rateLimitRetryMs);
        console.warn(`Edgeroom: the room refused a message (${message.code}): ${message.message}`);
      }),
    );
  }

  /** The browser and the tab: online/offline, shown/hidden, leaving and coming back. */
  #listenToPage(): void {
    // The network is back: a new socket now, not whenever the backoff timer of the old one ends.
    this.#listen(window, "online", () => this.#retrySoon(true));
    // Leaving with changes only in memory loses them; with them on the device (or in the room) it does not.
    this.#listen(window, "beforeunload", (event) => {
      const { saves, device } = this.state.getState();
      if (savedState(saves, device) === "at-risk") event.preventDefault();
    });
    // The browser knows before the socket does: drop it now so the UI says offline and chat queues.
    this.#listen(window, "offline", () => {
      if (this.#socket.isOpen()) this.#socket.reconnect(CloseCode.clientOffline, "browser went offline");
    });
    this.#listen(document, "visibilitychange", () => {
      if (document.visibilityState === "hidden") return;
      this.#retrySoon(false);
      this.#docCheck.checkNow();
    });
    // Leaving the page: say goodbye at once instead of waiting for the socket to time out.
    this.#listen(window, "pagehide", () => this.#leave());
    this.#listen(window, "pageshow", (event) => {
      // Back from the back/forward cache: come back in.
      if (!(event as PageTransitionEvent).persisted || this.#held) return;
      this.setIdentity(this.#identity);
      this.#connectNow();
    });
  }

  /** Local edits and awareness go out; everyone's awareness becomes the presence list. */
  #listenToDocument(): void {
    // Local edits, and what the device copy held when it loaded (sent with the sync reply).
    const onDocUpdate = (update: Uint8Array, origin: unknown): void => {
      if (origin !== this) this.#sendDocUpdate(update);
    };
    this.doc.on("update", onDocUpdate);
    this.#cleanups.push(() => this.doc.off("update", onDocUpdate));

    const onAwarenessUpdate = (
      changes: { added: number[]; updated: number[]; removed: number[] },
      origin: unknown,
    ): void => {
      if (origin === this) return;
      const changed = [...changes.added, ...changes.updated, ...changes.removed];
      this.#sendAwareness(changed);
    };
    this.awareness.on("update", onAwarenessUpdate);
    const onAwarenessChange = (): void => this.presence.setState({ people: readPeople(this.awareness) });
    this.awareness.on("change", onAwarenessChange);
    this.#cleanups.push(() => {
      this.awareness.off("update", onAwarenessUpdate);
      this.awareness.off("change", onAwarenessChange);
    });
    onAwarenessChange();
    this.#cleanups.push(trackActivity(this.awareness));
  }

  #listen(target: EventTarget, type: string, handler: (event: Event) => void): void {
    target.addEventListener(type, handler);
    this.#cleanups.push(() => target.removeEventListener(type, handler));
  }

  #sendHello(): void {
    const user = { name: this.#identity.name, color: this.#identity.color };
    const hello: ClientAppMessage = { type: "hello", v: PROTOCOL_VERSION, user, person: this.#identity.id };
    this.#send(JSON.stringify(hello));
  }

  #connectNow(): void {
    // A held page (waiting to learn whether it needs a token) opens no socket until `open` or `setToken`.
    if (this.#destroyed || this.#held || this.#roomDeleted) return;
    const wasLive = this.#isOpen();
    this.#socket.replace(CloseCode.normal, "reconnecting");
    if (wasLive) this.#onClose(new CloseEvent("close", { code: CloseCode.normal, reason: "reconnecting" }));
    this.#transition("reconnect");
  }

  /** `online` (`always`) or the tab shown again: come back now if we are waiting to. */
  #retrySoon(always: boolean): void {
    const status = this.state.getState().status;
    if (status !== "offline" && status !== "connecting") return;
    if (always || this.#socket.isClosed()) this.#connectNow();
  }

  /** Something could not be sent: if the socket is between attempts, try at once (at most once per gap). */
  #retryAfterFailedSend(): void {
    const status = this.state.getState().status;
    if (status !== "offline" && status !== "connecting") return;
    if (!this.#socket.isClosed() || !navigator.onLine) return;
    const now = Date.now();
    if (now - this.#lastSendFailRetry < LIMITS.sendFailRetryGapMs) return;
    this.#lastSendFailRetry = now;
    this.#connectNow();
  }

  #openDeviceCopy(): DeviceCopy {
    this.state.setState((s) => ({ device: deviceLost(s.device) }));
    const copy: DeviceCopy = new DeviceCopy(
      this.#roomId,
      this.doc,
      {
        // A replaced copy's late news is about a copy that no longer keeps anything.
        stored: (upTo) => {
          if (copy === this.#device) this.state.setState((s) => ({ device: deviceStored(s.device, upTo) }));
        },
        lost: () => {
          if (copy === this.#device) this.state.setState((s) => ({ device: deviceLost(s.device) }));
        },
      },
      this.state.getState().device.made,
    );
    return copy;
  }

  #noteChange(): void {
    this.state.setState((s) => ({ device: deviceChangeMade(s.device) }));
    this.#device.noteChange();
  }

  #onOpen(): void {
    this.#transition("socket-open", { closeCode: undefined });
    // In case the old socket's close went unreported: its frames will never be answered.
    this.#updateSaves(socketClosed);
    this.#sendHello();
    this.#send(encodeSyncStep1(this.doc));
    this.#republishAwareness();
    this.lane.opened();
  }

  /**
   * When the old socket went, the room told everyone this client left, one
   * clock past ours; y-protocols ignores a state at that clock, so we come
   * back one past it (else others would not see us again until our state changed).
   */
  #republishAwareness(): void {
    const local = this.awareness.getLocalState();
    const meta = this.awareness.meta.get(this.doc.clientID);
    if (local === null || !meta) return;
    meta.clock += 1;
    // Emits `update`, which sends our state (see onAwarenessUpdate).
    this.awareness.setLocalState({ ...local });
  }

  #onClose(event: CloseEvent): void {
    this.#checkIn.cancel();
    const verdict = judgeClose(event.code, this.#crowdedCloses);
    this.#crowdedCloses = verdict.crowdedCloses;
    if (verdict.kind === "refused") {
      this.#socket.close();
      this.#transition("refused", { closeReason: verdict.reason, closeCode: verdict.code });
      if (verdict.roomDeleted) this.#roomDeleted = true;
      if (verdict.forgetDeviceCopy) this.#forgetting = this.forgetDeviceCopy();
      if (verdict.retryAfterMs !== undefined) {
        clearTimeout(this.#crowdedRetry);
        this.#crowdedRetry = setTimeout(() => this.retry(), verdict.retryAfterMs);
      }
    } else {
      this.#transition("socket-closed");
    }
    this.#updateSaves(socketClosed);
    // Everyone else is unknown until the next sync; keep only ourselves.
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
  }

  #onMessage(data: unknown): void {
    if (data === HEARTBEAT_PONG) return;
    if (typeof data === "string") {
      const parsed = parseServerAppMessage(data, LIMITS.maxServerFrameBytes);
      if (parsed.ok) this.lane.deliver(parsed.value);
      else console.warn("Edgeroom: ignored a malformed app message:", parsed.error);
      return;
    }
    if (!(data instanceof ArrayBuffer)) return;
    const parsed = parseYFrame(new Uint8Array(data), ROOM_FRAME_LIMITS);
    if (!parsed.ok) {
      console.warn("Edgeroom: ignored a malformed frame:", parsed.error);
      return;
    }
    const frame = parsed.value;
    switch (frame.kind) {
      case "sync-step1":
        this.#send(encodeSyncStep2(this.doc, frame.stateVector));
        this.#framesSinceCheck += 1;
        // Our reply carries whatever we wrote while offline; it is acknowledged like any update.
        this.#updateSaves(syncReplySent);
        break;
      case "sync-step2":
        Y.applyUpdate(this.doc, frame.update, this);
        this.#crowdedCloses = 0;
        this.#transition("sync-complete");
        break;
      case "sync-update":
        Y.applyUpdate(this.doc, frame.update, this);
        break;
      case "awareness":
        applyRemoteAwareness(this.awareness, frame.entries, this);
        break;
      case "query-awareness":
        this.#sendAwareness([...this.awareness.getStates().keys()]);
        break;
      case "auth":
        break;
    }
  }

  #onDocReject(code: ErrorCode, message: string): void {
    if (rejectAnswer(code) === "dropped") {
      // Not refused for good: the room's sync step 1 (missing dependencies) or a check in a
      // moment (rate-limited) makes it ask for the change again.
      this.#updateSaves((counts) => frameAnswered(counts, "dropped"));
      if (code === ErrorCode.rateLimited) this.#docCheck.checkSoon(LIMITS.rateLimitRetryMs);
      return;
    }
    this.state.setState({ rejectedChangeMessage: message, refusal: { code, message } });
    this.#updateSaves((counts) => frameAnswered(counts, "reject"));
  }

  /** Sends an app-lane message if connected; returns false when offline (callers keep it for later). */
  #sendApp(message: ClientAppMessage): boolean {
    if (!this.#isOpen()) {
      this.#retryAfterFailedSend();
      return false;
    }
    this.#send(JSON.stringify(message));
    return true;
  }

  #sendDocUpdate(update: Uint8Array): void {
    const open = this.#isOpen();
    if (open) {
      this.#send(encodeSyncUpdate(update));
      this.#framesSinceCheck += 1;
    }
    this.#updateSaves((counts) => changeMade(counts, open));
    this.#noteChange();
  }

  #updateSaves(next: (counts: SaveCounts) => SaveCounts): void {
    this.state.setState((s) => {
      const saves = next(s.saves);
      return { saves, refusal: saves.refused > 0 ? s.refusal : undefined };
    });
  }

  #sendAwareness(clients: number[]): void {
    if (!this.#isOpen() || clients.length === 0) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, YMessageType.awareness);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
    this.#send(encoding.toUint8Array(encoder));
  }

  #send(data: string | Uint8Array): void {
    if (!this.#socket.send(data)) this.#retryAfterFailedSend();
  }

  #isOpen(): boolean {
    const status = this.state.getState().status;
    return this.#socket.isOpen() && (status === "handshaking" || status === "synced");
  }
}
