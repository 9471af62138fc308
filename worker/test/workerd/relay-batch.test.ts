/**
 * The room's outgoing batch (durable/relay-batch.ts) on its own, with
 * sockets that record what they are sent: updates that arrive together go
 * out as one merged frame per socket, without the socket's own; nothing is
 * sent before the write hook ran; a send queued behind an update never
 * overtakes it. Then the whole room: a burst of updates from two writers
 * reaches an observer as fewer frames than updates, every update stored
 * before its acknowledgement.
 */
import { encodeSyncUpdate, parseYFrame } from "@edgeroom/shared";
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { RelayBatch } from "../../src/durable/relay-batch.ts";
import { connectClosedAfterEach } from "../support/connect.ts";

interface FakeSocket {
  readyState: number;
  sent: (string | Uint8Array)[];
  send(data: string | Uint8Array): void;
}

function socket(): FakeSocket {
  const fake: FakeSocket = {
    readyState: WebSocket.OPEN,
    sent: [],
    send: (data) => void fake.sent.push(data),
  };
  return fake;
}

function update(doc: Y.Doc, text: string): Uint8Array {
  let made: Uint8Array | undefined;
  const listen = (u: Uint8Array) => (made = u);
  doc.on("update", listen);
  doc.getText("content").insert(doc.getText("content").length, text);
  doc.off("update", listen);
  return made!;
}

function textOf(frames: (string | Uint8Array)[]): string {
  const doc = new Y.Doc();
  for (const frame of frames) {
    if (typeof frame === "string") continue;
    const parsed = parseYFrame(frame);
    if (parsed.ok && parsed.value.kind === "sync-update") Y.applyUpdate(doc, parsed.value.update);
  }
  return doc.getText("content").toString();
}

describe("the relay batch", () => {
  it("writes first, then sends each socket one merged frame without its own updates, then what queued behind", () => {
    const events: string[] = [];
    const batch = new RelayBatch(() => events.push("write"));
    const [ada, bo, watcher] = [socket(), socket(), socket()];
    for (const s of [ada, bo, watcher]) {
      const send = s.send;
      s.send = (data) => {
        events.push("send");
        send(data);
      };
    }
    const adaDoc = new Y.Doc();
    const boDoc = new Y.Doc();
    const sockets = [ada, bo, watcher] as unknown as WebSocket[];
    const flush = () => batch.flush(sockets);
    expect(batch.add(encodeSyncUpdate(update(adaDoc, "a1")), sockets[0], flush)).toBe(true);
    batch.later(() => ada.send("ack 1"));
    expect(batch.add(encodeSyncUpdate(update(boDoc, "b1")), sockets[1], flush)).toBe(true);
    expect(batch.add(encodeSyncUpdate(update(adaDoc, "a2")), sockets[0], flush)).toBe(true);
    batch.later(() => ada.send("ack 2"));
    expect(events).toEqual([]);

    batch.flush(sockets);
    expect(events[0]).toBe("write");
    expect(events.filter((e) => e === "write")).toHaveLength(1);
    // One document frame each: the watcher gets everything, Ada only Bo's, Bo only Ada's.
    expect(watcher.sent).toHaveLength(1);
    expect(textOf(watcher.sent)).toContain("a1a2");
    expect(textOf(watcher.sent)).toContain("b1");
    expect(textOf(ada.sent)).toBe("b1");
    expect(textOf(bo.sent)).toBe("a1a2");
    // Ada's acknowledgements come after the frame that went out before them.
    expect(ada.sent.slice(1)).toEqual(["ack 1", "ack 2"]);
    expect(batch.waiting).toBe(false);
  });

  it("leaves other frames alone, skips closed sockets, and drops everything on clear", () => {
    const batch = new RelayBatch(() => undefined);
    const open = socket();
    const closed = { ...socket(), readyState: WebSocket.CLOSED };
    const sockets = [open, closed] as unknown as WebSocket[];
    expect(batch.add(new Uint8Array([1, 0]), undefined, () => undefined)).toBe(false);
    batch.add(encodeSyncUpdate(update(new Y.Doc(), "x")), undefined, () => undefined);
    batch.flush(sockets);
    expect(open.sent).toHaveLength(1);
    expect(closed.sent).toHaveLength(0);
    batch.add(encodeSyncUpdate(update(new Y.Doc(), "y")), undefined, () => undefined);
    batch.clear();
    batch.flush(sockets);
    expect(open.sent).toHaveLength(1);
  });
});

describe("a burst in a real room", () => {
  const connect = connectClosedAfterEach();

  it("reaches an observer whole, and every acknowledged update is in SQLite", async () => {
    const room = "relay-burst";
    const ada = await connect(room, { user: { name: "Ada", color: "#225588" } });
    const bo = await connect(room, { user: { name: "Bo", color: "#225588" } });
    const watcher = await connect(room, { user: { name: "Watcher", color: "#225588" } });
    const framesBefore = watcher.binaryFrames.length;
    for (let i = 0; i < 40; i += 1) {
      ada.text.insert(ada.text.length, "a");
      bo.text.insert(0, "b");
    }
    const acks = (c: typeof ada) => c.app.filter((m) => m.type === "doc-ack").length;
    await ada.until(() => acks(ada) >= 40);
    await bo.until(() => acks(bo) >= 40);
    await watcher.until(() => watcher.text.toString().length === 80);
    expect(watcher.text.toString()).toBe(ada.text.toString());
    // Merged: the watcher was sent fewer document frames than there were updates.
    expect(watcher.binaryFrames.length - framesBefore).toBeLessThan(80);
    const stored = await runInDurableObject(env.Room.get(env.Room.idFromName(room)), (_i, state) => {
      const doc = new Y.Doc();
      const rows = state.storage.sql.exec<{ data: ArrayBuffer }>(`SELECT data FROM doc_updates ORDER BY seq`);
      for (const row of rows) Y.applyUpdate(doc, new Uint8Array(row.data));
      return doc.getText("content").toString();
    });
    expect(stored).toBe(ada.text.toString());
  });
});
