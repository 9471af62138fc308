import { describe, expect, it } from "vitest";
import {
  describeClose,
  CloseCode,
  isValidRoomId,
  parseClientAppMessage,
  parseServerAppMessage,
  publicPersonId,
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
    expect(parseServerAppMessage('{"type":"doc-ack","docBytes":120}', 1000)).toEqual({
      ok: true,
      value: { type: "doc-ack", docBytes: 120 },
    });
    expect(parseServerAppMessage('{"type":"doc-ack"}', 1000).ok).toBe(false);
    const versions = '{"type":"versions","versions":[{"at":1800000000000,"bytes":9,"editors":["Ada"]}]}';
    expect(parseServerAppMessage(versions, 1000).ok).toBe(true);
    expect(parseServerAppMessage('{"type":"version","at":-1,"text":""}', 1000).ok).toBe(false);
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

describe("person ids", () => {
  it("publishes a stable one-way hash that fits a person id and never equals the secret", () => {
    const secret = "3f0c1a52-8d5e-4e7b-9a41-1b2c3d4e5f60";
    const published = publicPersonId(secret);
    expect(published).toBe(publicPersonId(secret));
    expect(published).not.toContain(secret);
    expect(published).toMatch(/^anon-[A-Za-z0-9_-]{22}$/);
    expect(publicPersonId(`${secret}x`)).not.toBe(published);
    expect(parseClientAppMessage(`{"type":"hello","v":1,"person":"${secret}"}`, 1000).ok).toBe(true);
    expect(parseClientAppMessage('{"type":"hello","v":1,"person":"x y"}', 1000).ok).toBe(false);
  });
});
