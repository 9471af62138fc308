/**
 * The one headless Edgeroom client for tests and the benchmark: a Y.Doc that
 * speaks y-protocols over any WebSocket-shaped object (workerd's, Node's
 * `ws`, the in-memory network's), with awareness and the app lane opened by
 * `hello`. Tests keep the document in step and record what arrived; the
 * load generator switches both off and reads frames through its handlers.
 */
import {
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  LIMITS,
  parseServerAppMessage,
  type AwarenessEntry,
  type ChatMessage,
  type ClientAppMessage,
  type ServerAppMessage,
  type User,
} from "@edgeroom/shared";
import * as Y from "yjs";
import { awarenessFrame, helloMessage } from "./frames.ts";
import { EDGEROOM_FRAMING, type Framing } from "./framing.ts";
import { CLOSED, CONNECTING, frameBytes, OPEN, type SocketLike } from "./socket-like.ts";

export interface ClientHandlers {
  onUpdate?: (update: Uint8Array, kind: "sync-step2" | "sync-update") => void;
  /** The awareness update as it arrived (y-protocols' `applyAwarenessUpdate` takes it). */
  onAwareness?: (update: Uint8Array) => void;
  onText?: (text: string) => void;
}

export interface HeadlessOptions {
  doc?: Y.Doc;
  /** Open the app lane with `hello` (the default); `false` plays a stock y-protocols client. */
  hello?: boolean;
  user?: User;
  /** The secret person id sent in hello, as a browser sends its stable id. */
  person?: string;
  framing?: Framing;
  /** Apply what arrives to the document and send each local change (the default); off, the workload does both. */
  mirror?: boolean;
  /** Keep every frame and app message for assertions (the default); a load generator keeps nothing. */
  record?: boolean;
  /** Leave sync requests unanswered: an idle client with nothing to offer (see the benchmark's relay). */
  passive?: boolean;
  /** Throw on a frame that does not parse, instead of recording it in `malformed`. */
  strict?: boolean;
  /** Answer the room's `check-in-due` with `check-in` when asked, as the web app does. */
  answerCheckIns?: boolean;
  handlers?: ClientHandlers;
}

