/** `GET /api/v1/rooms`: rooms with saved versions, from the R2 listing alone, paged. */
import { LIMITS } from "@edgeroom/shared";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { snapshotKey } from "../../src/durable/snapshot-archive.ts";
import { api, apiErrorOf, roomObjectIds } from "../support/api-client.ts";

interface RoomList {
  rooms: Array<{ room: string }>;
  cursor: string | null;
}

async function putVersions(room: string, count = 1): Promise<void> {
  for (let i = 0; i < count; i++)
    await env.SNAPSHOTS.put(snapshotKey(room, 1_700_000_000_000 + i), new Uint8Array([0, 0]));
}

async function list(query: string): Promise<RoomList> {
  const response = await api(`/api/v1/rooms?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as RoomList;
}

describe("listing rooms", () => {
  it("lists each room with versions once, by prefix, without waking any room", async () => {
    await putVersions("list-a-one", 3);
    await putVersions("list-a-two", 1);
    await putVersions("list-b-three", 2);
    await env.SNAPSHOTS.put("rooms/list-a.not-a-room/snapshots/0000000000001.yjs", new Uint8Array([0]));
    const objectsBefore = await roomObjectIds();
    expect(await list("prefix=list-a-")).toEqual({
      rooms: [{ room: "list-a-one" }, { room: "list-a-two" }],
      cursor: null,
    });
    expect(await list("prefix=list-")).toEqual({
      rooms: [{ room: "list-a-one" }, { room: "list-a-two" }, { room: "list-b-three" }],
      cursor: null,
    });
    expect(await list("prefix=list-zzz")).toEqual({ rooms: [], cursor: null });
    // A key that is not a room's (no room name has a dot) is left out.
    expect(await list("prefix=list-a")).toEqual({
      rooms: [{ room: "list-a-one" }, { room: "list-a-two" }],
      cursor: null,
    });
    expect((await roomObjectIds()).sort()).toEqual(objectsBefore.sort());
  });

  it(`pages with R2's cursor, ${LIMITS.apiRoomsPageSize} rooms a page`, async () => {
    const names = Array.from(
      { length: LIMITS.apiRoomsPageSize + 7 },
      (_, i) => `page-${String(i).padStart(4, "0")}`,
    );
    await Promise.all(names.map((name) => putVersions(name, 2)));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: RoomList = await list(
        `prefix=page-${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(page.rooms.length).toBeLessThanOrEqual(LIMITS.apiRoomsPageSize);
      seen.push(...page.rooms.map((r) => r.room));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual(names);
  });

  it("never lists outside the prefix or fails, whatever cursor it is handed", async () => {
    await putVersions("cursor-in-one");
    await putVersions("cursor-out-one");
    for (const cursor of [
      "not-a-real-cursor",
      btoa("rooms/"),
      btoa("rooms/cursor-out-one/"),
      btoa("\u0000"),
    ]) {
      const response = await api(`/api/v1/rooms?prefix=cursor-in-&cursor=${encodeURIComponent(cursor)}`);
      // Local R2 reads any cursor as a start; Cloudflare's refuses one it did not give (a 400 here).
      expect([200, 400]).toContain(response.status);
      if (response.status === 400) expect((await apiErrorOf(response)).message).toMatch(/^cursor: /);
      else
        for (const { room } of ((await response.json()) as RoomList).rooms)
          expect(room).toMatch(/^cursor-in-/);
    }
  });
});
