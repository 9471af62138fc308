/**
 * The socket under a `RoomConnection`: a reconnecting WebSocket (partysocket)
 * with our delays, the token in its subprotocol header, the heartbeat, and a
 * way to start a fresh attempt at once. It knows nothing of Yjs or statuses;
 * it reports open, message and close to its owner.
 */
import { HEARTBEAT_PING, LIMITS, tokenSubprotocols } from "@edgeroom/shared";
import { PartySocket } from "partysocket";
import { paceReconnects, reconnectDelays } from "./reconnect-policy.ts";

export interface RoomSocketEvents {
  open(): void;
  message(data: unknown): void;
  close(event: CloseEvent): void;
}

export interface RoomSocketOptions {
  host: string;
  roomId: string;
  /** Read at every (re)connect: a host's fresh token replaces an expired one. */
  token: () => string | undefined;
  events: RoomSocketEvents;
}

export class RoomSocket {
  readonly #options: RoomSocketOptions;
  #socket: PartySocket;
  /** Removes our listeners from the current socket before it is replaced. */
  #unlisten: () => void = () => undefined;
  readonly #cleanups: Array<() => void> = [];

  /** Starts closed: the owner opens it once it has something worth saying in sync step 1. */
  constructor(options: RoomSocketOptions) {
    this.#options = options;
    this.#socket = this.#create(true);
    this.#cleanups.push(
      paceReconnects({ updateProperties: (delays) => this.#socket.updateProperties(delays) }, document),
    );
    // The heartbeat lets the room tell a live socket from a dead one (see LIMITS.heartbeatTimeoutMs).
    const heartbeat = setInterval(() => {
      if (this.isOpen()) this.#socket.send(HEARTBEAT_PING);
    }, LIMITS.heartbeatIntervalMs);
    this.#cleanups.push(() => clearInterval(heartbeat));
  }

  isOpen(): boolean {
    return this.#socket.readyState === WebSocket.OPEN;
  }

  /** Between attempts (or never opened): nothing is pending that would connect by itself. */
  isClosed(): boolean {
    return this.#socket.readyState === WebSocket.CLOSED;
  }

  /** Sends on the current socket; false when it could not. */
  send(data: string | Uint8Array): boolean {
    // lib0 types its buffers as ArrayBufferLike; ours are never shared, so the cast is sound.
    return this.#socket.send(data as string | Uint8Array<ArrayBuffer>);
  }

  /**
   * A new socket now. partysocket's `reconnect()` does nothing while its
   * backoff timer runs (the timer holds its connect lock), so "now" means a
   * new socket; the old one is closed, which ends its timer without connecting.
   */
  replace(code: number, reason: string): void {
    const old = this.#socket;
    this.#unlisten();
    this.#socket = this.#create(false);
    old.close(code, reason);
  }

  /** Drops the current socket and lets partysocket reconnect with its backoff. */
  reconnect(code: number, reason: string): void {
    this.#socket.reconnect(code, reason);
  }

  /** Closes for good (until `replace`). */
  close(code?: number, reason?: string): void {
    this.#socket.close(code, reason);
  }

  destroy(): void {
    this.#unlisten();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }

  #create(startClosed: boolean): PartySocket {
    const { host, roomId, token, events } = this.#options;
    const socket = new PartySocket({
      host,
      party: "room",
      room: roomId,
      ...reconnectDelays(document.visibilityState === "hidden"),
      // Never replay stale frames on a new socket: the sync handshake resends what matters.
      maxEnqueuedMessages: 0,
      protocols: () => {
        const current = token();
        return current === undefined ? null : tokenSubprotocols(current);
      },
      startClosed,
    });
    socket.binaryType = "arraybuffer";
    const onOpen = (): void => events.open();
    const onMessage = (e: Event): void => events.message((e as MessageEvent).data);
    const onClose = (e: Event): void => events.close(e as CloseEvent);
    socket.addEventListener("open", onOpen);
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", onClose);
    this.#unlisten = () => {
      socket.removeEventListener("open", onOpen);
      socket.removeEventListener("message", onMessage);
      socket.removeEventListener("close", onClose);
    };
    return socket;
  }
}