export class HeadlessClient {
  readonly doc: Y.Doc;
  readonly text: Y.Text;
  readonly app: ServerAppMessage[] = [];
  readonly binaryFrames: Uint8Array[] = [];
  readonly textFrames: string[] = [];
  /** Errors of frames that did not parse. */
  readonly malformed: string[] = [];
  readonly awareness = new Map<number, AwarenessEntry>();
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Settles on the server's first sync answer. */
  readonly synced: Promise<void>;
  /** Settles once the socket is open and the opening frames are sent. */
  readonly opened: Promise<void>;
  handlers: ClientHandlers;
  #markSynced!: () => void;
  #markOpened!: () => void;
  #awaiters: Array<() => void> = [];
  /** Update frames sent on the app lane, each answered by one `doc-ack` or `doc-reject`. */
  #updatesSent = 0;
  readonly #options: HeadlessOptions;
  readonly #framing: Framing;
  readonly #onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin !== this) this.#sendUpdateFrame(encodeSyncUpdate(update));
  };

  constructor(
    readonly socket: SocketLike,
    options: HeadlessOptions = {},
  ) {
    this.#options = options;
    this.#framing = options.framing ?? EDGEROOM_FRAMING;
    this.handlers = options.handlers ?? {};
    this.doc = options.doc ?? new Y.Doc();
    this.text = this.doc.getText("content");
    // `ws` hands binary frames over as Buffers (views) already; elsewhere ask for ArrayBuffers, not Blobs.
    if (socket.binaryType !== "nodebuffer") socket.binaryType = "arraybuffer";
    this.synced = new Promise((resolve) => (this.#markSynced = resolve));
    this.opened = new Promise((resolve) => (this.#markOpened = resolve));
    this.closed = new Promise((resolve) =>
      socket.addEventListener("close", (e) => {
        this.detach();
        resolve({ code: e.code, reason: e.reason });
      }),
    );
    // Listen before the socket opens: `ws` can emit frames that came with the upgrade response at once.
    socket.addEventListener("message", (event) => this.#receive(event.data));
    if (socket.readyState === CONNECTING) socket.addEventListener("open", () => this.#start());
    else this.#start();
  }

  get #appLane(): boolean {
    return this.#options.hello ?? true;
  }

  get acks(): number {
    return this.app.filter((m) => m.type === "doc-ack").length;
  }

  /** Stops sending the document's changes (the socket is gone; the document may live on in another client). */
  detach(): void {
    this.doc.off("update", this.#onDocUpdate);
  }

  /** Resolves once every update frame sent so far has been answered (stored or refused). */
  settled(): Promise<void> {
    const expected = this.#updatesSent;
    return this.until(
      () => this.app.filter((m) => m.type === "doc-ack" || m.type === "doc-reject").length >= expected,
    );
  }

  /** Inserts text at the end and resolves once the server acknowledged storing it. */
  async type(content: string): Promise<void> {
    this.text.insert(this.text.length, content);
    await this.settled();
  }

  sendApp(message: ClientAppMessage | Record<string, unknown>): void {
    this.sendText(JSON.stringify(message));
  }

  sendText(text: string): void {
    this.#send(text);
  }

  /** Sends one y-protocols message in this client's framing. */
  sendMessage(message: Uint8Array): void {
    this.#send(this.#framing.wrap(message));
  }

  sendUpdate(update: Uint8Array): void {
    this.sendMessage(encodeSyncUpdate(update));
  }

  setAwareness(clientId: number, clock: number, state: unknown): void {
    this.sendMessage(awarenessFrame(clientId, clock, state));
  }

  /** Sends a chat message and resolves with the server's acknowledgement. */
  async chat(id: string, text: string): Promise<ChatMessage> {
    this.sendApp({ type: "chat-send", id, text });
    let acked: ChatMessage | undefined;
    await this.until(() => {
      for (const m of this.app) if (m.type === "chat-ack" && m.message.id === id) acked = m.message;
      return acked !== undefined;
    });
    if (!acked) throw new Error("unreachable");
    return acked;
  }

  /** Chat messages others sent, as this socket received them, in arrival order. */
  get chatReceived(): ChatMessage[] {
    return this.app.flatMap((m) => (m.type === "chat-message" ? [m.message] : []));
  }

  /** Sends a chat-sync request and resolves with the history page that answers it. */
  async history(request: { after?: number; before?: number } = {}) {
    const seen = this.app.length;
    this.sendApp({ type: "chat-sync", ...request });
    await this.until(() => this.app.slice(seen).some((m) => m.type === "chat-history"));
    const page = this.app.slice(seen).find((m) => m.type === "chat-history");
    if (page?.type !== "chat-history") throw new Error("unreachable");
    return page;
  }

  /** Resolves when `check` holds, re-checking after every received frame. */
  until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("condition not met in time")), timeoutMs);
      const poll = (): void => {
        if (check()) {
          clearTimeout(timer);
          resolve();
        } else {
          this.#awaiters.push(poll);
        }
      };
      this.#awaiters.push(poll);
    });
  }

  /** Closes and waits for the close, dropping the connection if that takes over 2 s. */
  async close(code?: number, reason?: string): Promise<void> {
    if (this.socket.readyState === CLOSED) return;
    let timer!: ReturnType<typeof setTimeout>;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.socket.terminate?.();
        resolve();
      }, 2_000);
    });
    this.socket.close(code, reason);
    await Promise.race([this.closed, late]);
    clearTimeout(timer);
  }

  #start(): void {
    const mirror = this.#options.mirror ?? true;
    if (mirror) this.doc.on("update", this.#onDocUpdate);
    for (const frame of this.#framing.opening) this.#send(frame);
    if (this.#appLane) this.sendApp(helloMessage(this.#options));
    this.sendMessage(encodeSyncStep1(this.doc));
    this.#markOpened();
  }

  /** Sends unless the socket is closing or closed (a late local change is then simply not sent). */
  #send(data: string | Uint8Array): void {
    if (this.socket.readyState === undefined || this.socket.readyState === OPEN) this.socket.send(data);
  }

  #sendUpdateFrame(frame: Uint8Array): void {
    if (this.#appLane) this.#updatesSent += 1;
    this.sendMessage(frame);
  }

  #receive(data: unknown): void {
    const record = this.#options.record ?? true;
    if (typeof data === "string") {
      this.handlers.onText?.(data);
      if (this.#options.answerCheckIns && data.includes('"check-in-due"')) this.#checkInLater(data);
      if (record) {
        this.textFrames.push(data);
        const parsed = parseServerAppMessage(data, LIMITS.maxServerFrameBytes);
        if (parsed.ok) this.app.push(parsed.value);
      }
    } else {
      const bytes = frameBytes(data);
      if (record) this.binaryFrames.push(bytes);
      this.#receiveBinary(bytes);
    }
    const waiting = this.#awaiters;
    this.#awaiters = [];
    for (const poll of waiting) poll();
  }

  #checkInTimer: ReturnType<typeof setTimeout> | undefined;

  #checkInLater(text: string): void {
    const parsed = parseServerAppMessage(text, LIMITS.maxServerFrameBytes);
    if (!parsed.ok || parsed.value.type !== "check-in-due") return;
    if (this.#checkInTimer !== undefined) clearTimeout(this.#checkInTimer);
    const timer = setTimeout(() => this.sendApp({ type: "check-in" }), parsed.value.afterMs);
    this.#checkInTimer = timer;
    void this.closed.then(() => clearTimeout(timer));
  }

  #receiveBinary(bytes: Uint8Array): void {
    const frame = this.#framing.read(bytes);
    const mirror = this.#options.mirror ?? true;
    switch (frame.kind) {
      case "sync-step1":
        if (!this.#options.passive) this.#sendUpdateFrame(encodeSyncStep2(this.doc, frame.stateVector));
        return;
      case "sync-step2":
      case "sync-update":
        if (mirror) Y.applyUpdate(this.doc, frame.update, this);
        if (frame.kind === "sync-step2") this.#markSynced();
        this.handlers.onUpdate?.(frame.update, frame.kind);
        return;
      case "awareness":
        for (const entry of frame.entries ?? []) {
          if (entry.stateJson === "null") this.awareness.delete(entry.clientId);
          else this.awareness.set(entry.clientId, entry);
        }
        this.handlers.onAwareness?.(frame.update);
        return;
      case "malformed":
        if (this.#options.strict) throw new Error(`the room sent a malformed frame: ${frame.error}`);
        this.malformed.push(frame.error);
        return;
      case "other":
        return;
    }
  }
}
