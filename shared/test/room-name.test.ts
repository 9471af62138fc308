import { describe, expect, it } from "vitest";
import { cleanRoomName, LIMITS, parseClientAppMessage, parseServerAppMessage } from "../src/index.ts";

const set = (name: unknown) => parseClientAppMessage(JSON.stringify({ type: "room-name-set", name }), 10_000);

describe("room names", () => {
  it("accepts a name up to the limit, trimmed with runs of spaces as one, and the empty name", () => {
    expect(set("  Team \u00a0 notes ")).toEqual({
      ok: true,
      value: { type: "room-name-set", name: "Team notes" },
    });
    expect(set("")).toEqual({ ok: true, value: { type: "room-name-set", name: "" } });
    expect(set("x".repeat(LIMITS.maxRoomNameLength)).ok).toBe(true);
    expect(set(`  ${"x".repeat(LIMITS.maxRoomNameLength)}  `).ok).toBe(true);
  });

  it("refuses names past the limit, with control or bidi characters, or not strings", () => {
    expect(set("x".repeat(LIMITS.maxRoomNameLength + 1)).ok).toBe(false);
    expect(set("x".repeat(1_000_000)).ok).toBe(false);
    for (const bad of ["a\nb", "a\u0000b", "\u202egnp.exe", "a\u200bb", "a\u2028b", "\ud800"]) {
      expect(set(bad).ok).toBe(false);
    }
    expect(set(42).ok).toBe(false);
    expect(set(null).ok).toBe(false);
    expect(parseServerAppMessage('{"type":"room-name","name":"a\\u202eb"}', 1000).ok).toBe(false);
    expect(parseServerAppMessage('{"type":"room-name","name":"Plans"}', 1000).ok).toBe(true);
  });

  it("cleans what a person typed into a name the room accepts", () => {
    expect(cleanRoomName("  Q3\u202e plans \u00a0 dra\u0000ft\n")).toBe("Q3 plans draft");
    expect(cleanRoomName("\u200b")).toBe("");
    const long = cleanRoomName(`${"x".repeat(LIMITS.maxRoomNameLength - 1)}😀`);
    expect(long).toBe("x".repeat(LIMITS.maxRoomNameLength - 1));
    expect(set(long).ok).toBe(true);
  });
});
