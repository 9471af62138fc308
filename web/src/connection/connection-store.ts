/**
 * The connection's state machine, as a zustand store with no React inside.
 *
 *   connecting ──open──▶ handshaking ──sync step 2──▶ synced
 *        ▲                    │                          │
 *        └──── retry ◀── offline ◀──────── close ────────┘
 *   any ── fatal close code ──▶ error (no more retries)
 */
import { createStore } from "zustand/vanilla";

export type ConnectionStatus = "connecting" | "handshaking" | "synced" | "offline" | "error";

export interface ConnectionState {
  status: ConnectionStatus;
  /** Local document updates sent on this socket and not yet acknowledged as stored. */
  unacknowledged: number;
  /** Set when the local document has changes the server has not stored yet. */
  hasUnsavedChanges: boolean;
  /** Why the connection ended for good (fatal close) or the last refusal. */
  problem: string | undefined;
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;

export function createConnectionStore() {
  return createStore<ConnectionState>()(() => ({
    status: "connecting",
    unacknowledged: 0,
    hasUnsavedChanges: false,
    problem: undefined,
  }));
}
