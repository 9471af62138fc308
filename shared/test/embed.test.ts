import { describe, expect, it } from "vitest";
import {
  DEFAULT_EMBED_OPTIONS,
  embedQuery,
  LIMITS,
  parseEmbedEvent,
  parseEmbedOptions,
  parseHostCommand,
  readSubprotocols,
  tokenSubprotocols,
} from "../src/index.ts";

const query = (entries: Record<string, string>) => ({ get: (name: string) => entries[name] ?? null });

describe("embed options", () => {
  it("read the query and fall back to defaults for anything unknown", () => {
    expect(parseEmbedOptions(query({}))).toEqual(DEFAULT_EMBED_OPTIONS);
    const parsed = parseEmbedOptions(query({ mode: "view", chat: "0", theme: "dark", name: " Ada  L " }));
    expect(parsed).toEqual({ mode: "view", chat: false, theme: "dark", name: "Ada L", auth: "none" });
    expect(parseEmbedOptions(query({ mode: "admin", theme: "pink", name: " " }))).toEqual(
      DEFAULT_EMBED_OPTIONS,
    );
  });

  it("write back only what differs from the defaults", () => {
    expect(embedQuery(DEFAULT_EMBED_OPTIONS)).toEqual([]);
    const options = { ...DEFAULT_EMBED_OPTIONS, theme: "light" as const, auth: "token" as const };
    expect(embedQuery(options)).toEqual([
      ["theme", "light"],
      ["auth", "token"],
    ]);
    expect(parseEmbedOptions(query(Object.fromEntries(embedQuery(options))))).toEqual(options);
  });
});

describe("host commands", () => {
  it("parse only well-formed messages on our channel", () => {
    expect(parseHostCommand({ channel: "edgeroom", type: "set-user", name: "Ada" })).toEqual({
      channel: "edgeroom",
      type: "set-user",
      name: "Ada",
    });
    expect(parseHostCommand({ channel: "edgeroom", type: "set-user", color: "red" })).toBeUndefined();
    expect(parseHostCommand({ channel: "other", type: "set-theme", theme: "dark" })).toBeUndefined();
    expect(parseHostCommand({ channel: "edgeroom", type: "set-token", token: "not a jwt" })).toBeUndefined();
    expect(parseHostCommand("set-user")).toBeUndefined();
  });

  it("send-event carries a custom event checked by the shared schema: type, then size", () => {
    const send = (event: unknown) => parseHostCommand({ channel: "edgeroom", type: "send-event", event });
    expect(send({ type: "poll:vote", data: { choice: 2 } })).toEqual({
      channel: "edgeroom",
      type: "send-event",
      event: { type: "poll:vote", data: { choice: 2 } },
    });
    expect(send({ type: "ping" })).toBeDefined();
    expect(send({ type: "bad type" })).toBeUndefined();
    expect(send({ type: "-starts-with-dash" })).toBeUndefined();
    expect(send({ type: "x".repeat(LIMITS.maxCustomEventTypeLength + 1) })).toBeUndefined();
    expect(send({ type: "big", data: "x".repeat(LIMITS.maxCustomEventBytes) })).toBeUndefined();
    expect(send(undefined)).toBeUndefined();
  });
});

describe("embed events", () => {
  it("an event names its sender as the room knows it; an error names the command it answers", () => {
    const event = { channel: "edgeroom", type: "event", event: { type: "hi" }, from: { kind: "server" } };
    expect(parseEmbedEvent(event)).toEqual(event);
    expect(parseEmbedEvent({ ...event, from: { kind: "socket" } })).toBeUndefined();
    const error = {
      channel: "edgeroom",
      type: "error",
      command: "send-event",
      code: "read-only",
      message: "no",
    };
    expect(parseEmbedEvent(error)).toEqual(error);
    expect(parseEmbedEvent({ ...error, code: "anything" })).toBeUndefined();
  });
});

describe("token subprotocols", () => {
  it("carry the token next to the app protocol", () => {
    const offered = tokenSubprotocols("aaa.bbb.ccc").join(", ");
    expect(readSubprotocols(offered)).toEqual({ offered: true, token: "aaa.bbb.ccc" });
    expect(readSubprotocols(null)).toEqual({ offered: false, token: undefined });
  });
});
