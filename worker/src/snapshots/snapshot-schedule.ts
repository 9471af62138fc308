/**
 * When a room's next snapshot goes to R2: about `snapshotQuietMs` after the
 * last edit, no later than `snapshotMaxDelayMs` after the first unsaved one
 * while edits keep coming, as soon as possible once the last person left,
 * and never closer than `snapshotMinGapMs` to the previous one. Pure, so the
 * rule is tested without clocks or storage.
 */
import { LIMITS } from "@edgeroom/shared";

export interface SnapshotClock {
  now: number;
  /** When the first edit not yet in a snapshot was stored; null when everything is saved. */
  dirtySince: number | null;
  lastEditAt: number;
  lastWriteAt: number | null;
  /** The last person left: do not wait for quiet. */
  flush: boolean;
}

export type SnapshotStep = { kind: "idle" } | { kind: "write" } | { kind: "wait"; until: number };

export function nextSnapshotStep(clock: SnapshotClock): SnapshotStep {
  if (clock.dirtySince === null) return { kind: "idle" };
  const debounced = Math.min(
    clock.lastEditAt + LIMITS.snapshotQuietMs,
    clock.dirtySince + LIMITS.snapshotMaxDelayMs,
  );
  const wanted = clock.flush ? clock.now : debounced;
  const allowed = clock.lastWriteAt === null ? wanted : clock.lastWriteAt + LIMITS.snapshotMinGapMs;
  const at = Math.max(wanted, allowed);
  return at <= clock.now ? { kind: "write" } : { kind: "wait", until: at };
}
