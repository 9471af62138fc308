/**
 * Chat for one room over the connection's app lane: exactly-once delivery
 * with client ids and an outbox that survives reloads, gap-free catch-up by
 * sequence after every reconnect, and typing leases that expire on their own.
 */
import { CLIENT_TUNING, LIMITS, type ServerAppMessageOf, type User } from "@edgeroom/shared";
import type { RoomConnection } from "../connection/room-connection.ts";
import { createChatStore, mergeMessages, type ChatStore, type OutboxItem } from "./chat-store.ts";

export class ChatClient {
  readonly store: ChatStore;
  readonly #connection: RoomConnection;
  readonly #outboxKey: string;
  readonly #cleanups: Array<() => void> = [];
  readonly #leaseTimers = new Map<string, ReturnType<typeof setTimeout>>();
  #lastTypingSent = 0;
  #typingIdleTimer: ReturnType<typeof setTimeout> | undefined;
  #author: User;

  constructor(connection: RoomConnection, roomId: string, author: User) {
    this.#connection = connection;
    this.#author = author;
    this.#outboxKey = `edgeroom:outbox:${roomId}`;
    this.store = createChatStore(loadOutbox(this.#outboxKey));
    this.#cleanups.push(
      connection.lane.onOpen(() => this.#onLaneOpen()),
      connection.lane.on("chat-ack", (message) =>
        this.store.setState((s) => ({
          messages: mergeMessages(s.messages, [message.message]),
          outbox: s.outbox.filter((item) => item.id !== message.message.id),
        })),
      ),
      connection.lane.on("chat-message", (message) =>
        this.store.setState((s) => ({ messages: mergeMessages(s.messages, [message.message]) })),
      ),
      connection.lane.on("chat-reject", (message) =>
        this.store.setState((s) => ({
          outbox: s.outbox.map((item) =>
            item.id === message.id ? { ...item, error: message.message } : item,
          ),
        })),
      ),
      connection.lane.on("chat-history", (message) => this.#onHistory(message)),
      connection.lane.on("typing", (message) =>
        this.#onTyping(message.key, message.user, message.active, message.ttlMs),
      ),
      this.store.subscribe((state, previous) => {
        if (state.outbox !== previous.outbox) saveOutbox(this.#outboxKey, state.outbox);
      }),
    );
  }

  setAuthor(author: User): void {
    this.#author = author;
  }

  /** Queues a message; it is sent now if connected, or after the next reconnect. */
  send(text: string): void {
    const item: OutboxItem = { id: crypto.randomUUID(), text, author: this.#author, createdAt: Date.now() };
    this.store.setState((s) => ({ outbox: [...s.outbox, item] }));
    this.#connection.lane.send({ type: "chat-send", id: item.id, text: item.text });
    this.stopTyping();
  }

  /**
   * The room was deleted: unsent messages go (from this device too, so none
   * is sent into the next room of that name), and typing stops.
   */
  dropOutbox(): void {
    this.store.setState({ outbox: [], typing: {} });
  }

  /** Drops a refused message from the outbox. */
  discard(id: string): void {
    this.store.setState((s) => ({ outbox: s.outbox.filter((item) => item.id !== id) }));
  }

  loadEarlier(): void {
    const oldest = this.store.getState().messages[0];
    if (!oldest || this.store.getState().loadingEarlier) return;
    if (this.#connection.lane.send({ type: "chat-sync", before: oldest.seq })) {
      this.store.setState({ loadingEarlier: true });
    }
  }

  /** Call on every keystroke in the message box; renews the lease at most every couple of seconds. */
  noteTyping(): void {
    const now = Date.now();
    if (now - this.#lastTypingSent >= LIMITS.typingRenewMs) {
      if (this.#connection.lane.send({ type: "typing", active: true })) this.#lastTypingSent = now;
    }
    clearTimeout(this.#typingIdleTimer);
    this.#typingIdleTimer = setTimeout(
      () => this.stopTyping(),
      LIMITS.typingRenewMs + CLIENT_TUNING.typingIdleGraceMs,
    );
  }

  stopTyping(): void {
    clearTimeout(this.#typingIdleTimer);
    if (this.#lastTypingSent === 0) return;
    this.#lastTypingSent = 0;
    this.#connection.lane.send({ type: "typing", active: false });
  }

  destroy(): void {
    this.stopTyping();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    for (const timer of this.#leaseTimers.values()) clearTimeout(timer);
  }

  #onLaneOpen(): void {
    const { messages, outbox } = this.store.getState();
    // Catch up from the last message we have, so a reconnect never leaves a gap.
    const last = messages.at(-1);
    this.#connection.lane.send(last ? { type: "chat-sync", after: last.seq } : { type: "chat-sync" });
    // Then resend everything unacknowledged, in order; ids make the retries harmless.
    for (const item of outbox) {
      if (!item.error) this.#connection.lane.send({ type: "chat-send", id: item.id, text: item.text });
    }
    this.#lastTypingSent = 0;
    this.store.setState({ loadingEarlier: false, typing: {} });
  }

  #onHistory(page: ServerAppMessageOf<"chat-history">): void {
    this.store.setState((s) => {
      const next = { messages: mergeMessages(s.messages, page.messages) };
      if (page.request === "after") return next;
      const first = page.messages[0];
      const earlierKnown = first ? page.hasEarlier : s.hasEarlier;
      return { ...next, hasEarlier: earlierKnown, loadingEarlier: false };
    });
    const last = page.messages.at(-1);
    if (page.request === "after" && page.more && last) {
      this.#connection.lane.send({ type: "chat-sync", after: last.seq });
    }
  }

  #onTyping(key: string, user: User, active: boolean, ttlMs: number): void {
    clearTimeout(this.#leaseTimers.get(key));
    this.#leaseTimers.delete(key);
    if (!active) {
      this.store.setState((s) => ({ typing: without(s.typing, key) }));
      return;
    }
    // The lease ends by itself even if no "stopped" ever arrives.
    const ttl = Math.min(ttlMs, LIMITS.typingTtlMs);
    this.#leaseTimers.set(
      key,
      setTimeout(() => this.#onTyping(key, user, false, 0), ttl),
    );
    this.store.setState((s) => ({ typing: { ...s.typing, [key]: { user, expiresAt: Date.now() + ttl } } }));
  }
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

function loadOutbox(key: string): OutboxItem[] {
  try {
    const raw = localStorage.getItem(key);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (item): item is OutboxItem =>
        typeof item === "object" &&
        item !== null &&
        typeof item.id === "string" &&
        typeof item.text === "string" &&
        typeof item.createdAt === "number" &&
        typeof item.author?.name === "string" &&
        typeof item.author?.color === "string",
    );
  } catch {
    return [];
  }
}

function saveOutbox(key: string, outbox: OutboxItem[]): void {
  try {
    if (outbox.length === 0) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(outbox));
  } catch {
    // Storage is refused in some third-party frames (embeds); the outbox then lives in memory only.
  }
}
