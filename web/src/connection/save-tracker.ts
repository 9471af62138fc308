/**
 * Counts local document changes the room has not yet stored, for the saved
 * indicator. A "change" is one local Y.Doc update event (about one keystroke).
 *
 * Each update frame gets exactly one `doc-ack` or `doc-reject`, in order, so a
 * FIFO of "changes this frame carries" tells which changes an answer covers.
 * A socket that closes loses its answers: its in-flight changes become pending
 * again, and the sync-step-2 reply after the next connect carries all of them.
 */
import { ErrorCode } from "@edgeroom/shared";

export interface SaveCounts {
  /** Changes made while no socket could carry them. */
  pending: number;
  /** Changes carried per sent frame still awaiting its answer, oldest first. */
  inFlight: readonly number[];
  /** Changes the room refused to store (the document would pass its size cap). */
  refused: number;
}

export const NOTHING_UNSAVED: SaveCounts = { pending: 0, inFlight: [], refused: 0 };

/** A local change was made; `sent` says whether it went out at once in its own frame. */
export function changeMade(counts: SaveCounts, sent: boolean): SaveCounts {
  return sent ? { ...counts, inFlight: [...counts.inFlight, 1] } : { ...counts, pending: counts.pending + 1 };
}

/**
 * The sync-step-2 reply went out: it holds the whole local document, so it
 * carries every pending change and retries every refused one.
 */
export function syncReplySent(counts: SaveCounts): SaveCounts {
  return {
    pending: 0,
    inFlight: [...counts.inFlight, counts.pending + counts.refused],
    refused: 0,
  };
}

/**
 * The oldest frame in flight was answered: stored (`ack`), refused (`reject`),
 * or dropped over a rate limit (`dropped`: its changes wait for the next sync reply).
 */
export function frameAnswered(counts: SaveCounts, answer: "ack" | "reject" | "dropped"): SaveCounts {
  const [covered = 0, ...rest] = counts.inFlight;
  return {
    pending: answer === "dropped" ? counts.pending + covered : counts.pending,
    inFlight: rest,
    refused: answer === "reject" ? counts.refused + covered : counts.refused,
  };
}

/**
 * How a `doc-reject` counts. Two refusals the room repairs by itself are
 * not failures: `rate-limited` (a check soon makes the room ask again) and
 * `missing-dependencies` (the room sends a sync step 1 right after the
 * refusal, and our reply carries the change with what it depended on). Both
 * leave the change unsaved until that reply is acknowledged.
 */
export function rejectAnswer(code: ErrorCode): "reject" | "dropped" {
  return code === ErrorCode.rateLimited || code === ErrorCode.missingDependencies ? "dropped" : "reject";
}

/**
 * The room said it holds exactly our document as of a check we sent after
 * `sentSinceCheck` frames ago. The room answers in order, so every frame sent
 * before the check was answered before this reply: any still waiting lost its
 * answer on the way, and its changes are stored all the same.
 */
export function checkConfirmed(counts: SaveCounts, sentSinceCheck: number): SaveCounts {
  const stillAwaited = counts.inFlight.slice(Math.max(0, counts.inFlight.length - sentSinceCheck));
  return { ...counts, inFlight: stillAwaited };
}

/** The socket closed: answers for its frames will never come. */
export function socketClosed(counts: SaveCounts): SaveCounts {
  return { pending: counts.pending + sum(counts.inFlight), inFlight: [], refused: counts.refused };
}

/** Every change not yet stored, whatever the reason. */
export function unsavedChanges(counts: SaveCounts): number {
  return counts.pending + sum(counts.inFlight) + counts.refused;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** What the device copy (IndexedDB) holds of this page's local changes. */
export interface DeviceCounts {
  /** Local changes made since the page opened, counted as `changeMade` counts them. */
  made: number;
  /** How many of the first changes the device copy holds for certain. */
  stored: number;
  /** False while the device copy is loading, and for good once it is missing, failed or deleted. */
  available: boolean;
}

export const NOTHING_ON_DEVICE: DeviceCounts = { made: 0, stored: 0, available: false };

export function deviceChangeMade(device: DeviceCounts): DeviceCounts {
  return { ...device, made: device.made + 1 };
}

/** The device copy confirmed the first `upTo` changes (it is available from then on). */
export function deviceStored(device: DeviceCounts, upTo: number): DeviceCounts {
  return { ...device, stored: Math.max(device.stored, upTo), available: true };
}

export function deviceLost(device: DeviceCounts): DeviceCounts {
  return { ...device, available: false };
}

/**
 * The three saved states: stored in the room; kept on this device but not yet
 * in the room (a reload or a closed tab loses nothing); or at risk, the only
 * state in which leaving the page loses changes.
 */
export type SavedState = "in-room" | "on-device" | "at-risk";

export function savedState(counts: SaveCounts, device: DeviceCounts): SavedState {
  if (unsavedChanges(counts) === 0) return "in-room";
  return device.available && device.stored >= device.made ? "on-device" : "at-risk";
}
