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
  CloseCode,
  describeClose,
  ErrorCode,
  HEARTBEAT_PING,
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
  tokenSubprotocols,
  YMessageType,
  type ClientAppMessage,
  type ServerAppMessage,
} from "@edgeroom/shared";
import * as encoding from "lib0/encoding";
import { PartySocket } from "partysocket";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { Identity } from "../lib/identity.ts";
import { trackActivity } from "./activity.ts";
import { DeviceCopy } from "./device-copy.ts";
import { DocCheckClient } from "./doc-check-client.ts";
import { paceReconnects, reconnectDelays } from "./reconnect-policy.ts";
import { applyRemoteAwareness } from "./remote-awareness.ts";
import { createConnectionStore, type ConnectionStore } from "./connection-store.ts";
import { createPresenceStore, readPeople, type PresenceStore } from "./presence.ts";
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
  unsavedChanges,
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

/** Closes after which the device copy of a (private) room is deleted: the room refused this person. */
const FORGET_ON_CLOSE: ReadonlySet<number> = new Set([CloseCode.tokenInvalid, CloseCode.tokenRequired]);
/** Closes that say "not now" rather than "never": after a few in a row the page says so and waits. */
const CROWDED_CLOSES: ReadonlySet<number> = new Set([CloseCode.roomFull, CloseCode.tooManySockets]);

/** The `sub` of a room token, read without checking it (the room does that), to tell one person from another. */
export function tokenSubject(token: string | undefined): string | undefined {
  const payload = token?.split(".")[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/")) as string;
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === "string" ? sub : undefined;
  } catch {
    return undefined;
  }
}

export class RoomConnection {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText("content");
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly state: ConnectionStore = createConnectionStore();
  readonly presence: PresenceStore = createPresenceStore();
  #socket: PartySocket;
  /** Removes this connection's listeners from the current socket before it is replaced. */
  #unlistenSocket: () => void = () => undefined;
  readonly #roomId: string;
  readonly #host: string;
  #device: DeviceCopy;
  /** Room-full (or too-many-tabs) closes since the last successful sync. */
  #crowdedCloses = 0;
  #crowdedRetry: ReturnType<typeof setTimeout> | undefined;
  #lastSendFailRetry = 0;
  #destroyed = false;
  readonly #cleanups: Array<() => void> = [];
  readonly #appListeners = new Set<(message: ServerAppMessage) => void>();
  readonly #openListeners = new Set<() => void>();
  #identity: Identity;
  /** Read at every (re)connect: a host's fresh token replaces an expired one on the same document. */
  #token: string | undefined;
  #held: boolean;
  readonly #docCheck: DocCheckClient;
  /** Update frames sent since the last doc-check went out (see `checkConfirmed`). */
  #framesSinceCheck = 0;

