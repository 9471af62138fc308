/**
 * The Worker's surface as an attacker sees it: names that are not rooms,
 * parties that do not exist, odd methods and headers. Nothing of this
 * creates a Durable Object, every answer says who may frame it, and no
 * answer carries a stack trace or a file path.
 */
import { listDurableObjectIds, runInDurableObject, SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Room } from "../../src/durable/room-server.ts";
import { connectClosedAfterEach, upgrade } from "../support/connect.ts";
import { TEST_EMBEDDER } from "@edgeroom/testkit";

const connect = connectClosedAfterEach();
const BASE = "http://edgeroom.test";
const FRAME_ANCESTORS = `frame-ancestors 'self' ${TEST_EMBEDDER}`;
const UPGRADE = { Upgrade: "websocket", Connection: "Upgrade" };
/** What a stack trace or a path in a response looks like. */
const stub = (room: string) => env.Room.get(env.Room.idFromName(room));
const LEAK = /\bat |\.ts:|\.js:|\/worker\/|node_modules|file:\/\//;

const BAD_NAMES = ["bad!name", "x".repeat(300), "caf%C3%A9", "%E0%A4%A", "%", "a%2Fb", "%00", "room%20name"];

async function createdObjects(): Promise<string[]> {
  return (await listDurableObjectIds(env.Room)).map((id) => id.toString());
}

function objectIdOf(name: string): string {
  return env.Room.idFromName(name).toString();
}

describe("room names", () => {
  it.each(BAD_NAMES)("refuses %s with 400 for GET, POST and upgrade, creating nothing", async (name) => {
    for (const init of [{}, { method: "POST", body: "x" }, { headers: UPGRADE }]) {
      const response = await SELF.fetch(`${BASE}/parties/room/${name}`, init);
      expect(response.status, JSON.stringify(init)).toBe(400);
      expect(response.headers.get("Content-Security-Policy")).toBe(FRAME_ANCESTORS);
      expect(await response.text()).not.toMatch(LEAK);
    }
    expect(await createdObjects()).not.toContain(objectIdOf(name));
  });

  it("answers a plain request to a valid room in the Worker, without waking the room", async () => {
    for (const method of ["GET", "POST", "DELETE", "OPTIONS"]) {
      const response = await SELF.fetch(`${BASE}/parties/room/quiet-room`, { method });
      expect(response.status, method).toBe(method === "GET" ? 426 : 405);
      expect(response.headers.get("Content-Security-Policy")).toBe(FRAME_ANCESTORS);
      await response.arrayBuffer();
    }
    expect(await createdObjects()).not.toContain(objectIdOf("quiet-room"));
  });

  it("answers unknown parties and paths under /parties/ with 404, addressing nothing", async () => {
    const before = await createdObjects();
    for (const path of [
      "/parties/",
      "/parties/nope/x",
      "/parties/room",
      "/parties/room/",
      "/parties/room/a/b",
    ]) {
      for (const headers of [{}, UPGRADE]) {
        const response = await SELF.fetch(`${BASE}${path}`, { headers });
        expect(response.status, path).toBe(404);
        expect(response.headers.get("Content-Security-Policy")).toBe(FRAME_ANCESTORS);
        expect(await response.text()).not.toMatch(LEAK);
      }
    }
    expect(await createdObjects()).toEqual(before);
  });

  it("still opens a valid room", async () => {
    const client = await connect("surface-ok", { user: { name: "Ada", color: "#225588" } });
    expect(client.text.toString()).toBe("");
    expect(await createdObjects()).toContain(objectIdOf("surface-ok"));
  });
});

describe("frame-ancestors on every response", () => {
  it("covers the embed config, refusals and the app", async () => {
    const responses = [
      await SELF.fetch(`${BASE}/embed-config.json`),
      await SELF.fetch(`${BASE}/parties/room/ok-room`),
      await upgrade("origin-refused", { headers: { Origin: "https://evil.example" } }),
      await SELF.fetch(`${BASE}/r/some-room`),
    ];
    for (const response of responses) {
      expect(response.headers.get("Content-Security-Policy"), response.url).toBe(FRAME_ANCESTORS);
      await response.arrayBuffer();
    }
  });
});

/** The text frames a socket gets in its first moments, and how it closes if it does. */
async function firstWords(path: string, headers: Record<string, string>) {
  const response = await SELF.fetch(`${BASE}${path}`, { headers: { ...UPGRADE, ...headers } });
  const body = response.webSocket ? "" : await response.text();
  const socket = response.webSocket;
  const texts: string[] = [];
  let closeCode: number | undefined;
  if (socket) {
    socket.accept();
    socket.addEventListener("message", (e) => typeof e.data === "string" && texts.push(e.data));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 300);
      socket.addEventListener("close", (e) => {
        closeCode = e.code;
        clearTimeout(timer);
        resolve();
      });
    });
    socket.close(1000, "done");
  }
  return {
    status: response.status,
    body,
    texts,
    closeCode,
    csp: response.headers.get("Content-Security-Policy"),
  };
}

describe("no stack traces", () => {
  it("a client-chosen connection id over 256 characters", async () => {
    const seen = await firstWords(`/parties/room/leak-pk?_pk=${"a".repeat(300)}`, {});
    expect(seen.texts.join("\n") + seen.body).not.toMatch(LEAK);
    expect(seen.closeCode).not.toBe(1011);
  });

  it("partyserver's internal props header, sent by the client", async () => {
    for (const props of ["%%%garbage", "eyJ4Ijp9"]) {
      const socket = await firstWords("/parties/room/leak-props", { "x-partykit-props": props });
      expect(socket.texts.join("\n") + socket.body).not.toMatch(LEAK);
      expect(socket.closeCode).not.toBe(1011);
      const plain = await SELF.fetch(`${BASE}/parties/room/leak-props`, {
        headers: { "x-partykit-props": props },
      });
      expect(plain.status).not.toBe(500);
      expect(await plain.text()).not.toMatch(LEAK);
    }
  });

  it("an exception while the room sets up a socket", async () => {
    await connect("leak-setup", { user: { name: "Ada", color: "#225588" } });
    await runInDurableObject(stub("leak-setup"), (instance: Room) => {
      instance.room.join = () => {
        throw new Error("boom\n    at join (/work/worker/src/room/room-logic.ts:1:1)");
      };
    });
    const seen = await firstWords("/parties/room/leak-setup", {});
    expect(seen.texts.join("\n") + seen.body).not.toMatch(LEAK);
    expect(seen.status).toBe(500);
    expect(seen.csp).toBe(FRAME_ANCESTORS);
  });
});

describe("origin check against the public origins", () => {
  it("refuses a page whose Host says it is the app (DNS rebinding) with 403", async () => {
    const response = await SELF.fetch("http://evil.test:8787/parties/room/rebind-room", {
      headers: { ...UPGRADE, Origin: "http://evil.test:8787" },
    });
    expect(response.status).toBe(403);
    expect(response.webSocket).toBeNull();
    expect(await createdObjects()).not.toContain(objectIdOf("rebind-room"));
  });

  it("lets in pages from the configured public origin, whatever Host the request carries", async () => {
    const response = await SELF.fetch("http://127.0.0.1:9999/parties/room/public-origin", {
      headers: { ...UPGRADE, Origin: "http://edgeroom.test" },
    });
    expect(response.status).toBe(101);
    response.webSocket?.accept();
    response.webSocket?.close(1000, "done");
  });
});
