/**
 * The connection's state machine, as a zustand store with no React inside.
 *
 *   connecting ──open──▶ handshaking ──sync step 2──▶ synced
 *        ▲                    │                          │
 *        └──── retry ◀── offline ◀──────── close ────────┘
 *   any ── fatal close code ──▶ error (no more retries)
 */
import type { VerifiedIdentity } from "@edgeroom/shared";
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
  /** The close code of a fatal close, so callers can tell an expired token from other refusals. */
  closeCode: number | undefined;
  /** Who the room knows this socket as, when it connected with a room token. */
  verified: VerifiedIdentity | undefined;
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;

export function createConnectionStore() {
  return createStore<ConnectionState>()(() => ({
    status: "connecting",
    unacknowledged: 0,
    hasUnsavedChanges: false,
    problem: undefined,
    closeCode: undefined,
    verified: undefined,
  }));
}
