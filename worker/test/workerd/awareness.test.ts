/**
 * Awareness is data: whatever a socket publishes, others receive only users
 * whose name and colours fit the schema (`sanitiseAwarenessState`), never a
 * string that y-codemirror.next would paste into a `style` attribute.
 */
import { readAwarenessUser } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { connectClosedAfterEach } from "../support/connect.ts";
import { signRoomToken } from "@edgeroom/testkit";

const connect = connectClosedAfterEach();
const cursor = {
  anchor: { type: null, tname: "content", item: null, assoc: 0 },
  head: { type: null, tname: "content", item: null, assoc: 0 },
};

const HOSTILE_STATES: Array<[number, unknown]> = [
  [901, { user: { name: "Eve", color: "red;position:fixed;inset:0;background:url(//x)" }, cursor }],
  [902, { user: { name: "Eve\u0000\u001b[2J\nroot", color: "#123456" }, cursor }],
  [903, { user: { name: "Eve", color: "#123456", colorLight: "#12345633" }, cursor }],
  [904, { user: "<img src=x onerror=alert(1)>", cursor }],
  [905, { user: { name: "E".repeat(41), color: "#123456" }, cursor }],
  [906, { user: { name: "Eve", color: "#123456", colorLight: "red;background:url(//x)" }, cursor }],
];

describe("awareness sanitising", () => {
  it("relays only valid users, whatever a hostile socket publishes", async () => {
    const watcher = await connect("awareness-hostile", { user: { name: "Wat", color: "#225588" } });
    // Two sockets: one socket controls at most LIMITS.maxAwarenessClientsPerSocket clients.
    const eve1 = await connect("awareness-hostile", { hello: false });
    const eve2 = await connect("awareness-hostile", { hello: false });
    HOSTILE_STATES.forEach(([clientId, state], i) => (i < 3 ? eve1 : eve2).setAwareness(clientId, 1, state));
    await watcher.until(() => HOSTILE_STATES.every(([id]) => watcher.awareness.has(id)));

    for (const [clientId] of HOSTILE_STATES) {
      const stateJson = watcher.awareness.get(clientId)?.stateJson ?? "null";
      expect(stateJson, String(clientId)).not.toMatch(/url\(|position|;|\\u0000|#12345633/);
      const state = JSON.parse(stateJson) as { user?: unknown };
      // Either no user at all, or one the strict schema accepts field by field.
      if (state.user !== undefined) expect(readAwarenessUser(state), stateJson).toEqual(state.user);
    }
    // What fits is kept: the 8-digit colorLight became a 6-digit tint of the colour, the user stayed.
    expect(readAwarenessUser(JSON.parse(watcher.awareness.get(903)?.stateJson ?? "null"))).toEqual({
      name: "Eve",
      color: "#123456",
      colorLight: "#d0d6dd",
    });
    expect(JSON.parse(watcher.awareness.get(901)?.stateJson ?? "null")).toEqual({ cursor });

    // A socket that joins later gets the stored states, which are as clean.
    const late = await connect("awareness-hostile", { hello: false });
    await late.until(() => HOSTILE_STATES.every(([id]) => late.awareness.has(id)));
    for (const [clientId] of HOSTILE_STATES)
      expect(late.awareness.get(clientId)?.stateJson).toBe(watcher.awareness.get(clientId)?.stateJson);
  });

  it("gives a verified socket a 6-digit light tint of the token's colour", async () => {
    const watcher = await connect("awareness-token", { user: { name: "Wat", color: "#225588" } });
    const token = await signRoomToken({
      room: "awareness-token",
      sub: "ada-000001",
      name: "Ada",
      color: "#000000",
    });
    const ada = await connect("awareness-token", { token });
    ada.setAwareness(777, 1, { user: { name: "Mallory", color: "#ffffff", colorLight: "url(//x)" } });
    await watcher.until(() => watcher.awareness.has(777));
    expect(readAwarenessUser(JSON.parse(watcher.awareness.get(777)?.stateJson ?? "null"))).toEqual({
      name: "Ada",
      color: "#000000",
      colorLight: "#cccccc",
      id: "ada-000001",
    });
  });
});
