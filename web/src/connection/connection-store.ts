/**
 * The connection's state, as a zustand store with no React inside. Its
 * `status` changes only through the state machine (connection-machine.ts).
 */
import type { CloseCode, ErrorCode, VerifiedIdentity } from "@edgeroom/shared";
import { createStore } from "zustand/vanilla";
import type { ConnectionStatus } from "./connection-machine.ts";
import { NOTHING_ON_DEVICE, NOTHING_UNSAVED, type DeviceCounts, type SaveCounts } from "./save-tracker.ts";

export type { ConnectionStatus } from "./connection-machine.ts";

export interface ConnectionState {
  status: ConnectionStatus;
  /** Why the room turned this page away (the reason of the close that put it in `error`). */
  closeReason: string | undefined;
  /** The room's message about the last change it refused (kept until the next "Try again"). */
  rejectedChangeMessage: string | undefined;
  /** The code of the close that put the page in `error`, so callers can tell an expired token from other refusals. */
  closeCode: CloseCode | undefined;
  /** Who the room knows this socket as, when it connected with a room token. */
  verified: VerifiedIdentity | undefined;
  /** Local changes not yet stored, for the saved indicator (see save-tracker.ts). */
  saves: SaveCounts;
  /** What the device copy (IndexedDB) holds of the local changes (see save-tracker.ts). */
  device: DeviceCounts;
  /** The stored document's size as the room last reported it. */
  docBytes: number | undefined;
  /** Why the room refused our changes, while any refused change is still unsaved. */
  refusal: { code: ErrorCode; message: string } | undefined;
  /** The room's name as the room last told it (`""`: none; undefined: not heard yet). */
  roomName: string | undefined;
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;

export function createConnectionStore() {
  return createStore<ConnectionState>()(() => ({
    status: "connecting",
    closeReason: undefined,
    rejectedChangeMessage: undefined,
    closeCode: undefined,
    verified: undefined,
    saves: NOTHING_UNSAVED,
    device: NOTHING_ON_DEVICE,
    docBytes: undefined,
    refusal: undefined,
    roomName: undefined,
  }));
}
