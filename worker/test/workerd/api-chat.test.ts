/** Chat through the API: read by sequence, post as a bot (idempotent), seen by sockets as a bot's message. */
import { ApiErrorCode, LIMITS, type ChatMessage } from "@edgeroom/shared";
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, apiErrorOf } from "../support/api-client.ts";
import { connectClosedAfterEach } from "../support/connect.ts";

const connect = connectClosedAfterEach();
const bot = { id: "build-bot-1", name: "Build bot", color: "#2b8a3e" };

function post(room: string, body: unknown): Promise<Response> {
  return api(`/api/v1/rooms/${room}/chat`, { method: "POST", json: body });
}

function storedMessages(room: string): Promise<number> {
  return runInDurableObject(env.Room.get(env.Room.idFromName(room)), (_instance, state) =>
    Number(state.storage.sql.exec("SELECT COUNT(*) AS n FROM chat_messages").one()["n"]),
  );
}

interface Page {
  messages: ChatMessage[];
  next: number | null;
}

async function page(room: string, query = ""): Promise<Page> {
  const response = await api(`/api/v1/rooms/${room}/chat${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

describe("POST chat", () => {
  it("stores a bot's message (201) and shows it to sockets as from that bot", async () => {
    const room = "chat-api-post";
    const client = await connect(room, { user: { name: "Ada", color: "#c2255c" } });
    const response = await post(room, { id: "deploy-000001", author: bot, text: "Deployed v1.2" });
    expect(response.status).toBe(201);
    const { message } = (await response.json()) as { message: ChatMessage };
    expect(message).toMatchObject({
      id: "deploy-000001",
      seq: 1,
      text: "Deployed v1.2",
      author: { name: "Build bot", color: "#2b8a3e", bot: "build-bot-1" },
    });
    expect(await storedMessages(room)).toBe(1);
    await client.until(() => client.chatReceived.length === 1);
    expect(client.chatReceived[0]).toEqual(message);
  });

  it("stores a repeated id once: 201, then 200 with the original message", async () => {
    const room = "chat-api-idempotent";
    const client = await connect(room, { user: { name: "Ada", color: "#c2255c" } });
    const body = { id: "retry-000001", author: bot, text: "only once" };
    const first = await post(room, body);
    expect(first.status).toBe(201);
    const original = ((await first.json()) as { message: ChatMessage }).message;
    const again = await post(room, { ...body, text: "changed on retry" });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { message: ChatMessage }).message).toEqual(original);
    expect(await storedMessages(room)).toBe(1);
    await client.chat("sync-point-01", "sync point");
    expect(client.chatReceived.map((m) => m.id)).toEqual(["retry-000001"]);
  });

  it("gives a bot a colour when it names none, and never lets a body set `bot` or other fields", async () => {
    const room = "chat-api-fields";
    const response = await post(room, {
      id: "fields-000001",
      author: { id: "bot-000002", name: "Plain bot", bot: "someone-else", admin: true },
      text: "hi",
      seq: 999,
      at: 0,
      __proto__: { polluted: true },
    });
    expect(response.status).toBe(201);
    const { message } = (await response.json()) as { message: ChatMessage };
    expect(message.author.bot).toBe("bot-000002");
    expect(message.author.color).toMatch(/^#[0-9a-fA-F]{6}$/);
    expect(message.seq).toBe(1);
    expect(message.at).toBeGreaterThan(0);
    expect(Object.keys(message.author).sort()).toEqual(["bot", "color", "name"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("refuses bad bodies with 400 and stores nothing", async () => {
    const room = "chat-api-bad";
    expect((await post(room, { id: "good-000001", author: bot, text: "first" })).status).toBe(201);
    for (const body of [
      { id: "bad", author: bot, text: "x" },
      { id: "bad-000001", author: { ...bot, name: "" }, text: "x" },
      { id: "bad-000002", author: bot, text: "" },
      { id: "bad-000003", author: bot, text: "x".repeat(LIMITS.maxChatMessageLength + 1) },
      { id: "bad-000004", text: "no author" },
    ]) {
      const response = await post(room, body);
      expect(response.status).toBe(400);
      expect((await apiErrorOf(response)).code).toBe(ApiErrorCode.badRequest);
    }
    expect(await storedMessages(room)).toBe(1);
  });
});

describe("GET chat", () => {
  it("pages by sequence with after and limit, oldest first, sockets' and bots' messages alike", async () => {
    const room = "chat-api-pages";
    const client = await connect(room, { user: { name: "Ada", color: "#c2255c" } });
    for (let i = 1; i <= 5; i++) await client.chat(`sock-${String(i).padStart(6, "0")}`, `socket ${i}`);
    for (let i = 6; i <= 8; i++) {
      expect(
        (await post(room, { id: `bot-${String(i).padStart(6, "0")}`, author: bot, text: `bot ${i}` })).status,
      ).toBe(201);
    }
    const all = await page(room);
    expect(all.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(all.messages[0]).toMatchObject({ text: "socket 1", author: { name: "Ada" } });
    expect(all.messages[0]!.author.bot).toBeUndefined();
    expect(all.messages[7]!.author.bot).toBe(bot.id);
    expect(all.next).toBeNull();
    const first = await page(room, "?limit=3");
    expect(first.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(first.next).toBe(3);
    const second = await page(room, `?after=${first.next}&limit=3`);
    expect(second.messages.map((m) => m.seq)).toEqual([4, 5, 6]);
    const last = await page(room, `?after=6&limit=3`);
    expect(last.messages.map((m) => m.seq)).toEqual([7, 8]);
    expect(last.next).toBeNull();
    expect((await page(room, "?after=8")).messages).toEqual([]);
  });

  it(`answers at most ${LIMITS.apiChatPageMax} messages by default`, { timeout: 60_000 }, async () => {
    const room = "chat-api-default-limit";
    const total = LIMITS.apiChatPageMax + 5;
    for (let i = 1; i <= total; i++) {
      expect(
        (await post(room, { id: `many-${String(i).padStart(6, "0")}`, author: bot, text: `${i}` })).status,
      ).toBe(201);
    }
    const first = await page(room);
    expect(first.messages).toHaveLength(LIMITS.apiChatPageMax);
    expect(first.next).toBe(LIMITS.apiChatPageMax);
    expect((await page(room, `?after=${first.next}`)).messages.map((m) => m.seq)).toEqual([
      201, 202, 203, 204, 205,
    ]);
  });

  it("answers an empty page for a room never used", async () => {
    expect(await page("chat-api-never-used")).toEqual({ messages: [], next: null });
  });
});
