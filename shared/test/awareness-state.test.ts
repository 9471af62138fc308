import { describe, expect, it } from "vitest";
import {
  cleanDisplayName,
  lightTint,
  readAwarenessUser,
  sanitiseAwarenessState,
  sanitiseAwarenessStateJson,
  UserSchema,
} from "../src/index.ts";
import * as v from "valibot";

const cursor = {
  anchor: { type: null, tname: null, item: { client: 7, clock: 3 }, assoc: 0 },
  head: { type: null, tname: "content", item: null, assoc: 0 },
};

describe("display names", () => {
  it("refuses control and format characters, line breaks and lone surrogates, in awareness and hello alike", () => {
    for (const name of [
      "Ada\nBo",
      "Ada\u0007",
      "\u202eadA",
      "A\u200bda",
      "Ada\u2028Bo",
      "Ada\ud800",
      "x".repeat(41),
    ]) {
      expect(readAwarenessUser({ user: { name, color: "#123456" } }), JSON.stringify(name)).toBeUndefined();
      expect(v.is(UserSchema, { name, color: "#123456" }), JSON.stringify(name)).toBe(false);
    }
    for (const name of ["Ada", "Zoë", "李雷", "👩‍👩‍👧 family", "می‌خواهم"]) {
      expect(readAwarenessUser({ user: { name, color: "#123456" } })?.name).toBe(name);
    }
  });

  it("cleans a typed name into one the rule accepts", () => {
    expect(cleanDisplayName("  A\u0000d\u202ea \n Lovelace ")).toBe("Ada Lovelace");
    const cut = cleanDisplayName(`${"x".repeat(39)}😀`);
    expect(readAwarenessUser({ user: { name: cut, color: "#123456" } })?.name).toBe("x".repeat(39));
  });
});

describe("colours", () => {
  it("takes #rrggbb only, for colorLight too", () => {
    expect(
      readAwarenessUser({ user: { name: "Ada", color: "#123456", colorLight: "#12345633" } }),
    ).toBeUndefined();
    expect(readAwarenessUser({ user: { name: "Ada", color: "#1234567" } })).toBeUndefined();
  });

  it("tints a colour to 20% over white", () => {
    expect(lightTint("#000000")).toBe("#cccccc");
    expect(lightTint("#ffffff")).toBe("#ffffff");
    expect(lightTint("#1971c2")).toMatch(/^#[0-9a-f]{6}$/);
    expect(() => lightTint("red;x")).toThrow();
  });
});

describe("sanitiseAwarenessState", () => {
  it("keeps a well-formed state as it is, filling colorLight", () => {
    const state = {
      user: { name: "Ada", color: "#000000", id: "ada-000001" },
      cursor,
      status: "idle",
      extra: 1,
    };
    expect(sanitiseAwarenessState(state)).toEqual({
      ...state,
      user: { name: "Ada", color: "#000000", colorLight: "#cccccc", id: "ada-000001" },
    });
  });

  it("drops a user whose name or colour is markup, and never lets a string through as a colour", () => {
    const hostile = [
      { name: "Eve", color: "red;position:fixed;inset:0;background:url(//x)" },
      { name: "Eve\u0000\u001b[31m", color: "#123456" },
      { name: "E".repeat(41), color: "#123456" },
      "<img src=x onerror=alert(1)>",
      ["Eve", "#123456"],
      42,
    ];
    for (const user of hostile) {
      const clean = sanitiseAwarenessState({ user, cursor, status: "active" });
      expect(clean, JSON.stringify(user)).toEqual({ cursor, status: "active" });
    }
  });

  it("rewrites fields that do not fit and drops unknown ones inside user", () => {
    const clean = sanitiseAwarenessState({
      user: { name: " Eve ", color: "#123456", colorLight: "#12345633", id: "bad id!", style: "x" },
    });
    expect(clean).toEqual({ user: { name: "Eve", color: "#123456", colorLight: lightTint("#123456") } });
  });

  it("drops a malformed cursor or status, and turns a non-object state into an empty one", () => {
    const badCursors = [
      "x",
      { anchor: {}, head: {} },
      { anchor: { tname: "other-root" }, head: cursor.head },
      { anchor: { item: { client: -1, clock: 0 } }, head: cursor.head },
    ];
    for (const bad of badCursors) expect(sanitiseAwarenessState({ cursor: bad })).toEqual({});
    expect(sanitiseAwarenessState({ cursor: null, status: "<b>" })).toEqual({ cursor: null });
    expect(sanitiseAwarenessState(null)).toBeNull();
    expect(sanitiseAwarenessState("x")).toEqual({});
    expect(sanitiseAwarenessStateJson("not json")).toBe("{}");
    expect(sanitiseAwarenessStateJson("null")).toBe("null");
  });
});
