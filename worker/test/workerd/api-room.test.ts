/** A room as a whole through the API: its summary, its people, events to everyone, revocation and deletion. */
import { CloseCode, ErrorCode, publicPersonId, type ServerAppMessage } from "@edgeroom/shared";
import { signRoomToken, type HeadlessClient } from "@edgeroom/testkit";
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { api } from "../support/api-client.ts";
import { connectClosedAfterEach, refusedClose } from "../support/connect.ts";
import { snapshotsSettled } from "../support/snapshots-settled.ts";

const connect = connectClosedAfterEach();
const ada = { name: "Ada", color: "#c2255c" };
const bo = { name: "Bo", color: "#1971c2" };

async function getJson<T>(path: string, init: Parameters<typeof api>[1] = {}, status = 200): Promise<T> {
  const response = await api(path, init);
  expect(response.status, path).toBe(status);
  return (await response.json()) as T;
}

function messagesOf<T extends ServerAppMessage["type"]>(client: HeadlessClient, type: T) {
  return client.app.filter((m): m is Extract<ServerAppMessage, { type: T }> => m.type === type);
}

/** Every table of the room's SQLite with its row count (workerd's own `_cf_` tables aside), and its key-value keys. */
function roomStorage(
  room: string,
): Promise<{ rows: Record<string, number>; snapshotState: Array<Record<string, unknown>>; keys: string[] }> {
  return runInDurableObject(env.Room.get(env.Room.idFromName(room)), async (_instance, state) => {
    const sql = state.storage.sql;
    const tables = sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .toArray()
      .map((row) => row.name)
      .filter((name) => !name.startsWith("_cf_") && !name.startsWith("sqlite_"));
    const rows: Record<string, number> = {};
    for (const table of tables) {
      rows[table] = Number(sql.exec(`SELECT COUNT(*) AS n FROM "${table}"`).one()["n"]);
    }
    const snapshotState = tables.includes("snapshot_state")
      ? sql.exec("SELECT * FROM snapshot_state").toArray()
      : [];
    return { rows, snapshotState, keys: [...(await state.storage.list()).keys()] };
  });
}

const ZEROS = { private: false, people: 0, documentBytes: 0, lastEditAt: null, versions: 0 };

describe("GET room", () => {
  it("answers 200 with zeros for a room never used", async () => {
    expect(await getJson("/api/v1/rooms/room-never-used")).toEqual({ room: "room-never-used", ...ZEROS });
  });

  it("counts people, the document's bytes, its last edit and its saved versions", async () => {
    const room = "room-info-used";
    const a = await connect(room, { user: ada, person: "ada-secret-0001" });
    await connect(room, { user: ada, person: "ada-secret-0001" });
    await connect(room, { user: bo, person: "bo-secret-00001" });
    await a.type("some words");
    await snapshotsSettled([room]);
    const info = await getJson<Record<string, unknown>>(`/api/v1/rooms/${room}`);
    expect(info).toMatchObject({ room, private: false, people: 2 });
    expect(info["documentBytes"]).toBeGreaterThan(0);
    expect(info["lastEditAt"]).toBeGreaterThan(Date.now() - 60_000);
    expect(info["versions"]).toBeGreaterThanOrEqual(1);
  });
});

describe("GET people", () => {
  it("lists one entry per person, however many sockets, with verified ids as their sub", async () => {
    const room = "room-people";
    await connect(room, { user: ada, person: "ada-secret-0001" });
    await connect(room, { user: ada, person: "ada-secret-0001" });
    const token = await signRoomToken({ room, sub: "verified-0001", name: "Vera", color: "#5f3dc4" });
    await connect(room, { token });
    const { people } = await getJson<{ people: Array<Record<string, unknown>> }>(
      `/api/v1/rooms/${room}/people`,
    );
    const byId = Object.fromEntries(people.map((p) => [p["id"], p]));
    expect(people).toHaveLength(2);
    expect(byId[publicPersonId("ada-secret-0001")]).toMatchObject({
      name: "Ada",
      color: "#c2255c",
      sockets: 2,
    });
    expect(byId["verified-0001"]).toMatchObject({ name: "Vera", color: "#5f3dc4", sockets: 1 });
    for (const person of people) expect(["active", "idle", "away"]).toContain(person["status"]);
    expect(JSON.stringify(people)).not.toContain("ada-secret-0001");
  });

  it("is empty for a room never used", async () => {
    expect(await getJson("/api/v1/rooms/room-people-empty/people")).toEqual({ people: [] });
  });
});

describe("POST events", () => {
  it("reaches every socket as an event from the server, and counts them", async () => {
    const room = "room-events";
    const a = await connect(room, { user: ada });
    const b = await connect(room, { user: bo });
    const event = { type: "poll:vote", data: { option: 2, note: "ünï", nested: [1, { deep: true }] } };
    expect(await getJson(`/api/v1/rooms/${room}/events`, { method: "POST", json: event })).toEqual({
      delivered: 2,
    });
    for (const client of [a, b]) {
      await client.until(() => messagesOf(client, "event").length === 1);
      expect(messagesOf(client, "event")[0]).toEqual({ type: "event", event, from: { kind: "server" } });
    }
    const bare = { type: "ping" };
    expect(await getJson(`/api/v1/rooms/${room}/events`, { method: "POST", json: bare })).toEqual({
      delivered: 2,
    });
    await a.until(() => messagesOf(a, "event").length === 2);
    expect(messagesOf(a, "event")[1]!.event).toEqual(bare);
  });

  it("delivers to nobody in an empty room, and refuses an oversized event", async () => {
    expect(
      await getJson("/api/v1/rooms/room-events-empty/events", { method: "POST", json: { type: "x" } }),
    ).toEqual({
      delivered: 0,
    });
    const client = await connect("room-events-big", { user: ada });
    const response = await api("/api/v1/rooms/room-events-big/events", {
      method: "POST",
      json: { type: "big", data: "x".repeat(5000) },
    });
    expect(response.status).toBe(400);
    await client.chat("after-big-01", "sync point");
    expect(messagesOf(client, "event")).toEqual([]);
  });
});

