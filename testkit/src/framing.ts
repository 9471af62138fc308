/**
 * How a client's y-protocols messages travel in frames. Edgeroom puts one
 * message in each frame; a benchmark peer may multiplex (Hocuspocus), so the
 * headless client reads and writes binary frames through one of these.
 */
import { parseYFrame, ROOM_FRAME_LIMITS, type AwarenessEntry } from "@edgeroom/shared";

export type IncomingFrame =
  /** `stateVector` is absent when the framing does not read it: the answer is then the whole document. */
  | { kind: "sync-step1"; stateVector?: Uint8Array }
  | { kind: "sync-step2" | "sync-update"; update: Uint8Array }
  /** `entries` is absent when the framing leaves the awareness update undecoded. */
  | { kind: "awareness"; update: Uint8Array; entries?: AwarenessEntry[] }
  | { kind: "other" }
  | { kind: "malformed"; error: string };

export interface Framing {
  /** Frames sent first, before hello and the sync request (Hocuspocus authenticates). */
  opening: Uint8Array[];
  /** One y-protocols message into a frame. */
  wrap(message: Uint8Array): Uint8Array;
  read(frame: Uint8Array): IncomingFrame;
}

/** Edgeroom's framing, read with the same parser and limits as the web client. */
export const EDGEROOM_FRAMING: Framing = {
  opening: [],
  wrap: (message) => message,
  read(frame) {
    const parsed = parseYFrame(frame, ROOM_FRAME_LIMITS);
    if (!parsed.ok) return { kind: "malformed", error: parsed.error };
    const value = parsed.value;
    if (value.kind === "query-awareness" || value.kind === "auth") return { kind: "other" };
    return value;
  },
};
