/**
 * The app lane (our JSON text frames beside the Yjs binary ones), as features
 * see it: each subscribes to the message types it handles and gets them
 * already validated and narrowed, instead of every feature seeing every
 * message and filtering by type. Sending goes through the connection, which
 * knows whether the lane is open.
 */
import type {
  ClientAppMessage,
  ServerAppMessage,
  ServerAppMessageOf,
  ServerAppMessageType as ServerAppType,
} from "@edgeroom/shared";

type AnyHandler = (message: ServerAppMessage) => void;

export class AppLane {
  readonly #send: (message: ClientAppMessage) => boolean;
  readonly #handlers = new Map<ServerAppType, Set<AnyHandler>>();
  readonly #openListeners = new Set<() => void>();

  constructor(send: (message: ClientAppMessage) => boolean) {
    this.#send = send;
  }

  /** Calls `handler` with every message of `type`; returns an unsubscribe function. */
  on<T extends ServerAppType>(type: T, handler: (message: ServerAppMessageOf<T>) => void): () => void {
    const handlers = this.#handlers.get(type) ?? new Set<AnyHandler>();
    this.#handlers.set(type, handlers);
    // Stored by type, so only messages of `type` ever reach it (see `deliver`).
    const stored = handler as AnyHandler;
    handlers.add(stored);
    return () => handlers.delete(stored);
  }

  /** Called after each (re)connect, once the lane is open; returns an unsubscribe function. */
  onOpen(listener: () => void): () => void {
    this.#openListeners.add(listener);
    return () => this.#openListeners.delete(listener);
  }

  /** Sends if the lane is open; false when offline (callers keep the message for later). */
  send(message: ClientAppMessage): boolean {
    return this.#send(message);
  }

  /** Hands a validated message to the handlers of its type. */
  deliver(message: ServerAppMessage): void {
    for (const handler of this.#handlers.get(message.type) ?? []) handler(message);
  }

  /** The lane opened on a new socket. */
  opened(): void {
    for (const listener of this.#openListeners) listener();
  }
}
