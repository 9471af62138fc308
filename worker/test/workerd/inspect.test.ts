/**
 * The room inspector (`/__inspect/<room>`): shown only to loopback hosts when
 * EDGEROOM_INSPECT is "local", or with the API secret; a plain 404 otherwise.
 * What it shows comes from the real room object and its sockets, and nothing
 * a person typed ever reaches the page as HTML.
 */
import { TEST_API_SECRET } from "@edgeroom/testkit";
import { SELF, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import type { Room } from "../../src/durable/room-server.ts";
import type { RoomInspection } from "../../src/inspect/inspect-room.ts";
import { connectClosedAfterEach } from "../support/connect.ts";

const connect = connectClosedAfterEach();
const HOSTILE = "<img src=x onerror=alert(1)>";

/** Through the Worker with EDGEROOM_INSPECT set (or not), as `pnpm start` runs it. */
function local(url: string, init: RequestInit = {}, inspect: string | null = "local"): Promise<Response> {
  const request = new Request(url, init) as Request<unknown, IncomingRequestCfProperties>;
  return worker.fetch(request, { ...env, EDGEROOM_INSPECT: inspect ?? undefined } as Env);
}

const withSecret = (secret: string) => ({ headers: { Authorization: `Bearer ${secret}` } });

async function inspection(room: string): Promise<RoomInspection> {
  const response = await local(`http://127.0.0.1:8787/__inspect/${room}.json`);
  expect(response.status).toBe(200);
  return (await response.json()) as RoomInspection;
}

describe("inspector access", () => {
  it("is a plain 404 without the var, and with it from a host that is not loopback", async () => {
    await connect("inspect-access", { user: { name: "Ada", color: "#225588" } });
    for (const path of ["/__inspect/inspect-access", "/__inspect/inspect-access.json"]) {
      const answers = {
        "var unset": await local(`http://127.0.0.1:8787${path}`, {}, null),
        "var not local": await local(`http://127.0.0.1:8787${path}`, {}, "yes"),
        "other host": await local(`http://evil.example${path}`),
        "host ending in loopback-looking name": await local(`http://127.0.0.1.evil.example${path}`),
        "the test Worker's own env": await SELF.fetch(`http://localhost${path}`),
      };
      for (const [label, response] of Object.entries(answers)) {
        expect([label, response.status, await response.text()]).toEqual([label, 404, "Not found"]);
      }
    }
  });

  it("opens for loopback hosts when the var is local", async () => {
    await connect("inspect-loopback", { user: { name: "Ada", color: "#225588" } });
    for (const host of ["127.0.0.1:8787", "localhost:8787", "[::1]:8787"]) {
      expect((await local(`http://${host}/__inspect/inspect-loopback.json`)).status).toBe(200);
    }
  });

  it("with the API secret: 404 for a wrong or missing one, 200 for the right one", async () => {
    await connect("inspect-secret", { user: { name: "Ada", color: "#225588" } });
    const url = "http://edgeroom.test/__inspect/inspect-secret.json";
    for (const secret of ["wrong", `${TEST_API_SECRET}x`, TEST_API_SECRET.slice(0, -1)]) {
      const response = await SELF.fetch(url, withSecret(secret));
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("Not found");
    }
    expect((await SELF.fetch(url)).status).toBe(404);
    const response = await SELF.fetch(url, withSecret(TEST_API_SECRET));
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(((await response.json()) as RoomInspection).connections).toHaveLength(1);
  });

  it("refuses invalid room names and other methods", async () => {
    for (const path of [
      "/__inspect/",
      "/__inspect/a%2Fb.json",
      "/__inspect/a.b",
      `/__inspect/${"x".repeat(65)}.json`,
    ]) {
      expect((await local(`http://127.0.0.1${path}`)).status).toBe(404);
    }
    expect((await local("http://127.0.0.1/__inspect/inspect-x.json", { method: "POST" })).status).toBe(404);
  });

  it("does not create a room by inspecting it: 404, no start, nothing stored", async () => {
    const room = "inspect-never-used";
    const response = await local(`http://127.0.0.1/__inspect/${room}.json`);
    expect(response.status).toBe(404);
    expect((await local(`http://127.0.0.1/__inspect/${room}.json`)).status).toBe(404);
    // workerd instantiates the object to ask it (and may open its empty database file), but it never starts the room.
    const seen = await runInDurableObject(
      env.Room.get(env.Room.idFromName(room)),
      (instance: Room, state) => ({
        starts: instance.meter.counts.starts,
        tables: state.storage.sql
          .exec(`SELECT name FROM sqlite_master WHERE name NOT LIKE '\\_cf\\_%' ESCAPE '\\'`)
          .toArray(),
      }),
    );
    expect(seen).toEqual({ starts: 0, tables: [] });
  });
});

describe("what the inspector shows", () => {
  it("reflects real sockets: two connections, rising counts, hostile names only as JSON text", async () => {
    const room = "inspect-live";
    const ada = await connect(room, {
      user: { name: "Ada", color: "#225588" },
      person: "person-ada-secret-0001",
    });
    const eve = await connect(room, {
      user: { name: HOSTILE, color: "#885522" },
      person: "person-eve-secret-0002",
    });
    const first = await inspection(room);
    expect(first.connections).toHaveLength(2);
    expect(first.connections.map((c) => c.name).sort()).toEqual(["Ada", HOSTILE].sort());
    expect(first.connections.every((c) => c.lane === "app" && !c.readOnly && c.connectedSince !== null)).toBe(
      true,
    );
    expect(first.people.map((p) => p.name).sort()).toEqual(["Ada", HOSTILE].sort());
    expect(first.counts.starts).toBeGreaterThanOrEqual(1);

    await ada.type("hello");
    eve.sendApp({ type: "pointer", at: { pos: 1, dx: 0, dy: 0 } });
    ada.socket.send("ping");
    await ada.until(() => ada.textFrames.includes("pong"));
    const second = await inspection(room);
    expect(second.counts.framesInBinary).toBeGreaterThan(first.counts.framesInBinary);
    expect(second.counts.framesInText).toBeGreaterThan(first.counts.framesInText);
    expect(second.counts.framesOut).toBeGreaterThan(first.counts.framesOut);
    expect(second.counts.rowsWritten).toBeGreaterThan(first.counts.rowsWritten);
    expect(second.storage.updateLogLength).toBeGreaterThan(first.storage.updateLogLength);
    expect(second.storage.documentBytes).toBeGreaterThan(0);
    expect(second.snapshots.nextDueAt).not.toBeNull();
    expect(second.alarmAt).not.toBeNull();
    expect(second.costPerHour.total).toBeGreaterThan(0);
    // The first look measured from the room's first event; the second from the first look.
    expect([first.rates.since, second.rates.since]).toEqual(["first-event", "last-minute"]);
    expect(second.rates.framesInPerSecond).toBeGreaterThan(0);
    expect(second.rates.delta.framesInBinary).toBe(
      second.counts.framesInBinary - first.counts.framesInBinary,
    );
    // Ada's ping was answered by workerd's auto-response, which the room reads as her last heartbeat.
    const adaRow = second.connections.find((c) => c.name === "Ada");
    expect(adaRow?.lastHeartbeat).not.toBeNull();

    // The raw JSON carries the hostile name only as an escaped string value.
    const raw = await (await local(`http://127.0.0.1/__inspect/${room}.json`)).text();
    expect(raw).toContain(JSON.stringify(HOSTILE));
    expect(JSON.parse(raw)).toMatchObject({ room });
  });

  it("serves a page that holds no room data, under a strict policy with a fresh nonce", async () => {
    const room = "inspect-page";
    await connect(room, { user: { name: HOSTILE, color: "#885522" } });
    const first = await local(`http://127.0.0.1/__inspect/${room}`);
    const second = await local(`http://127.0.0.1/__inspect/${room}`);
    expect(first.status).toBe(200);
    expect(first.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(first.headers.get("Cache-Control")).toBe("no-store");
    expect(first.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const policy = first.headers.get("Content-Security-Policy") ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("unsafe-inline");
    const nonce = /script-src 'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeDefined();
    expect(second.headers.get("Content-Security-Policy")).not.toBe(policy);
    const html = await first.text();
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("innerHTML");
    // Every script on the page runs by the nonce; there is no other.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain(`<script nonce="${nonce}">`);
  });
});
