/**
 * Which saved versions to delete so history stays useful and bounded: the
 * newest `snapshotsKeptInFull` stay, older ones are thinned to the last of
 * each hour, and nothing beyond `maxSnapshotVersions` is kept.
 */
import { LIMITS } from "@edgeroom/shared";

const HOUR_MS = 3_600_000;

/** `times`: version times in any order. Returns the times to delete. */
export function versionsToPrune(times: readonly number[]): number[] {
  const newestFirst = [...times].sort((a, b) => b - a);
  const keep = new Set(newestFirst.slice(0, LIMITS.snapshotsKeptInFull));
  const hoursSeen = new Set<number>();
  for (const at of newestFirst.slice(LIMITS.snapshotsKeptInFull)) {
    const hour = Math.floor(at / HOUR_MS);
    if (hoursSeen.has(hour)) continue;
    hoursSeen.add(hour);
    if (keep.size < LIMITS.maxSnapshotVersions) keep.add(at);
  }
  return newestFirst.filter((at) => !keep.has(at));
}
