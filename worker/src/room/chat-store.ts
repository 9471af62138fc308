/** Where a room's chat lives: an append-only log numbered by a per-room sequence. */
import type { ChatAuthor, ChatMessage } from "@edgeroom/shared";

export interface NewChatMessage {
  id: string;
  at: number;
  author: ChatAuthor;
  text: string;
}

export interface ChatStore {
  /** Stores a message once per id; returns the stored message and whether this call stored it. */
  add(message: NewChatMessage): { message: ChatMessage; stored: boolean };
  /** Up to `limit` messages with seq > after, oldest first. */
  after(after: number, limit: number): ChatMessage[];
  /** Up to `limit` messages with seq < before (or the newest when before is undefined), oldest first. */
  before(before: number | undefined, limit: number): ChatMessage[];
  /** Whether any message has a seq below this one. */
  hasBefore(seq: number): boolean;
}

/** For unit tests of room logic in plain Node. */
export class MemoryChatStore implements ChatStore {
  readonly #messages: ChatMessage[] = [];

  add(message: NewChatMessage): { message: ChatMessage; stored: boolean } {
    const existing = this.#messages.find((m) => m.id === message.id);
    if (existing) return { message: existing, stored: false };
    const stored = { ...message, seq: this.#messages.length + 1 };
    this.#messages.push(stored);
    return { message: stored, stored: true };
  }
  after(after: number, limit: number): ChatMessage[] {
    return this.#messages.filter((m) => m.seq > after).slice(0, limit);
  }
  before(before: number | undefined, limit: number): ChatMessage[] {
    const older = this.#messages.filter((m) => before === undefined || m.seq < before);
    return older.slice(Math.max(0, older.length - limit));
  }
  hasBefore(seq: number): boolean {
    return this.#messages.some((m) => m.seq < seq);
  }
}
