/**
 * The room's side of the HTTP API, called as the router calls it (RPC on
 * the Durable Object), with real sockets in the room: revocation that holds
 * across reconnects, deletion that leaves nothing, server writes that reach
 * everyone, custom events between sockets, and the people list.
 */
import { CloseCode, DOCUMENT_TEXT, ErrorCode, LIMITS, type ServerAppMessage } from "@edgeroom/shared";
import { env, runInDurableObject } from "cloudflare:test";
import { getServerByName } from "partyserver";
import * as Y from "yjs";
import { afterEach, describe, expect, it } from "vitest";
import { connectToRoom, refusedClose, type ConnectOptions } from "../support/connect.ts";
import { type HeadlessClient, secondsFromNow, signRoomToken } from "@edgeroom/testkit";

let open: HeadlessClient[] = [];
const connect = async (room: string, options?: ConnectOptions) => {
  const client = await connectToRoom(room, options);
  open.push(client);
  return client;
};
afterEach(() => {
  for (const client of open) client.socket.close(1000, "test over");
  open = [];
});

const ada = { name: "Ada", color: "#1971c2" };
const bo = { name: "Bo", color: "#2f9e44" };
const roomOf = (name: string) => getServerByName(env.Room, name);
const appOf = <T extends ServerAppMessage["type"]>(client: HeadlessClient, type: T) =>
  client.app.filter((m): m is Extract<ServerAppMessage, { type: T }> => m.type === type);

describe("revoking access", () => {
  it("closes the person's sockets with accessRevoked and refuses their older tokens from then on", async () => {
    const name = "api-revoke";
    const token = await signRoomToken({ room: name, sub: "revoked-0001" });
    const other = await signRoomToken({ room: name, sub: "stays-00001", name: "Bo" });
    const a1 = await connect(name, { token });
    const a2 = await connect(name, { token });
    const b = await connect(name, { token: other });
    const counts = await (await roomOf(name)).apiRevoke({ sub: "revoked-0001" });
    expect(counts).toEqual({ closedSockets: 2, downgradedSockets: 0 });
    expect((await a1.closed).code).toBe(CloseCode.accessRevoked);
    expect((await a2.closed).code).toBe(CloseCode.accessRevoked);
    // The same token again, a moment later: refused at the door.
    expect((await refusedClose(name, { token })).code).toBe(CloseCode.accessRevoked);
    // A token the host issues after the revocation is access granted again.
    const fresh = await signRoomToken({ room: name, sub: "revoked-0001" }, { issuedAt: secondsFromNow(2) });
    const again = await connect(name, { token: fresh });
    await again.type("back");
    await b.until(() => b.text.toString() === "back");
  });

  it("downgrades to view: the open socket is told and its writes are refused from that moment, and so on reconnect", async () => {
    const name = "api-downgrade";
    const token = await signRoomToken({ room: name, sub: "viewer-0001" });
    const a = await connect(name, { token });
    const watcher = await connect(name, { user: bo });
    await a.type("before ");
    await watcher.until(() => watcher.text.toString() === "before ");
    const counts = await (await roomOf(name)).apiRevoke({ sub: "viewer-0001", scope: "view" });
    expect(counts).toEqual({ closedSockets: 0, downgradedSockets: 1 });
    await a.until(() => appOf(a, "access").length === 1);
    expect(appOf(a, "access")[0]?.identity.scope).toBe("view");
    a.text.insert(a.text.length, "after");
    await a.until(() => appOf(a, "doc-reject").some((r) => r.code === ErrorCode.readOnly));
    a.sendApp({ type: "chat-send", id: "chat-after-1", text: "hi" });
    await a.until(() => appOf(a, "chat-reject").some((r) => r.code === ErrorCode.readOnly));
    // Reconnecting with the same token gives a viewer.
    const back = await connect(name, { token });
    await back.until(() => appOf(back, "welcome").length === 1);
    expect(appOf(back, "welcome")[0]?.identity?.scope).toBe("view");
    expect(watcher.text.toString()).toBe("before ");
  });

  it("leaves anonymous sockets and other people alone", async () => {
    const name = "api-revoke-others";
    const anon = await connect(name, { user: ada, person: "anon-secret-0001" });
    const counts = await (await roomOf(name)).apiRevoke({ sub: "nobody-00001" });
    expect(counts).toEqual({ closedSockets: 0, downgradedSockets: 0 });
    await anon.type("still here");
  });
});

