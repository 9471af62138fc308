/**
 * The chat half of a room: durable, ordered, exactly-once messages and
 * ephemeral typing leases, spoken over the app lane. Free of sockets and
 * Workers: the clock is passed in so tests can set it.
 */
import {
  ErrorCode,
  LIMITS,
  type ChatAuthor,
  type ChatMessage,
  type ServerAppMessage,
} from "@edgeroom/shared";
import type { ChatStore } from "./chat-store.ts";
import { refuse, toSender, type PeerState, type Reaction } from "./reaction.ts";

export class ChatRoom {
  readonly #store: ChatStore;
  readonly #now: () => number;

  constructor(store: ChatStore, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  send(peerId: string, peer: PeerState, id: string, text: string): Reaction {
    if (!peer.user) {
      return refuse({
        type: "chat-reject",
        id,
        code: ErrorCode.noIdentity,
        message: "say hello with a name before chatting",
      });
    }
    const { message, stored } = this.#store.add({ id, at: this.#now(), author: peer.user, text });
    // A retried id gets the original message back and reaches nobody else again.
    const reaction: Reaction = { out: [{ to: "sender", app: { type: "chat-ack", message } }] };
    if (stored) {
      reaction.out.push({ to: "others", app: { type: "chat-message", message } });
      reaction.webhooks = [{ type: "chat.message", data: { message } }];
    }
    // Sending ends the sender's typing lease.
    if (peer.typing) {
      reaction.out.push({ to: "others", app: this.#typingEvent(peerId, peer, false) });
      reaction.peer = { ...peer, typing: false };
    }
    return reaction;
  }

  /** A bot's message from the host's backend: stored once per id, then shown to everyone. */
  post(
    id: string,
    author: ChatAuthor,
    text: string,
  ): { message: ChatMessage; stored: boolean; reaction: Reaction } {
    const { message, stored } = this.#store.add({ id, at: this.#now(), author, text });
    if (!stored) return { message, stored, reaction: { out: [] } };
    return {
      message,
      stored,
      reaction: {
        out: [{ to: "others", app: { type: "chat-message", message } }],
        webhooks: [{ type: "chat.message", data: { message } }],
      },
    };
  }

  sync(request: { after?: number | undefined; before?: number | undefined }): Reaction {
    if (request.after !== undefined) {
      const page = this.#store.after(request.after, LIMITS.chatCatchUpPageSize + 1);
      const messages = page.slice(0, LIMITS.chatCatchUpPageSize);
      return toSender(this.#history(messages, page.length > messages.length, "after"));
    }
    const messages = this.#store.before(request.before, LIMITS.chatPageSize);
    return toSender(this.#history(messages, false, request.before === undefined ? "latest" : "before"));
  }

  /** Up to `limit` messages after `after`, oldest first, and the seq to page on from (null: these are the newest). */
  page(after: number, limit: number): { messages: ChatMessage[]; next: number | null } {
    const page = this.#store.after(after, limit + 1);
    const messages = page.slice(0, limit);
    const more = page.length > messages.length;
    return { messages, next: more ? (messages.at(-1)?.seq ?? null) : null };
  }

  typing(peerId: string, peer: PeerState, active: boolean): Reaction {
    if (!peer.user) {
      return refuse({ type: "error", code: ErrorCode.noIdentity, message: "say hello with a name first" });
    }
    if (!active && !peer.typing) return { out: [] };
    return {
      out: [{ to: "others", app: this.#typingEvent(peerId, peer, active) }],
      peer: { ...peer, typing: active },
    };
  }

  leave(peerId: string, peer: PeerState): Reaction {
    return peer.typing
      ? { out: [{ to: "others", app: this.#typingEvent(peerId, peer, false) }] }
      : { out: [] };
  }

  #history(messages: ChatMessage[], more: boolean, request: "latest" | "after" | "before"): ServerAppMessage {
    const first = messages[0];
    const hasEarlier = first ? this.#store.hasBefore(first.seq) : false;
    return { type: "chat-history", messages, more, hasEarlier, request };
  }

  #typingEvent(peerId: string, peer: PeerState, active: boolean): ServerAppMessage {
    const user = peer.user ?? { name: "Someone", color: "#888888" };
    return { type: "typing", key: peerId, user, active, ttlMs: LIMITS.typingTtlMs };
  }
}
