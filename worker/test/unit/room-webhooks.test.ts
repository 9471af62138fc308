/**
 * What the room logic tells the host's backend (webhook effects): a person
 * joins and leaves once however many sockets they hold, the room turns
 * occupied and vacated around the first and last person, stored chat
 * messages are announced once, and an eviction followed by its close frame
 * says nothing twice.
 */
import { PROTOCOL_VERSION, type VerifiedIdentity, type WebhookEvent } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import type { Admission } from "../../src/room/admission.ts";
import { MemoryChatStore } from "../../src/room/chat-store.ts";
import type { Effect } from "../../src/room/effects.ts";
import { NEW_PEER, type PeerState } from "../../src/room/reaction.ts";
import { RoomLogic } from "../../src/room/room-logic.ts";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";

const NOW = 1_800_000_000_000;
const ada = { name: "Ada", color: "#c2255c" };
const open: Admission = { ok: true, verified: undefined, expiresAt: undefined, madePrivate: false };
const bo: VerifiedIdentity = { id: "bo-0000001", name: "Bo", color: "#2f9e44", scope: "edit" };

function newRoom(): RoomLogic {
  return new RoomLogic(
    { updates: new MemoryUpdateStore(), chat: new MemoryChatStore() },
    () => NOW,
    () => NOW,
  );
}

function webhooks(effects: readonly Effect[]): WebhookEvent[] {
  return effects.flatMap((e) => (e.kind === "webhook" ? [e.event] : []));
}

function types(effects: readonly Effect[]): string[] {
  return webhooks(effects).map((e) => e.type);
}

function peerOf(effects: readonly Effect[]): PeerState {
  const set = effects.filter((e) => e.kind === "set-peer").at(-1);
  if (set?.kind !== "set-peer") throw new Error("no peer state");
  return set.peer;
}

function hello(room: RoomLogic, socket: string, person: string, peer: PeerState = NEW_PEER) {
  const frame = JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, user: ada, person });
  const effects = room.received(socket, peer, frame, NOW);
  return { effects, peer: peerOf(effects) };
}

describe("webhooks from the room logic", () => {
  it("announces a person once across tabs, and the room occupied and vacated around them", () => {
    const room = newRoom();
    room.opened("s1", open, [], NOW);
    const first = hello(room, "s1", "ada-secret-0001");
    expect(types(first.effects)).toEqual(["room.occupied", "person.joined"]);
    const joined = webhooks(first.effects)[1];
    expect(joined).toMatchObject({ type: "person.joined", data: { people: 1, person: { name: "Ada" } } });
    expect(joined?.type === "person.joined" && joined.data.person.id).toMatch(/^anon-/);

    room.opened("s2", open, [], NOW);
    const second = hello(room, "s2", "ada-secret-0001");
    expect(types(second.effects)).toEqual([]);

    expect(types(room.closed("s1", first.peer, 1))).toEqual([]);
    expect(types(room.closed("s2", second.peer, 0))).toEqual(["person.left", "room.vacated"]);
  });

  it("counts a verified socket's person from the moment it opens, and says nothing twice for an eviction", () => {
    const room = newRoom();
    const opened = room.opened("v1", { ...open, verified: bo, expiresAt: NOW + 60_000 }, [], NOW);
    expect(webhooks(opened)).toEqual([
      { type: "room.occupied", data: { people: 1 } },
      { type: "person.joined", data: { people: 1, person: { id: bo.id, name: "Bo", color: bo.color } } },
    ]);
    const peer = peerOf(opened);
    const evicted = room.closed("v1", peer, 0, true);
    expect(types(evicted)).toEqual(["person.left", "room.vacated"]);
    // The close frame arrives later with the state the eviction left behind.
    expect(types(room.closed("v1", peerOf(evicted), 0))).toEqual([]);
  });

  it("announces a second person without re-occupying the room, and a socket without a person not at all", () => {
    const room = newRoom();
    hello(room, "a", "ada-secret-0001");
    expect(types(hello(room, "b", "bo-secret-00001").effects)).toEqual(["person.joined"]);
    const stock = room.opened("y", open, [], NOW);
    expect(types(stock)).toEqual([]);
  });

  it("announces a stored chat message once, not its retry", () => {
    const room = newRoom();
    const { peer } = hello(room, "a", "ada-secret-0001");
    const send = JSON.stringify({ type: "chat-send", id: "msg-000001", text: "hi" });
    const first = room.received("a", peer, send, NOW);
    expect(webhooks(first)).toMatchObject([
      { type: "chat.message", data: { message: { text: "hi", seq: 1 } } },
    ]);
    expect(types(room.received("a", peer, send, NOW))).toEqual([]);
  });
});
