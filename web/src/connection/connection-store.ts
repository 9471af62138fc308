/**
 * The connection's state machine, as a zustand store with no React inside.
 *
 *   connecting ──open──▶ handshaking ──sync step 2──▶ synced
 *        ▲                    │                          │
 *        └──── retry ◀── offline ◀──────── close ────────┘
 *   any ── fatal close code ──▶ error (no more retries)
 *   any ── room full / too many tabs, `LIMITS.crowdedAttempts` times ──▶ error (retried after `crowdedRetryMs`)
 */
import type { VerifiedIdentity } from "@edgeroom/shared";
import { createStore } from "zustand/vanilla";
import { NOTHING_ON_DEVICE, NOTHING_UNSAVED, type DeviceCounts, type SaveCounts } from "./save-tracker.ts";

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
  /** Local changes not yet stored, for the saved indicator (see save-tracker.ts). */
  saves: SaveCounts;
  /** What the device copy (IndexedDB) holds of the local changes (see save-tracker.ts). */
  device: DeviceCounts;
  /** The stored document's size as the room last reported it. */
  docBytes: number | undefined;
  /** Why the room refused our changes, while any refused change is still unsaved. */
  refusal: { code: string; message: string } | undefined;
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
    saves: NOTHING_UNSAVED,
    device: NOTHING_ON_DEVICE,
    docBytes: undefined,
    refusal: undefined,
  }));
}