describe("POST revoke", () => {
  it("closes the person's sockets with 4405 within a second, leaves others, and refuses the old token", async () => {
    const room = "room-revoke";
    const token = await signRoomToken({ room, sub: "revoked-0001", name: "Rev" });
    const target = await connect(room, { token });
    const second = await connect(room, { token });
    const other = await connect(room, {
      token: await signRoomToken({ room, sub: "stays-00001", name: "Sam" }),
    });
    const started = Date.now();
    expect(
      await getJson(`/api/v1/rooms/${room}/revoke`, { method: "POST", json: { sub: "revoked-0001" } }),
    ).toEqual({
      closedSockets: 2,
      downgradedSockets: 0,
    });
    for (const client of [target, second]) expect((await client.closed).code).toBe(CloseCode.accessRevoked);
    expect(Date.now() - started).toBeLessThan(1_000);
    await other.type("still here");
    expect((await refusedClose(room, { token })).code).toBe(CloseCode.accessRevoked);
  });

  it('with scope "view" makes the sockets read-only: told with `access`, their next edit refused', async () => {
    const room = "room-revoke-view";
    const token = await signRoomToken({ room, sub: "viewer-0001", name: "Vi", scope: "edit" });
    const client = await connect(room, { token });
    await client.type("before");
    expect(
      await getJson(`/api/v1/rooms/${room}/revoke`, {
        method: "POST",
        json: { sub: "viewer-0001", scope: "view" },
      }),
    ).toEqual({ closedSockets: 0, downgradedSockets: 1 });
    await client.until(() => messagesOf(client, "access").length === 1);
    expect(messagesOf(client, "access")[0]!.identity).toMatchObject({ id: "viewer-0001", scope: "view" });
    client.text.insert(client.text.length, " after");
    await client.until(() => messagesOf(client, "doc-reject").length === 1);
    expect(messagesOf(client, "doc-reject")[0]!.code).toBe(ErrorCode.readOnly);
    expect(await (await api(`/api/v1/rooms/${room}/document`)).text()).toBe("before");
  });

  it("answers zeros for someone not in the room", async () => {
    expect(
      await getJson("/api/v1/rooms/room-revoke-nobody/revoke", {
        method: "POST",
        json: { sub: "nobody-0001" },
      }),
    ).toEqual({ closedSockets: 0, downgradedSockets: 0 });
  });
});

describe("DELETE room", () => {
  it("leaves nothing in SQLite or R2, closes open sockets with 4410, and the next visitor finds an empty room", async () => {
    const room = "room-delete";
    const client = await connect(room, { user: ada });
    await client.type("to be deleted");
    await client.chat("delete-me-01", "chat to delete");
    await snapshotsSettled([room]);
    expect((await env.SNAPSHOTS.list({ prefix: `rooms/${room}/` })).objects.length).toBeGreaterThan(0);
    const listed = () => getJson<{ rooms: Array<{ room: string }> }>(`/api/v1/rooms?prefix=${room}`);
    expect((await listed()).rooms).toContainEqual({ room });
    const before = await roomStorage(room);
    expect(Object.values(before.rows).some((n) => n > 0)).toBe(true);

    expect(await getJson(`/api/v1/rooms/${room}`, { method: "DELETE" })).toEqual({
      deleted: true,
      closedSockets: 1,
    });
    expect((await client.closed).code).toBe(CloseCode.roomDeleted);
    const after = await roomStorage(room);
    // The room opens again at once: its single-row snapshot bookkeeping is back to a new room's, nothing else has rows.
    const { snapshot_state: _fixedRow, ...content } = after.rows;
    for (const [table, rows] of Object.entries(content)) expect(rows, table).toBe(0);
    expect(after.snapshotState).toEqual([
      { id: 1, dirty_since: null, last_edit_at: 0, last_write_at: null, flush: 0, edit_seq: 0 },
    ]);
    // partyserver keeps the object's own name (not the room's content) so an alarm can find it.
    expect(after.keys.filter((key) => key !== "__ps_name")).toEqual([]);
    expect((await env.SNAPSHOTS.list({ prefix: `rooms/${room}/` })).objects).toEqual([]);
    expect((await listed()).rooms).not.toContainEqual({ room });

    expect(await getJson(`/api/v1/rooms/${room}`)).toEqual({ room, ...ZEROS });
    expect(await (await api(`/api/v1/rooms/${room}/document`)).text()).toBe("");
    expect(await getJson(`/api/v1/rooms/${room}/chat`)).toEqual({ messages: [], next: null });
    const next = await connect(room, { user: bo, doc: new Y.Doc() });
    expect(next.text.toString()).toBe("");
  });

  it("answers 200 for a room never used", async () => {
    expect(await getJson("/api/v1/rooms/room-delete-never", { method: "DELETE" })).toEqual({
      deleted: true,
      closedSockets: 0,
    });
  });
});
