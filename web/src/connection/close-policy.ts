/**
 * What a socket close means for the page, as a pure function of the close
 * code and the crowded closes before it: retry quietly (partysocket's
 * backoff), or stop and say why (the `error` state), and whether the device
 * copy goes and whether the page tries again by itself later.
 */
import { CloseCode, describeClose, LIMITS } from "@edgeroom/shared";

/**
 * Closes after which the device copy of a room is deleted: the room refused this
 * person (a private room), or the room itself is gone (kept, it would be synced back).
 */
const FORGET_ON_CLOSE: ReadonlySet<number> = new Set([
  CloseCode.tokenInvalid,
  CloseCode.tokenRequired,
  CloseCode.roomDeleted,
]);
/** Closes that say "not now" rather than "never": after a few in a row the page says so and waits. */
const CROWDED_CLOSES: ReadonlySet<number> = new Set([CloseCode.roomFull, CloseCode.tooManySockets]);

export type CloseVerdict =
  | { kind: "retry"; crowdedCloses: number }
  | {
      kind: "refused";
      crowdedCloses: number;
      code: CloseCode;
      reason: string;
      forgetDeviceCopy: boolean;
      /** The room was deleted: the page drops everything it keeps of it (device copy, chat outbox) and never reconnects. */
      roomDeleted: boolean;
      /** Set when the refusal is "not now": the page tries again by itself after this long. */
      retryAfterMs: number | undefined;
    };

/** `crowdedCloses` counts room-full (or too-many-tabs) closes since the last successful sync. */
export function judgeClose(code: number, crowdedCloses: number): CloseVerdict {
  const counted = CROWDED_CLOSES.has(code) ? crowdedCloses + 1 : crowdedCloses;
  const crowded = counted >= LIMITS.crowdedAttempts;
  const known = describeClose(code);
  if (!known || !(known.fatal || crowded)) return { kind: "retry", crowdedCloses: counted };
  return {
    kind: "refused",
    crowdedCloses: counted,
    code: known.code,
    reason: known.reason,
    forgetDeviceCopy: FORGET_ON_CLOSE.has(code),
    roomDeleted: code === CloseCode.roomDeleted,
    // A fatal close is final even after crowded ones (a deleted room or revoked access never comes back by waiting).
    retryAfterMs: crowded && !known.fatal ? LIMITS.crowdedRetryMs : undefined,
  };
}
