/**
 * The room's name in the real Durable Object: stored in its SQLite storage,
 * sent to everyone live and to every newcomer, kept across an eviction, and
 * never changed by a view token, a bad name or a flood of renames.
 */
import { CloseCode, ErrorCode, LIMITS, type ServerAppMessage } from "@edgeroom/shared";
import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { connectClosedAfterEach } from "../support/connect.ts";
import { type HeadlessClient, signRoomToken } from "@edgeroom/testkit";

const connect = connectClosedAfterEach();
const bo = { name: "Bo", color: "#1971c2" };

function storedName(room: string): Promise<string | undefined> {
  return runInDurableObject(env.Room.get(env.Room.idFromName(room)), (_instance, state) => {
    const rows = state.storage.sql.exec<{ name: string }>("SELECT name FROM room_name").toArray();
    return rows[0]?.name;
  });
}

function names(client: HeadlessClient): string[] {
  return client.app.flatMap((m) => (m.type === "room-name" ? [m.name] : []));
}

function errors(client: HeadlessClient): Extract<ServerAppMessage, { type: "error" }>[] {
  return client.app.filter((m): m is Extract<ServerAppMessage, { type: "error" }> => m.type === "error");
}

async function heardName(client: HeadlessClient, name: string): Promise<void> {
  await client.until(() => names(client).includes(name));
}

describe("the room's name", () => {
  it("is empty for a new room, told right after the welcome", async () => {
    const a = await connect("name-new");
    await a.until(() => names(a).length === 1);
    const welcome = a.app.findIndex((m) => m.type === "welcome");
    expect(a.app[welcome + 1]).toEqual({ type: "room-name", name: "" });
  });

  it("is stored in SQLite and sent live to everyone, the renamer included", async () => {
    const a = await connect("name-live");
    const b = await connect("name-live", { user: bo });
    a.sendApp({ type: "room-name-set", name: "  Launch   plan " });
    await heardName(b, "Launch plan");
    await heardName(a, "Launch plan");
    expect(await storedName("name-live")).toBe("Launch plan");
    const c = await connect("name-live");
    await heardName(c, "Launch plan");
  });

  it("survives the object's eviction", async () => {
    const a = await connect("name-evicted");
    a.sendApp({ type: "room-name-set", name: "Still named" });
    await heardName(a, "Still named");
    a.socket.close(1000, "bye");
    await abortAllDurableObjects();
    const b = await connect("name-evicted", { user: bo });
    await b.until(() => names(b).length > 0);
    expect(names(b)).toEqual(["Still named"]);
  });

  it("is not changed by a view token: read-only, nothing stored, nobody told", async () => {
    const a = await connect("name-view");
    a.sendApp({ type: "room-name-set", name: "Original" });
    await heardName(a, "Original");
    const token = await signRoomToken({ room: "name-view", sub: "viewer-0001", name: "Vi", scope: "view" });
    const viewer = await connect("name-view", { token });
    await heardName(viewer, "Original");
    viewer.sendApp({ type: "room-name-set", name: "Hijacked" });
    await viewer.until(() => errors(viewer).length > 0);
    expect(errors(viewer).map((e) => e.code)).toEqual([ErrorCode.readOnly]);
    // A later rename from the editor is the next thing anyone hears: nothing came between.
    a.sendApp({ type: "room-name-set", name: "Renamed" });
    await heardName(viewer, "Renamed");
    expect(names(viewer)).toEqual(["Original", "Renamed"]);
    expect(names(a)).toEqual(["", "Original", "Renamed"]);
  });

  it("refuses huge names and control or bidi characters with bad-message, changing nothing", async () => {
    const a = await connect("name-bad");
    const b = await connect("name-bad", { user: bo });
    a.sendApp({ type: "room-name-set", name: "Good" });
    await heardName(b, "Good");
    const bad: unknown[] = [
      "x".repeat(LIMITS.maxRoomNameLength + 1),
      "x".repeat(1_500_000),
      "invoice\u202efdp.exe",
      "two\nlines",
      "zero\u200bwidth",
      42,
    ];
    for (const name of bad) a.sendApp({ type: "room-name-set", name: name as string });
    await a.until(() => errors(a).length === bad.length);
    expect(errors(a).map((e) => e.code)).toEqual(bad.map(() => ErrorCode.badMessage));
    expect(await storedName("name-bad")).toBe("Good");
    a.sendApp({ type: "room-name-set", name: "Next" });
    await heardName(b, "Next");
    expect(names(b)).toEqual(["", "Good", "Next"]);
  });

  it("is rate-limited with the app lane: a flood is dropped past the burst and closed, the room stays usable", async () => {
    const a = await connect("name-flood");
    const b = await connect("name-flood", { user: bo });
    // Sent all at once: buckets refill while the room works through them, so send well past both bursts.
    const flood = 4 * (LIMITS.rateLimits.app.burst + LIMITS.overBudgetStrikes.burst);
    for (let i = 0; i < flood; i++) a.sendApp({ type: "room-name-set", name: `Flood ${i}` });
    const closed = await a.closed;
    expect(closed.code).toBe(CloseCode.tooManyMessages);
    expect(errors(a).map((e) => e.code)).toContain(ErrorCode.rateLimited);
    const stored = await storedName("name-flood");
    // The hello took one token and the rest of the burst went to renames; refills while it ran add some.
    await b.until(() => names(b).at(-1) === stored);
    const heard = names(b).length - 1;
    expect(heard).toBeGreaterThanOrEqual(LIMITS.rateLimits.app.burst - 1);
    expect(heard).toBeLessThan(flood / 2);
    const c = await connect("name-flood");
    c.sendApp({ type: "room-name-set", name: "Calm again" });
    await heardName(b, "Calm again");
  });
});
