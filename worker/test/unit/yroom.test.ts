import {
  encodeAwarenessFrame,
  encodeSyncStep1,
  encodeSyncUpdate,
  parseYFrame,
  type YFrame,
} from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MemoryUpdateStore } from "../../src/room/update-store.ts";
import { NEW_PEER, type Outbound, type PeerState } from "../../src/room/reaction.ts";
import { YRoom } from "../../src/room/yroom.ts";

function frames(out: Outbound[], to: "sender" | "others"): YFrame[] {
  return out.flatMap((o) => {
    if (o.to !== to || !("binary" in o)) return [];
    const parsed = parseYFrame(o.binary);
    if (!parsed.ok) throw new Error(parsed.error);
    return [parsed.value];
  });
}

const appPeer = (_room: YRoom): PeerState => ({ appLane: true, awareness: [] });

function editUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("content").insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe("YRoom", () => {
  it("greets a new socket with sync step 1 and sends no app frame before hello", () => {
    const room = new YRoom(new MemoryUpdateStore());
    const { out } = room.join();
    expect(frames(out, "sender").map((f) => f.kind)).toEqual(["sync-step1"]);
    expect(out.some((o) => "app" in o)).toBe(false);
  });

  it("stores an update before relaying it and acknowledges app-lane senders only", () => {
    const store = new MemoryUpdateStore();
    const room = new YRoom(store);
    const peer = appPeer(room);

    const { out } = room.receiveBinary("a", peer, encodeSyncUpdate(editUpdate("hello")));
    expect(store.logLength()).toBe(1);
    expect(frames(out, "others").map((f) => f.kind)).toEqual(["sync-update"]);
    expect(out.filter((o) => "app" in o).map((o) => ("app" in o ? o.app.type : ""))).toEqual(["doc-ack"]);

    const stock = room.receiveBinary("b", NEW_PEER, encodeSyncUpdate(editUpdate("x")));
    expect(stock.out.some((o) => "app" in o)).toBe(false);
    expect(store.logLength()).toBe(2);
  });

  it("stores and relays nothing for an update the room already has, but still acknowledges it", () => {
    const store = new MemoryUpdateStore();
    const room = new YRoom(store);
    const peer = appPeer(room);
    const update = editUpdate("once");
    room.receiveBinary("a", peer, encodeSyncUpdate(update));
    const again = room.receiveBinary("a", peer, encodeSyncUpdate(update));
    expect(store.logLength()).toBe(1);
    expect(frames(again.out, "others")).toEqual([]);
    expect(again.out.some((o) => "app" in o && o.app.type === "doc-ack")).toBe(true);
  });

  it("answers sync step 1 with exactly the missing content", () => {
    const room = new YRoom(new MemoryUpdateStore());
    room.receiveBinary("a", NEW_PEER, encodeSyncUpdate(editUpdate("shared text")));
    const late = new Y.Doc();
    const reply = frames(room.receiveBinary("c", NEW_PEER, encodeSyncStep1(late)).out, "sender");
    expect(reply[0]?.kind).toBe("sync-step2");
    if (reply[0]?.kind === "sync-step2") Y.applyUpdate(late, reply[0].update);
    expect(late.getText("content").toString()).toBe("shared text");
  });

  it("rebuilds the document from its store, before and after compaction", () => {
    const store = new MemoryUpdateStore();
    const room = new YRoom(store);
    for (const word of ["one ", "two ", "three"]) {
      room.receiveBinary("a", NEW_PEER, encodeSyncUpdate(editUpdate(word)));
    }
    const before = new YRoom(store).doc.getText("content").toString();
    room.compact();
    expect(store.logLength()).toBe(0);
    expect(new YRoom(store).doc.getText("content").toString()).toBe(before);
    expect(before).toHaveLength("one two three".length);
  });

  it("refuses malformed frames with a reason and stores nothing; a broken update gets its doc-reject", () => {
    const store = new MemoryUpdateStore();
    const room = new YRoom(store);
    const peer = appPeer(room);
    for (const bad of [new Uint8Array([0]), new Uint8Array([9, 9])]) {
      const { out } = room.receiveBinary("a", peer, bad);
      expect(out).toEqual([
        { to: "sender", app: expect.objectContaining({ type: "error", code: "bad-frame" }) },
      ]);
    }
    // An update frame is answered by one doc-ack or doc-reject whatever is wrong with it, so clients can count.
    const truncated = encodeSyncUpdate(editUpdate("hello")).slice(0, 6);
    expect(room.receiveBinary("a", peer, truncated).out).toEqual([
      { to: "sender", app: expect.objectContaining({ type: "doc-reject", code: "bad-frame" }) },
    ]);
    expect(store.logLength()).toBe(0);
  });

  it("relays awareness, ignores stale echoes and other sockets' clients, and removes a leaver's states", () => {
    const room = new YRoom(new MemoryUpdateStore());
    const state = (name: string) => JSON.stringify({ user: { name, color: "#336699" } });
    const first = room.receiveBinary(
      "a",
      NEW_PEER,
      encodeAwarenessFrame([{ clientId: 7, clock: 1, stateJson: state("Ada") }]),
    );
    expect(frames(first.out, "others")[0]).toMatchObject({ kind: "awareness" });
    expect(first.peer?.awareness.map((e) => e.clientId)).toEqual([7]);

    const echo = room.receiveBinary(
      "b",
      NEW_PEER,
      encodeAwarenessFrame([{ clientId: 7, clock: 1, stateJson: state("Ada") }]),
    );
    expect(echo.out).toEqual([]);
    const spoof = room.receiveBinary(
      "b",
      NEW_PEER,
      encodeAwarenessFrame([{ clientId: 7, clock: 5, stateJson: state("Eve") }]),
    );
    expect(spoof.out).toEqual([]);

    expect(frames(room.join().out, "sender").map((f) => f.kind)).toEqual(["sync-step1", "awareness"]);
    const left = frames(room.leave("a").out, "others");
    expect(left[0]).toMatchObject({
      kind: "awareness",
      entries: [{ clientId: 7, clock: 2, stateJson: "null" }],
    });
    expect(frames(room.join().out, "sender").map((f) => f.kind)).toEqual(["sync-step1"]);
  });

  it("restores awareness owned by sockets that stayed open across hibernation", () => {
    const room = new YRoom(new MemoryUpdateStore());
    const entry = {
      clientId: 3,
      clock: 4,
      stateJson: JSON.stringify({ user: { name: "Bo", color: "#aa3300" } }),
    };
    room.restorePeers([{ id: "a", state: { appLane: true, awareness: [entry] } }]);
    const present = frames(room.join().out, "sender").find((f) => f.kind === "awareness");
    expect(present).toMatchObject({ kind: "awareness", entries: [entry] });
  });
});

describe("reconnect sync", () => {
  it("answers a reconnecting client's state vector with only what it lacks", () => {
    const room = new YRoom(new MemoryUpdateStore());
    const author = new Y.Doc();
    author.getText("content").insert(0, "lorem ipsum ".repeat(20_000));
    const peer = NEW_PEER;
    room.receiveBinary("author", peer, encodeSyncUpdate(Y.encodeStateAsUpdate(author)));
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(author));
    const before = Y.encodeStateVector(author);
    author.getText("content").insert(5, " and a little more");
    room.receiveBinary("author", peer, encodeSyncUpdate(Y.encodeStateAsUpdate(author, before)));
    const reply = room.receiveBinary("client", peer, encodeSyncStep1(client)).out[0];
    if (!reply || !("binary" in reply)) throw new Error("no sync step 2");
    const parsed = parseYFrame(reply.binary);
    if (!parsed.ok || parsed.value.kind !== "sync-step2") throw new Error("not a sync step 2");
    Y.applyUpdate(client, parsed.value.update);
    expect(client.getText("content").toString()).toBe(author.getText("content").toString());
    const whole = Y.encodeStateAsUpdate(author).byteLength;
    expect(reply.binary.byteLength).toBeLessThan(whole / 1000);
  });
});
