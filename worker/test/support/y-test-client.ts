/**
 * A headless Edgeroom client for tests: a Y.Doc that speaks y-protocols
 * framing over any WebSocket-shaped object (workerd's or Node's `ws`), and
 * optionally opens the app lane with `hello`.
 */
import {
  encodeAwarenessFrame,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  LIMITS,
  parseServerAppMessage,
  parseYFrame,
  PROTOCOL_VERSION,
  ROOM_FRAME_LIMITS,
  type AwarenessEntry,
  type ChatMessage,
  type ClientAppMessage,
  type ServerAppMessage,
  type User,
} from "@edgeroom/shared";
import * as Y from "yjs";

export interface SocketLike {
  binaryType?: string;
  send(data: string | Uint8Array | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
}

export class YTestClient {
  readonly doc: Y.Doc;
  readonly text: Y.Text;
  readonly app: ServerAppMessage[] = [];
  readonly binaryFrames: Uint8Array[] = [];
  readonly textFrames: string[] = [];
  readonly awareness = new Map<number, AwarenessEntry>();
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly synced: Promise<void>;
  #markSynced!: () => void;
  #awaiters: Array<() => void> = [];
  /** Update frames sent on the app lane, each answered by one `doc-ack` or `doc-reject`. */
  #updatesSent = 0;
  readonly #appLane: boolean;

  constructor(
    readonly socket: SocketLike,
    options: { hello?: boolean; user?: User; person?: string; doc?: Y.Doc } = {},
  ) {
    this.doc = options.doc ?? new Y.Doc();
    this.text = this.doc.getText("content");
    socket.binaryType = "arraybuffer";
    this.#appLane = options.hello ?? true;
    this.synced = new Promise((resolve) => (this.#markSynced = resolve));
    this.closed = new Promise((resolve) =>
      socket.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })),
    );
    socket.addEventListener("message", (event) => this.#receive(event.data));
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== this) this.#sendUpdateFrame(encodeSyncUpdate(update));
    });
    if (this.#appLane) {
      this.sendApp({
        type: "hello",
        v: PROTOCOL_VERSION,
        ...(options.user ? { user: options.user } : {}),
        ...(options.person ? { person: options.person } : {}),
      });
    }
    socket.send(encodeSyncStep1(this.doc));
  }

  get acks(): number {
    return this.app.filter((m) => m.type === "doc-ack").length;
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
    this.socket.send(JSON.stringify(message));
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

  setAwareness(clientId: number, clock: number, state: unknown): void {
    this.socket.send(encodeAwarenessFrame([{ clientId, clock, stateJson: JSON.stringify(state) }]));
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

  #sendUpdateFrame(frame: Uint8Array): void {
    if (this.#appLane) this.#updatesSent += 1;
    this.socket.send(frame);
  }

  #receive(data: unknown): void {
    if (typeof data === "string") {
      this.textFrames.push(data);
      const parsed = parseServerAppMessage(data, LIMITS.maxServerFrameBytes);
      if (parsed.ok) this.app.push(parsed.value);
    } else {
      const bytes = toBytes(data);
      this.binaryFrames.push(bytes);
      const parsed = parseYFrame(bytes, ROOM_FRAME_LIMITS);
      if (parsed.ok) {
        const frame = parsed.value;
        if (frame.kind === "sync-step1") this.#sendUpdateFrame(encodeSyncStep2(this.doc, frame.stateVector));
        if (frame.kind === "sync-step2" || frame.kind === "sync-update") {
          Y.applyUpdate(this.doc, frame.update, this);
          if (frame.kind === "sync-step2") this.#markSynced();
        }
        if (frame.kind === "awareness") {
          for (const entry of frame.entries) {
            if (entry.stateJson === "null") this.awareness.delete(entry.clientId);
            else this.awareness.set(entry.clientId, entry);
          }
        }
      }
    }
    const waiting = this.#awaiters;
    this.#awaiters = [];
    for (const poll of waiting) poll();
  }
}

function toBytes(data: unknown): Uint8Array {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // `instanceof ArrayBuffer` fails for buffers made in another realm (workerd's test runner).
  if (Object.prototype.toString.call(data) === "[object ArrayBuffer]")
    return new Uint8Array(data as ArrayBuffer);
  throw new Error(`unexpected frame type ${Object.prototype.toString.call(data)}`);
}
