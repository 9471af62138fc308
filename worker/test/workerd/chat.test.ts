import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { connectToRoom } from "../support/connect.ts";
import type { HeadlessClient } from "@edgeroom/testkit";

const ada = { name: "Ada", color: "#c2255c" };
const bo = { name: "Bo", color: "#1971c2" };
let open: HeadlessClient[] = [];

async function connect(room: string, user = ada): Promise<HeadlessClient> {
  const client = await connectToRoom(room, { user });
  open.push(client);
  return client;
}

afterEach(() => {
  for (const client of open) client.socket.close(1000, "test over");
  open = [];
});

function storedMessages(room: string): Promise<number> {
  return runInDurableObject(env.Room.get(env.Room.idFromName(room)), (_instance, state) =>
    Number(state.storage.sql.exec("SELECT COUNT(*) AS n FROM chat_messages").one()["n"]),
  );
}

describe("room chat", () => {
  it("orders messages by a per-room sequence, stores them before the ack and relays each once", async () => {
    const a = await connect("chat-order");
    const b = await connect("chat-order", bo);
    const first = await a.chat("order-0001", "first");
    expect(await storedMessages("chat-order")).toBe(1);
    const second = await b.chat("order-0002", "second");
    const third = await a.chat("order-0003", "third");
    expect([first.seq, second.seq, third.seq]).toEqual([1, 2, 3]);
    expect(second.author).toEqual(bo);
    await b.until(() => b.chatReceived.length === 2);
    expect(b.chatReceived.map((m) => m.text)).toEqual(["first", "third"]);
    expect(a.chatReceived.map((m) => m.text)).toEqual(["second"]);
  });

  it("stores a retried message id once, even from a new socket", async () => {
    const a = await connect("chat-idempotent");
    const b = await connect("chat-idempotent", bo);
    const original = await a.chat("same-id-001", "only once");
    a.socket.close(1000, "reconnecting");
    const again = await connect("chat-idempotent");
    const retried = await again.chat("same-id-001", "only once");
    expect(retried).toEqual(original);
    expect(await storedMessages("chat-idempotent")).toBe(1);
    await b.chat("after-retry-1", "sync point");
    expect(b.chatReceived.map((m) => m.id)).toEqual(["same-id-001"]);
  });

  it("pages history by sequence and catches up after a given sequence", async () => {
    const a = await connect("chat-paging");
    for (let i = 1; i <= 60; i++) await a.chat(`page-${String(i).padStart(4, "0")}`, `message ${i}`);
    const latest = await a.history();
    expect(latest.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 11 + i));
    expect(latest.hasEarlier).toBe(true);
    const earlier = await a.history({ before: 11 });
    expect(earlier.messages.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 1 + i));
    expect(earlier.hasEarlier).toBe(false);
    const after = await a.history({ after: 57 });
    expect(after.messages.map((m) => m.text)).toEqual(["message 58", "message 59", "message 60"]);
  });

  it("keeps history when the object is evicted", async () => {
    const a = await connect("chat-evicted");
    await a.chat("evict-0001", "still here");
    a.socket.close(1000, "bye");
    open = [];
    await expect.poll(() => storedMessages("chat-evicted")).toBe(1);
    await abortAllDurableObjects();
    const b = await connect("chat-evicted", bo);
    const history = await b.history();
    expect(history.messages.map((m) => [m.text, m.author.name])).toEqual([["still here", "Ada"]]);
  });

  it("refuses malformed and over-long messages with a reason and stores nothing", async () => {
    const a = await connect("chat-bad");
    a.sendApp({ type: "chat-send", id: "bad-length-1", text: "x".repeat(2001) });
    a.sendApp({ type: "chat-send", id: "../../etc", text: "hi" });
    a.sendApp({ type: "chat-send", id: "no-text-001" });
    a.socket.send("<script>alert(1)</script>");
    await a.until(() => a.app.filter((m) => m.type === "error").length === 4);
    expect(a.app.filter((m) => m.type === "error").map((m) => m.type === "error" && m.code)).toEqual([
      "bad-message",
      "bad-message",
      "bad-message",
      "bad-message",
    ]);
    expect(await storedMessages("chat-bad")).toBe(0);
  });

  it("relays typing leases to others and ends them when the typist leaves", async () => {
    const a = await connect("chat-typing");
    const b = await connect("chat-typing", bo);
    a.sendApp({ type: "typing", active: true });
    await b.until(() => b.app.some((m) => m.type === "typing" && m.active));
    a.socket.close(1000, "closed the tab");
    await b.until(() => b.app.some((m) => m.type === "typing" && !m.active));
    expect(a.app.some((m) => m.type === "typing")).toBe(false);
  });
});
