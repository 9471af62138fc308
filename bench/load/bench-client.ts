/**
 * A headless client that works against all three servers: it completes the
 * sync handshake and hands every received update, awareness update and
 * text frame to the workload, which decides how much of it to decode.
 */
import { encodeAwarenessFrame, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from "@edgeroom/shared";
import type { AwarenessEntry } from "@edgeroom/shared";
import WebSocket from "ws";
import * as Y from "yjs";
import { openingFrames, roomUrl, unwrap, wrap, type Target } from "./wire.ts";

export interface ClientHandlers {
  onUpdate?: (update: Uint8Array, kind: "sync-step2" | "sync-update") => void;
  onAwareness?: (update: Uint8Array) => void;
  onText?: (text: string) => void;
}

export class BenchClient {
  readonly bytesReceived = { total: 0 };
  framesReceived = 0;
  handlers: ClientHandlers;
  /**
   * An idle client with nothing to offer does not answer sync requests: through
   * the relay every newcomer's request reaches every idle socket, and all their
   * answers reach everyone, which would measure our clients rather than the server.
   */
  passive = false;
  /** Settles on the server's first sync answer (never through the relay, which keeps no document). */
  readonly synced: Promise<void>;
  #markSynced: () => void = () => undefined;

  private constructor(
    readonly target: Target,
    readonly room: string,
    readonly socket: WebSocket,
    readonly doc: Y.Doc,
    handlers: ClientHandlers,
  ) {
    this.handlers = handlers;
    this.synced = new Promise((resolve) => (this.#markSynced = resolve));
    socket.on("message", (data: Buffer, isBinary: boolean) => this.#receive(data, isBinary));
  }

  /** Resolves once the socket is open and the first sync request is sent. */
  static async open(
    target: Target,
    room: string,
    options: { doc?: Y.Doc; handlers?: ClientHandlers; hello?: string; passive?: boolean } = {},
  ): Promise<BenchClient> {
    const socket = new WebSocket(roomUrl(target, room), { perMessageDeflate: false });
    // Listen before `open`: ws can emit frames that came with the upgrade response before awaiting code resumes.
    const client = new BenchClient(target, room, socket, options.doc ?? new Y.Doc(), options.handlers ?? {});
    client.passive = options.passive ?? false;
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    socket.on("error", () => undefined);
    for (const frame of openingFrames(target, room)) socket.send(frame);
    if (options.hello !== undefined && target.kind === "edgeroom") socket.send(options.hello);
    client.sendMessage(encodeSyncStep1(client.doc));
    return client;
  }

  sendMessage(message: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(wrap(this.target, this.room, message));
  }

  sendUpdate(update: Uint8Array): void {
    this.sendMessage(encodeSyncUpdate(update));
  }

  sendAwareness(entries: AwarenessEntry[]): void {
    this.sendMessage(encodeAwarenessFrame(entries));
  }

  sendText(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, 2_000);
      this.socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.close();
    });
  }

  #receive(data: Buffer, isBinary: boolean): void {
    this.framesReceived += 1;
    this.bytesReceived.total += data.byteLength;
    if (!isBinary) {
      this.handlers.onText?.(data.toString());
      return;
    }
    const message = unwrap(this.target, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (message.kind === "sync-step1") {
      if (!this.passive) this.sendMessage(encodeSyncStep2(this.doc));
    } else if (message.kind === "sync-step2" || message.kind === "sync-update") {
      if (message.kind === "sync-step2") this.#markSynced();
      this.handlers.onUpdate?.(message.update, message.kind);
    } else if (message.kind === "awareness") this.handlers.onAwareness?.(message.update);
  }
}

/** Opens clients a few at a time, so a thousand connections do not arrive in one burst. */
export async function openMany(
  count: number,
  open: (index: number) => Promise<BenchClient>,
  concurrency = 25,
): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - start) }, (_, i) => open(start + i));
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

/**
 * Waits until every client holds the room's document, so a workload's first
 * edit is not sent while a peer is still joining (it would arrive inside that
 * peer's sync answer, not as an update). The relay has no document to wait for.
 */
export async function allSynced(target: Target, clients: BenchClient[], timeoutMs = 10_000): Promise<void> {
  if (target.kind === "relay") return;
  const all = Promise.all(clients.map((c) => c.synced)).then(() => true);
  if (!(await Promise.race([all, sleep(timeoutMs).then(() => false)])))
    throw new Error(`${target.kind}: not every client synced within ${timeoutMs} ms`);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
