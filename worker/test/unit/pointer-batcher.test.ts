import { describe, expect, it } from "vitest";
import { PointerBatcher } from "../../src/room/pointer-batcher.ts";

const user = (name: string) => ({ name, color: "#123456" });

describe("PointerBatcher", () => {
  it("sends each recipient one frame per tick with everyone else's newest position, never its own", () => {
    const batcher = new PointerBatcher();
    const senders = ["a", "b", "c", "d", "e"];
    for (let step = 0; step < 4; step++) {
      for (const key of senders) batcher.add({ key, user: user(key), at: { pos: step, dx: step, dy: 0 } });
    }
    const frames = batcher.flush(senders);
    expect([...frames.keys()]).toEqual(senders);
    for (const [recipient, moves] of frames) {
      expect(moves.map((m) => m.key)).toEqual(senders.filter((s) => s !== recipient));
      for (const move of moves) expect(move.at).toEqual({ pos: 3, dx: 3, dy: 0 });
    }
    expect(batcher.hasPending).toBe(false);
    expect(batcher.flush(senders).size).toBe(0);
  });

  it("sends nothing to the only mover and keeps a hide (null) as the newest state", () => {
    const batcher = new PointerBatcher();
    batcher.add({ key: "a", user: user("a"), at: { pos: 1, dx: 0, dy: 0 } });
    batcher.add({ key: "a", user: user("a"), at: null });
    const frames = batcher.flush(["a", "b"]);
    expect(frames.has("a")).toBe(false);
    expect(frames.get("b")).toEqual([{ key: "a", user: user("a"), at: null }]);
  });

  it("turns a burst of N senders into N frames per tick, where a relay would send N·(N−1) per move", () => {
    const batcher = new PointerBatcher();
    const senders = Array.from({ length: 20 }, (_, i) => `s${i}`);
    let relayFrames = 0;
    for (let move = 0; move < 3; move++) {
      for (const key of senders) {
        batcher.add({ key, user: user(key), at: { pos: move, dx: 0, dy: 0 } });
        relayFrames += senders.length - 1;
      }
    }
    expect(batcher.flush(senders).size).toBe(20);
    expect(relayFrames).toBe(3 * 20 * 19);
  });
});