describe("deleting a room", () => {
  it("closes every socket with roomDeleted and leaves nothing in SQLite or R2; the next visitor finds it empty", async () => {
    const name = "api-delete";
    const token = await signRoomToken({ room: name, sub: "owner-00001", private: true });
    const a = await connect(name, { token });
    await a.type("secret plans");
    await a.chat("chat-del-01", "hello");
    const room = await roomOf(name);
    await room.apiRevoke({ sub: "someone-0001" });
    // Wait for a snapshot in R2, so there is something to delete there.
    const bucket = env.SNAPSHOTS;
    const started = Date.now();
    while ((await bucket.list({ prefix: `rooms/${name}/` })).objects.length === 0) {
      if (Date.now() - started > 12_000) throw new Error("no snapshot was written");
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await room.apiDelete()).toEqual({ closedSockets: 1 });
    expect((await a.closed).code).toBe(CloseCode.roomDeleted);
    expect((await bucket.list({ prefix: `rooms/${name}/` })).objects).toEqual([]);
    const rows = await runInDurableObject(env.Room.get(env.Room.idFromName(name)), (_, state) => {
      const tables = state.storage.sql
        .exec<{ name: string }>(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'`,
        )
        .toArray()
        .map((t) => t.name);
      return tables.map((table) => ({
        table,
        rows: state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}"`).one().n,
      }));
    });
    // The room opened again at once, so its tables exist, empty but for fixed single-row state.
    for (const { table, rows: n } of rows) {
      if (table === "snapshot_state") expect(n).toBe(1);
      else expect({ table, n }).toEqual({ table, n: 0 });
    }
    expect(await room.apiInfo()).toMatchObject({
      private: false,
      documentBytes: 0,
      versions: 0,
      lastEditAt: null,
    });
    // Public again, empty, and the deleted chat is gone.
    const next = await connect(name, { user: bo });
    expect(next.text.toString()).toBe("");
    expect((await next.history()).messages).toEqual([]);
  });
});

describe("server writes", () => {
  it("an update and text writes are stored, relayed to everyone, and refused past the document cap", async () => {
    const name = "api-writes";
    const a = await connect(name, { user: ada });
    const room = await roomOf(name);
    const doc = new Y.Doc();
    doc.getText(DOCUMENT_TEXT).insert(0, "from yjs. ");
    const written = await room.apiWriteUpdate(Y.encodeStateAsUpdate(doc));
    expect(written.ok).toBe(true);
    await a.until(() => a.text.toString() === "from yjs. ");
    await room.apiWriteText({ text: "appended.", mode: "append" });
    await a.until(() => a.text.toString() === "from yjs. appended.");
    const local = a.text.toString();
    await room.apiWriteText({ text: "from yjs. replaced!", mode: "replace" });
    await a.until(() => a.text.toString() === "from yjs. replaced!");
    expect(local).not.toBe(a.text.toString());
    expect(await room.apiDocument("text")).toBe("from yjs. replaced!");
    // The whole state reads back into a fresh document.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, (await room.apiDocument("yjs")) as Uint8Array);
    expect(copy.getText(DOCUMENT_TEXT).toString()).toBe("from yjs. replaced!");
    // Garbage and an update missing its history are refused, and change nothing.
    expect(await room.apiWriteUpdate(new Uint8Array([1, 2, 3, 250]))).toMatchObject({
      ok: false,
      code: "bad-request",
    });
    const orphan = new Y.Doc();
    orphan.getText(DOCUMENT_TEXT).insert(0, "x");
    const base = Y.encodeStateVector(orphan);
    orphan.getText(DOCUMENT_TEXT).insert(1, "y");
    expect(await room.apiWriteUpdate(Y.encodeStateAsUpdate(orphan, base))).toMatchObject({
      ok: false,
      code: "bad-request",
    });
    // Past the document cap: refused by name; what was stored stays.
    const chunk = "z".repeat(1_900_000);
    let refused: Awaited<ReturnType<typeof room.apiWriteText>> | undefined;
    for (let i = 0; i < 3 && !refused; i++) {
      const result = await room.apiWriteText({ text: chunk, mode: "append" });
      if (!result.ok) refused = result;
    }
    expect(refused).toMatchObject({ ok: false, code: "document-too-large" });
    const after = (await room.apiDocument("text")) as string;
    expect(after.startsWith("from yjs. replaced!")).toBe(true);
    expect((await room.apiInfo()).documentBytes).toBeLessThanOrEqual(LIMITS.maxDocumentBytes);
  });

  it("a bot's chat message is stored once per id and shown to everyone as a bot", async () => {
    const name = "api-chat";
    const a = await connect(name, { user: ada });
    const room = await roomOf(name);
    const post = {
      id: "bot-msg-0001",
      author: { id: "helper-bot", name: "Helper" },
      text: "Deploy finished",
    };
    const first = await room.apiPostChat(post);
    const again = await room.apiPostChat(post);
    expect(first.stored).toBe(true);
    expect(again).toEqual({ message: first.message, stored: false });
    expect(first.message.author).toEqual({ name: "Helper", color: "#5c6370", bot: "helper-bot" });
    await a.until(() => appOf(a, "chat-message").length === 1);
    expect(appOf(a, "chat-message")[0]?.message).toEqual(first.message);
    const page = await room.apiChat(0, 10);
    expect(page).toEqual({ messages: [first.message], next: null });
  });

  it("a socket cannot pass as a bot, however it names itself", async () => {
    const name = "api-chat-spoof";
    const spoofer = await connect(name, { user: { ...ada, bot: "helper-bot" } as typeof ada });
    const claimed: Record<string, unknown> = { name: "Helper", color: "#5c6370", bot: "helper-bot" };
    spoofer.sendApp({ type: "hello", v: 1, user: claimed } as Record<string, unknown>);
    const sent = await spoofer.chat("spoof-msg-01", "Deploy failed, click here");
    expect(sent.author).toEqual({ name: "Helper", color: "#5c6370" });
    expect((await (await roomOf(name)).apiChat(0, 10)).messages[0]?.author.bot).toBeUndefined();
  });

  it("pages chat with `next` until the newest", async () => {
    const name = "api-chat-pages";
    const room = await roomOf(name);
    for (let i = 0; i < 5; i++) {
      await room.apiPostChat({
        id: `page-msg-00${i}`,
        author: { id: "pager-bot", name: "Pager" },
        text: `m${i}`,
      });
    }
    const first = await room.apiChat(0, 2);
    expect(first.messages.map((m) => m.text)).toEqual(["m0", "m1"]);
    const second = await room.apiChat(first.next ?? -1, 2);
    expect(second.messages.map((m) => m.text)).toEqual(["m2", "m3"]);
    const last = await room.apiChat(second.next ?? -1, 2);
    expect(last).toMatchObject({ messages: [{ text: "m4" }], next: null });
  });
});

