import { LIMITS } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { nextSnapshotStep, type SnapshotClock } from "../../src/snapshots/snapshot-schedule.ts";
import { versionsToPrune } from "../../src/snapshots/version-retention.ts";

const T = 1_800_000_000_000;
const clock = (c: Partial<SnapshotClock>): SnapshotClock => ({
  now: T,
  dirtySince: T,
  lastEditAt: T,
  lastWriteAt: null,
  flush: false,
  ...c,
});

describe("when a snapshot is written", () => {
  it("does nothing while everything is saved", () => {
    expect(nextSnapshotStep(clock({ dirtySince: null }))).toEqual({ kind: "idle" });
  });

  it("waits for a quiet spell after the last edit", () => {
    expect(nextSnapshotStep(clock({}))).toEqual({ kind: "wait", until: T + LIMITS.snapshotQuietMs });
    const quiet = T + LIMITS.snapshotQuietMs;
    expect(nextSnapshotStep(clock({ now: quiet }))).toEqual({ kind: "write" });
  });

  it("writes no later than the maximum delay while edits keep coming", () => {
    const now = T + LIMITS.snapshotMaxDelayMs - 500;
    // Someone typed a moment ago, so quiet is 2 s away, but the first unsaved edit is nearly 10 s old.
    expect(nextSnapshotStep(clock({ now, lastEditAt: now - 100 }))).toEqual({
      kind: "wait",
      until: T + LIMITS.snapshotMaxDelayMs,
    });
    const late = T + LIMITS.snapshotMaxDelayMs;
    expect(nextSnapshotStep(clock({ now: late, lastEditAt: late - 10 }))).toEqual({ kind: "write" });
  });

  it("writes at once when the last person leaves, but never twice within the minimum gap", () => {
    expect(nextSnapshotStep(clock({ flush: true }))).toEqual({ kind: "write" });
    const justWrote = clock({ flush: true, lastWriteAt: T - 200 });
    expect(nextSnapshotStep(justWrote)).toEqual({ kind: "wait", until: T - 200 + LIMITS.snapshotMinGapMs });
  });
});

describe("which versions are kept", () => {
  const HOUR = 3_600_000;

  it("keeps every recent version", () => {
    const times = Array.from({ length: LIMITS.snapshotsKeptInFull }, (_, i) => T + i * 10_000);
    expect(versionsToPrune(times)).toEqual([]);
  });

  it("thins older versions to the newest of each hour", () => {
    const recent = Array.from({ length: LIMITS.snapshotsKeptInFull }, (_, i) => T + 10 * HOUR + i * 1000);
    const oldHour = [T + 5, T + 60_000, T + 120_000];
    const pruned = versionsToPrune([...oldHour, ...recent]);
    expect(pruned.sort()).toEqual([T + 5, T + 60_000]);
  });

  it("never keeps more than the cap", () => {
    const times = Array.from({ length: LIMITS.maxSnapshotVersions + 100 }, (_, i) => T + i * HOUR);
    const kept = times.length - versionsToPrune(times).length;
    expect(kept).toBe(LIMITS.maxSnapshotVersions);
    // The ones that go are the oldest.
    expect(Math.max(...versionsToPrune(times))).toBeLessThan(Math.min(...times.slice(-kept)));
  });
});
