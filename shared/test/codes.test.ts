import { describe, expect, it } from "vitest";
import {
  CLOSE_REASONS,
  CloseCode,
  describeClose,
  ErrorCode,
  isCloseCode,
  isUrlSafeId,
  isValidRoomId,
  parseServerAppMessage,
} from "../src/index.ts";

describe("close codes", () => {
  it("knows every code of the table and nothing else", () => {
    for (const code of Object.values(CloseCode)) {
      expect(isCloseCode(code)).toBe(true);
      expect(describeClose(code)).toEqual({ code, ...CLOSE_REASONS[code] });
    }
    for (const code of [1005, 1006, 1011, 4003, 4999]) expect(isCloseCode(code)).toBe(false);
  });
});

describe("error codes", () => {
  it("parses every code the table names on each refusal message, and no other", () => {
    for (const code of Object.values(ErrorCode)) {
      const reject = JSON.stringify({ type: "doc-reject", code, message: "m" });
      const chat = JSON.stringify({ type: "chat-reject", id: "x", code, message: "m" });
      expect(parseServerAppMessage(reject, 1000).ok).toBe(true);
      expect(parseServerAppMessage(chat, 1000).ok).toBe(true);
    }
    expect(parseServerAppMessage('{"type":"doc-reject","code":"nope","message":"m"}', 1000).ok).toBe(false);
  });
});

describe("ids", () => {
  it("bounds room names by length and characters", () => {
    expect(isValidRoomId("a".repeat(64))).toBe(true);
    expect(isValidRoomId("a".repeat(65))).toBe(false);
    expect(isValidRoomId("%41")).toBe(false);
    expect(isValidRoomId("ünïcode")).toBe(false);
  });

  it("allows 8–64 url-safe characters for person and chat ids", () => {
    expect(isUrlSafeId("abcd_-12")).toBe(true);
    expect(isUrlSafeId("abc")).toBe(false);
    expect(isUrlSafeId("x".repeat(65))).toBe(false);
    expect(isUrlSafeId("has space")).toBe(false);
    expect(isUrlSafeId(42)).toBe(false);
  });
});
