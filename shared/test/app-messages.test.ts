import { describe, expect, it } from "vitest";
import {
  describeClose,
  CloseCode,
  isValidRoomId,
  parseClientAppMessage,
  parseServerAppMessage,
  readAwarenessUser,
} from "../src/index.ts";

describe("app lane parsers", () => {
  it("accepts a hello and rejects anything else with a reason", () => {
    expect(parseClientAppMessage('{"type":"hello","v":1}', 1000)).toEqual({
      ok: true,
      value: { type: "hello", v: 1 },
    });
    expect(parseClientAppMessage("not json", 1000)).toEqual({ ok: false, error: "not JSON" });
    expect(parseClientAppMessage('{"type":"drop-table"}', 1000).ok).toBe(false);
    expect(parseClientAppMessage('{"type":"hello","v":"1"}', 1000).ok).toBe(false);
    expect(parseClientAppMessage(`{"type":"hello","v":1,"pad":"${"x".repeat(100)}"}`, 50)).toEqual({
      ok: false,
      error: "message too large",
    });
  });

  it("parses server messages the client relies on", () => {
    expect(parseServerAppMessage('{"type":"doc-ack","docBytes":12}', 1000)).toEqual({
      ok: true,
      value: { type: "doc-ack", docBytes: 12 },
    });
    // The stored size is what the client's size warning reads, so an ack without it is malformed.
    expect(parseServerAppMessage('{"type":"doc-ack"}', 1000).ok).toBe(false);
    expect(parseServerAppMessage('{"type":"error","code":"nope","message":"x"}', 1000).ok).toBe(false);
  });
});

describe("awareness users", () => {
  it("reads a well-formed user and refuses malformed ones", () => {
    expect(readAwarenessUser({ user: { name: " Ada ", color: "#123456" } })).toEqual({
      name: "Ada",
      color: "#123456",
    });
    expect(readAwarenessUser({ user: { name: "", color: "#123456" } })).toBeUndefined();
    expect(readAwarenessUser({ user: { name: "Eve", color: "red; background:url(x)" } })).toBeUndefined();
    expect(readAwarenessUser({ user: { name: "x".repeat(41), color: "#123456" } })).toBeUndefined();
    expect(readAwarenessUser(null)).toBeUndefined();
  });
});

describe("room ids and close codes", () => {
  it("allows url-safe names only", () => {
    expect(isValidRoomId("team-notes_2")).toBe(true);
    expect(isValidRoomId("")).toBe(false);
    expect(isValidRoomId("a/b")).toBe(false);
    expect(isValidRoomId("x".repeat(65))).toBe(false);
  });

  it("marks version mismatch as fatal and a full room as retryable", () => {
    expect(describeClose(CloseCode.versionMismatch)?.fatal).toBe(true);
    expect(describeClose(CloseCode.roomFull)?.fatal).toBe(false);
    expect(describeClose(1006)).toBeUndefined();
  });
});
