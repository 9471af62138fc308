/** Chat state for one room, as a zustand store with no React inside. */
import type { ChatMessage, User } from "@edgeroom/shared";
import { createStore } from "zustand/vanilla";

/** A message written here and not yet acknowledged as stored. */
export interface OutboxItem {
  id: string;
  text: string;
  author: User;
  createdAt: number;
  /** Why the room refused it; a refused message is not retried. */
  error?: string;
}

export interface TypingLease {
  user: User;
  expiresAt: number;
}

export interface ChatState {
  /** Stored messages, oldest first, each once. */
  messages: ChatMessage[];
  outbox: OutboxItem[];
  hasEarlier: boolean;
  loadingEarlier: boolean;
  /** Typing leases by socket key. */
  typing: Record<string, TypingLease>;
}

export type ChatStore = ReturnType<typeof createChatStore>;

export function createChatStore(outbox: OutboxItem[] = []) {
  return createStore<ChatState>()(() => ({
    messages: [],
    outbox,
    hasEarlier: false,
    loadingEarlier: false,
    typing: {},
  }));
}

/** Adds messages, keeping the list ordered by sequence with no duplicates. */
export function mergeMessages(current: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return current;
  const bySeq = new Map(current.map((m) => [m.seq, m]));
  for (const message of incoming) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