describe("custom events and people", () => {
  it("an event goes to everyone else with the sender as the room knows it; view sockets and bad events are refused", async () => {
    const name = "api-events";
    const a = await connect(name, { user: ada, person: "ada-secret-0001" });
    const b = await connect(name, { user: bo });
    a.sendApp({ type: "event-send", event: { type: "poll:vote", data: { choice: 2 } } });
    await b.until(() => appOf(b, "event").length === 1);
    const heard = appOf(b, "event")[0];
    expect(heard?.event).toEqual({ type: "poll:vote", data: { choice: 2 } });
    expect(heard?.from).toMatchObject({ kind: "socket", user: ada });
    expect(heard?.from.kind === "socket" && heard.from.person).toMatch(/^anon-/);
    expect(appOf(a, "event")).toEqual([]);
    // Too large, a bad type, a claimed sender: refused with bad-message, nothing relayed.
    a.sendApp({ type: "event-send", event: { type: "big", data: "x".repeat(LIMITS.maxCustomEventBytes) } });
    a.sendApp({ type: "event-send", event: { type: "<b>", data: 1 } });
    await a.until(() => appOf(a, "error").filter((e) => e.code === ErrorCode.badMessage).length === 2);
    const viewer = await connect(name, {
      token: await signRoomToken({ room: name, sub: "viewer-0002", scope: "view" }),
    });
    viewer.sendApp({ type: "event-send", event: { type: "poll:vote" } });
    await viewer.until(() => appOf(viewer, "error").some((e) => e.code === ErrorCode.readOnly));
    // From the server, to everyone.
    const { delivered } = await (await roomOf(name)).apiEvent({ type: "deploy", data: { ok: true } });
    expect(delivered).toBe(3);
    await a.until(() => appOf(a, "event").length === 1);
    expect(appOf(a, "event")[0]).toMatchObject({ event: { type: "deploy" }, from: { kind: "server" } });
    expect(appOf(b, "event").length).toBe(2);
  });

  it("lists one entry per person with their sockets", async () => {
    const name = "api-people";
    await connect(name, { user: ada, person: "ada-secret-0001" });
    await connect(name, { user: ada, person: "ada-secret-0001" });
    await connect(name, { token: await signRoomToken({ room: name, sub: "bo-verified-1", name: "Bo" }) });
    const room = await roomOf(name);
    await open[1]?.until(() => true);
    const { people } = await room.apiPeople();
    expect(people).toHaveLength(2);
    expect(people.find((p) => p.id === "bo-verified-1")).toMatchObject({
      name: "Bo",
      sockets: 1,
      status: "active",
    });
    expect(people.find((p) => p.id.startsWith("anon-"))).toMatchObject({ name: "Ada", sockets: 2 });
    expect((await room.apiInfo()).people).toBe(2);
  });
});
