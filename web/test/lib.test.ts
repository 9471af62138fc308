import { describe, expect, it } from "vitest";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import { readPeople } from "../src/presence/people.ts";
import { newRoomId } from "../src/lib/room-id.ts";
import { parseRoute } from "../src/lib/route.ts";

describe("room ids", () => {
  it("carry 128 random bits in 22 url-safe characters", () => {
    const ids = new Set(Array.from({ length: 1000 }, newRoomId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe("routes", () => {
  it("maps paths to pages", () => {
    expect(parseRoute("/")).toEqual({ page: "landing" });
    expect(parseRoute("/r/team-notes")).toEqual({ page: "room", roomId: "team-notes" });
    expect(parseRoute("/embed/team-notes")).toEqual({ page: "embed", roomId: "team-notes" });
    expect(parseRoute("/embed/bad%20name")).toEqual({ page: "not-found" });
    expect(parseRoute("/r/bad%20name")).toEqual({ page: "not-found" });
    expect(parseRoute("/elsewhere")).toEqual({ page: "not-found" });
  });
});

describe("presence", () => {
  it("lists only people with a valid user, you first", () => {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    awareness.setLocalStateField("user", { name: "Zoe", color: "#123456" });
    awareness.states.set(2, { user: { name: "Ada", color: "#654321" } });
    awareness.states.set(3, { user: { name: "<img src=x>", color: "javascript:alert(1)" } });
    awareness.states.set(4, { cursor: null });
    expect(readPeople(awareness).map((p) => [p.name, p.isSelf])).toEqual([
      ["Zoe", true],
      ["Ada", false],
    ]);
    awareness.destroy();
  });
});