  constructor(options: RoomConnectionOptions) {
    this.#identity = options.identity;
    this.#token = options.token;
    this.#roomId = options.roomId;
    this.#host = options.host;
    this.#held = options.held === true;
    this.setIdentity(options.identity);
    // Opened once the device copy is loaded, so the first sync step 1 states what this device holds.
    this.#socket = this.#createSocket(true);
    this.#device = this.#openDeviceCopy();
    const connectWhenLoaded = setTimeout(() => this.#connectNow(), LIMITS.deviceLoadWaitMs);
    void this.#device.loaded.then(() => {
      clearTimeout(connectWhenLoaded);
      if (!this.#destroyed && this.#socket.readyState === WebSocket.CLOSED) this.#connectNow();
    });
    this.#cleanups.push(() => clearTimeout(connectWhenLoaded));
    this.#cleanups.push(() => clearTimeout(this.#crowdedRetry));
    this.#docCheck = new DocCheckClient(this.doc, {
      sendApp: (message) => {
        this.#framesSinceCheck = 0;
        return this.sendApp(message);
      },
      sendBinary: (frame) => this.#send(frame),
      isSynced: () => this.#isOpen() && this.state.getState().status === "synced",
    });
    this.#docCheck.onMatch = () =>
      this.#updateSaves((counts) => checkConfirmed(counts, this.#framesSinceCheck));
    this.#cleanups.push(() => this.#docCheck.destroy());
    this.#cleanups.push(
      paceReconnects({ updateProperties: (delays) => this.#socket.updateProperties(delays) }, document),
    );
    // The network is back: a new socket now, not whenever the backoff timer of the old one ends.
    this.#listen(window, "online", () => this.#retrySoon(true));
    // Leaving with changes only in memory loses them; with them on the device (or in the room) it does not.
    this.#listen(window, "beforeunload", (event) => {
      const { saves, device } = this.state.getState();
      if (savedState(saves, device) === "at-risk") event.preventDefault();
    });
    // The browser knows before the socket does: drop it now so the UI says offline and chat queues.
    this.#listen(window, "offline", () => {
      if (this.#socket.readyState === WebSocket.OPEN) this.#socket.reconnect(4000, "browser went offline");
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
    // The heartbeat lets the room tell a live socket from a dead one (see LIMITS.heartbeatTimeoutMs).
    const heartbeat = setInterval(() => {
      if (this.#socket.readyState === WebSocket.OPEN) this.#send(HEARTBEAT_PING);
    }, LIMITS.heartbeatIntervalMs);
    this.#cleanups.push(() => clearInterval(heartbeat));

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
    if ((token === this.#token && !this.#held) || this.#destroyed) return;
    this.#token = token;
    this.#held = false;
    // Let in after a refusal deleted the copy: keep one again (another person gets a new connection, see use-room.ts).
    if (!this.state.getState().device.available) this.#device = this.#openDeviceCopy();
    this.#connectNow();
  }

  /** Deletes this room's copy on the device (and keeps no more of it while this page lives). */
  async forgetDeviceCopy(): Promise<void> {
    await this.#device.clear();
  }

  /** "Try again" after a refusal that may pass (a full room). */
  retry(): void {
    clearTimeout(this.#crowdedRetry);
    this.#crowdedCloses = 0;
    this.state.setState({ status: "connecting", problem: undefined, closeCode: undefined });
    this.#connectNow();
  }

  /** Opens a socket held back by the `held` option (or ended by a refusal) with the token it has, if any. */
  open(): void {
    this.#held = false;
    if (this.#socket.readyState === WebSocket.CLOSED) this.#connectNow();
  }

  /** Listens to app-lane messages (already validated); returns an unsubscribe function. */
  onAppMessage(listener: (message: ServerAppMessage) => void): () => void {
    this.#appListeners.add(listener);
    return () => this.#appListeners.delete(listener);
  }

  /** Called after each (re)connect, once the app lane is open; returns an unsubscribe function. */
  onLaneOpen(listener: () => void): () => void {
    this.#openListeners.add(listener);
    return () => this.#openListeners.delete(listener);
  }

  /** Sends an app-lane message if connected; returns false when offline (callers keep it for later). */
  sendApp(message: ClientAppMessage): boolean {
    if (!this.#isOpen()) {
      this.#retryAfterFailedSend();
      return false;
    }
    this.#send(JSON.stringify(message));
    return true;
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
    this.#unlistenSocket();
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
    this.#socket.close(1000, "left the room");
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

  /**
   * A reconnecting socket whose retries we can cut short. partysocket's
   * `reconnect()` does nothing while its backoff timer runs (the timer holds
   * its connect lock), so "now" means a new socket; the old one is closed,
   * which ends its timer without connecting.
   */
  #createSocket(startClosed: boolean): PartySocket {
    const socket = new PartySocket({
      host: this.#host,
      party: "room",
      room: this.#roomId,
      ...reconnectDelays(document.visibilityState === "hidden"),
      // Never replay stale frames on a new socket: the sync handshake resends what matters.
      maxEnqueuedMessages: 0,
      protocols: () => (this.#token === undefined ? null : tokenSubprotocols(this.#token)),
      startClosed,
    });
    socket.binaryType = "arraybuffer";
    const onOpen = (): void => this.#onOpen();
    const onMessage = (e: Event): void => this.#onMessage((e as MessageEvent).data);
    const onClose = (e: Event): void => this.#onClose(e as CloseEvent);
    socket.addEventListener("open", onOpen);
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", onClose);
    this.#unlistenSocket = () => {
      socket.removeEventListener("open", onOpen);
      socket.removeEventListener("message", onMessage);
      socket.removeEventListener("close", onClose);
    };
    return socket;
  }

  #connectNow(): void {
    // A held page (waiting to learn whether it needs a token) opens no socket until `open` or `setToken`.
    if (this.#destroyed || this.#held) return;
    const old = this.#socket;
    const wasLive = this.#isOpen();
    this.#unlistenSocket();
    this.#socket = this.#createSocket(false);
    old.close(1000, "reconnecting");
    if (wasLive) this.#onClose(new CloseEvent("close", { code: 1000, reason: "reconnecting" }));
  }

  /** `online` (`always`) or the tab shown again: come back now if we are waiting to. */
  #retrySoon(always: boolean): void {
    const status = this.state.getState().status;
    if (status !== "offline" && status !== "connecting") return;
    if (always || this.#socket.readyState === WebSocket.CLOSED) this.#connectNow();
  }

  /** Something could not be sent: if the socket is between attempts, try at once (at most once per gap). */
  #retryAfterFailedSend(): void {
    const status = this.state.getState().status;
    if (status !== "offline" && status !== "connecting") return;
    if (this.#socket.readyState !== WebSocket.CLOSED || !navigator.onLine) return;
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
    this.state.setState({ status: "handshaking", closeCode: undefined });
    // In case the old socket's close went unreported: its frames will never be answered.
    this.#updateSaves(socketClosed);
    this.#sendHello();
    this.#send(encodeSyncStep1(this.doc));
    this.#republishAwareness();
    for (const listener of this.#openListeners) listener();
  }

  /**
   * When the old socket went, the room told everyone this client left, one
   * clock past ours; y-protocols ignores a state at that clock, so we come
   * back one past it (else others would not see us until the 15 s renewal).
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
    const known = describeClose(event.code);
    if (CROWDED_CLOSES.has(event.code)) this.#crowdedCloses += 1;
    const crowded = this.#crowdedCloses >= LIMITS.crowdedAttempts;
    if (known && (known.fatal || crowded)) {
      this.#socket.close();
      this.state.setState({ status: "error", problem: known.reason, closeCode: event.code });
      if (FORGET_ON_CLOSE.has(event.code)) void this.forgetDeviceCopy();
      if (crowded) {
        clearTimeout(this.#crowdedRetry);
        this.#crowdedRetry = setTimeout(() => this.retry(), LIMITS.crowdedRetryMs);
      }
    } else {
      this.state.setState({ status: "offline" });
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
      if (parsed.ok) this.#onAppMessage(parsed.value);
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
        this.state.setState({ status: "synced" });
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

  #onAppMessage(message: ServerAppMessage): void {
    switch (message.type) {
      case "welcome":
        this.state.setState({ verified: message.identity, docBytes: message.docBytes });
        break;
      case "doc-ack":
        this.state.setState({ docBytes: message.docBytes });
        this.#updateSaves((counts) => frameAnswered(counts, "ack"));
        break;
      case "doc-reject":
        if (rejectAnswer(message.code) === "dropped") {
          // Not refused for good: the room's sync step 1 (missing dependencies) or a check in a
          // moment (rate-limited) makes it ask for the change again.
          this.#updateSaves((counts) => frameAnswered(counts, "dropped"));
          if (message.code === ErrorCode.rateLimited) this.#docCheck.checkSoon(LIMITS.rateLimitRetryMs);
          break;
        }
        this.state.setState({
          problem: message.message,
          refusal: { code: message.code, message: message.message },
        });
        this.#updateSaves((counts) => frameAnswered(counts, "reject"));
        break;
      case "doc-check":
        this.#docCheck.receive(message.match);
        break;
      case "error":
        if (message.code === ErrorCode.rateLimited) this.#docCheck.checkSoon(LIMITS.rateLimitRetryMs);
        console.warn(`Edgeroom: the room refused a message (${message.code}): ${message.message}`);
        // Requests like `version-get` are answered with an error; their senders listen for it.
        for (const listener of this.#appListeners) listener(message);
        break;
      default:
        for (const listener of this.#appListeners) listener(message);
    }
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
      return {
        saves,
        unacknowledged: saves.inFlight.length,
        hasUnsavedChanges: unsavedChanges(saves) > 0,
        refusal: saves.refused > 0 ? s.refusal : undefined,
      };
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
    // lib0 types its buffers as ArrayBufferLike; ours are never shared, so the cast is sound.
    if (!this.#socket.send(data as string | Uint8Array<ArrayBuffer>)) this.#retryAfterFailedSend();
  }

  #isOpen(): boolean {
    const status = this.state.getState().status;
    return this.#socket.readyState === WebSocket.OPEN && (status === "handshaking" || status === "synced");
  }
}
