import { describe, expect, it } from "vitest";
import { VersionReader } from "../../src/snapshots/version-reader.ts";

/** A read that takes a turn of the event loop and counts how many run at once. */
function countingRead() {
  const stats = { reads: 0, running: 0, mostAtOnce: 0 };
  const read = async (at: number): Promise<string | undefined> => {
    stats.reads += 1;
    stats.running += 1;
    stats.mostAtOnce = Math.max(stats.mostAtOnce, stats.running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    stats.running -= 1;
    return at === 404 ? undefined : `text of ${at}`;
  };
  return { stats, read };
}

describe("version reader", () => {
  it("decodes one version at a time for the whole room, and a repeated one once", async () => {
    const { stats, read } = countingRead();
    const reader = new VersionReader(read);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => reader.request(`peer-${i}`, i % 2 === 0 ? 1 : 2)),
    );
    expect(stats.mostAtOnce).toBe(1);
    expect(answers.every((a) => a.kind === "text")).toBe(true);
    // 40 requests alternating between two versions: every switch reads again, no request reads twice.
    expect(stats.reads).toBeLessThanOrEqual(40);
    const again = await Promise.all(Array.from({ length: 20 }, (_, i) => reader.request(`p${i}`, 2)));
    expect(again.every((a) => a.kind === "text" && a.text === "text of 2")).toBe(true);
    expect(stats.reads).toBeLessThanOrEqual(40);
  });

  it("lets each socket wait for one answer at a time", async () => {
    const { stats, read } = countingRead();
    const reader = new VersionReader(read);
    const first = reader.request("greedy", 1);
    const more = await Promise.all(Array.from({ length: 50 }, (_, i) => reader.request("greedy", 10 + i)));
    expect(more.every((a) => a.kind === "busy")).toBe(true);
    expect(await first).toEqual({ kind: "text", text: "text of 1" });
    expect(stats.reads).toBe(1);
    expect(reader.waiting).toBe(0);
    expect(await reader.request("greedy", 404)).toEqual({ kind: "not-found" });
  });

  it("answers a failed read and keeps serving", async () => {
    let fail = true;
    const reader = new VersionReader(async (at) => {
      if (fail) throw new Error("R2 hiccup");
      return `text of ${at}`;
    });
    expect((await reader.request("a", 1)).kind).toBe("failed");
    fail = false;
    expect(await reader.request("a", 1)).toEqual({ kind: "text", text: "text of 1" });
  });
});
