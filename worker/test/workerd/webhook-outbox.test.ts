/**
 * The webhook outbox in real workerd SQLite: order, ids, the bound and its
 * `dropped` counts, the back-off schedule, giving up, a fresh store over the
 * same storage, and the room's one alarm coming back for a retry.
 */
import { LIMITS, type WebhookBody, type WebhookEvent } from "@edgeroom/shared";
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { RoomStorage } from "../../src/durable/room-storage.ts";
import { SqliteWebhookOutbox } from "../../src/durable/sqlite-webhook-outbox.ts";
import { WebhookDelivery } from "../../src/durable/webhook-delivery.ts";
import type { Attempt, AttemptResult } from "../../src/webhooks/deliver.ts";
import { webhookTarget } from "../../src/webhooks/webhook-config.ts";

const SECRET = `whsec_${btoa("0123456789abcdef0123456789abcdef")}`;
/** Nothing listens on the discard port: every attempt fails at once, as a receiver that is down. */
const DOWN_URL = "http://127.0.0.1:9/hooks";

let rooms = 0;
const freshRoom = () => `webhook-outbox-${Date.now()}-${rooms++}`;
const stub = (room: string) => env.Room.get(env.Room.idFromName(room));

function inStorage<T>(room: string, body: (storage: DurableObjectStorage) => Promise<T> | T): Promise<T> {
  return runInDurableObject(stub(room), (_object, state) => body(state.storage));
}

/** A clock the test moves by hand. */
function manualClock(start = 1_800_000_000_000) {
  const clock = { now: start, read: () => clock.now };
  return clock;
}

const joined = (n: number): WebhookEvent => ({
  type: "person.joined",
  data: { person: { id: `p${n}`, name: `Person ${n}` }, people: n },
});

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("expected a value");
  return value;
}

function body(entry: { body: string } | undefined): WebhookBody {
  if (!entry) throw new Error("no event is due");
  return JSON.parse(entry.body) as WebhookBody;
}

describe("the webhook outbox", () => {
  it("keeps events in order with the room and time, one stable id each, until delivered", async () => {
    const room = freshRoom();
    await inStorage(room, (storage) => {
      const clock = manualClock();
      const outbox = new SqliteWebhookOutbox(storage.sql, room, clock.read);
      for (let n = 1; n <= 3; n++) {
        outbox.enqueue(joined(n));
        clock.now += 1;
      }
      const seen: string[] = [];
      for (let n = 1; n <= 3; n++) {
        const head = outbox.due(clock.now);
        const parsed = body(head);
        expect(parsed).toEqual({ ...joined(n), room, at: 1_800_000_000_000 + n - 1 });
        // Asking again without delivering gives the same event, byte for byte.
        expect(outbox.due(clock.now)).toEqual(head);
        seen.push(head?.id ?? "");
        outbox.delivered(must(head));
      }
      expect(new Set(seen).size).toBe(3);
      expect(seen.every((id) => /^msg_[0-9a-f]{32}$/.test(id))).toBe(true);
      expect(outbox.due(clock.now)).toBeUndefined();
      expect(outbox.nextDueAt()).toBeUndefined();
    });
  });

  it("drops the oldest past its bound and tells the next delivery how many", async () => {
    const room = freshRoom();
    await inStorage(room, (storage) => {
      const outbox = new SqliteWebhookOutbox(storage.sql, room);
      const extra = 5;
      for (let n = 1; n <= LIMITS.maxWebhookOutbox + extra; n++) outbox.enqueue(joined(n));
      expect(outbox.size()).toBe(LIMITS.maxWebhookOutbox);
      const head = outbox.due();
      expect(body(head)).toMatchObject({ data: { people: extra + 1 }, dropped: extra });
      outbox.delivered(must(head));
      // The count went out once; the next event carries none.
      expect(body(outbox.due())).not.toHaveProperty("dropped");
    });
  });

  it("counts what a dropped event carried, and every retry of one id sends the same body", async () => {
    const room = freshRoom();
    await inStorage(room, (storage) => {
      const outbox = new SqliteWebhookOutbox(storage.sql, room);
      for (let n = 1; n <= LIMITS.maxWebhookOutbox + 2; n++) outbox.enqueue(joined(n));
      const head = outbox.due();
      expect(body(head).dropped).toBe(2);
      outbox.failed(must(head));
      // Overflow while the head waits: it is the oldest, so it goes, with the 2 it carried.
      outbox.enqueue(joined(0));
      const next = outbox.due(Date.now() + LIMITS.webhookRetryMaxMs);
      expect(next?.id).not.toBe(head?.id);
      expect(body(next).dropped).toBe(3);
    });
  });

  it("backs off from webhookRetryMinMs, doubling to webhookRetryMaxMs, with the same id and body", async () => {
    const room = freshRoom();
    await inStorage(room, (storage) => {
      const clock = manualClock();
      const outbox = new SqliteWebhookOutbox(storage.sql, room, clock.read);
      outbox.enqueue(joined(1));
      outbox.enqueue(joined(2));
      const first = outbox.due(clock.now);
      const waits: number[] = [];
      for (let failures = 1; failures <= 12; failures++) {
        const retryAt = outbox.failed(must(first));
        waits.push(retryAt - clock.now);
        expect(outbox.nextDueAt()).toBe(retryAt);
        // The head blocks the rest while it waits.
        expect(outbox.due(retryAt - 1)).toBeUndefined();
        clock.now = retryAt;
        expect(outbox.due(clock.now)).toEqual({ ...first, attempts: failures });
      }
      expect(waits[0]).toBe(LIMITS.webhookRetryMinMs);
      expect(waits[0]).toBeLessThanOrEqual(10_000);
      expect(waits.slice(0, 5)).toEqual([1, 2, 4, 8, 16].map((k) => k * LIMITS.webhookRetryMinMs));
      expect(Math.max(...waits)).toBe(LIMITS.webhookRetryMaxMs);
      expect(waits.at(-1)).toBe(LIMITS.webhookRetryMaxMs);
    });
  });

  it("gives up on events undelivered after webhookGiveUpMs, and counts them", async () => {
    const room = freshRoom();
    await inStorage(room, (storage) => {
      const clock = manualClock();
      const outbox = new SqliteWebhookOutbox(storage.sql, room, clock.read);
      outbox.enqueue(joined(1));
      outbox.enqueue(joined(2));
      clock.now += LIMITS.webhookGiveUpMs / 2;
      outbox.enqueue(joined(3));
      outbox.failed(must(outbox.due(clock.now)));
      clock.now = 1_800_000_000_000 + LIMITS.webhookGiveUpMs;
      const next = outbox.due(clock.now);
      expect(body(next)).toMatchObject({ data: { people: 3 }, dropped: 2 });
    });
  });

  it("survives a fresh store over the same storage (eviction, restart)", async () => {
    const room = freshRoom();
    const before = await inStorage(room, (storage) => {
      const outbox = new SqliteWebhookOutbox(storage.sql, room);
      outbox.enqueue(joined(1));
      outbox.enqueue(joined(2));
      const head = outbox.due();
      const retryAt = outbox.failed(must(head));
      return { head, retryAt };
    });
    await inStorage(room, (storage) => {
      const outbox = new SqliteWebhookOutbox(storage.sql, room);
      expect(outbox.size()).toBe(2);
      expect(outbox.nextDueAt()).toBe(before.retryAt);
      expect(outbox.due(before.retryAt)).toEqual({ ...before.head, attempts: 1 });
    });
  });
});

describe("webhook delivery passes", () => {
  it("send due events in order and stop at the first failure, which blocks the rest", async () => {
    const room = freshRoom();
    await inStorage(room, async (storage) => {
      const target = await webhookTarget({ url: "https://receiver.example/", secret: SECRET });
      const outbox = new SqliteWebhookOutbox(storage.sql, room);
      const sent: Attempt[] = [];
      let answers: AttemptResult[] = [{ ok: true }, { ok: false, reason: "HTTP 503" }];
      const send = (attempt: Attempt) => {
        sent.push(attempt);
        return Promise.resolve<AttemptResult>(answers.shift() ?? { ok: true });
      };
      const delivery = new WebhookDelivery(outbox, target, room, send);
      for (let n = 1; n <= 4; n++) delivery.enqueue(joined(n));
      await delivery.deliverDue();
      expect(sent.map((a) => JSON.parse(a.body).data.people)).toEqual([1, 2]);
      expect(outbox.size()).toBe(3);
      const retryAt = delivery.nextDueAt() ?? 0;
      expect(retryAt - Date.now()).toBeGreaterThan(LIMITS.webhookRetryMinMs - 1_000);
      // Not due yet: a pass sends nothing.
      await delivery.deliverDue();
      expect(sent).toHaveLength(2);
      // Later, the same event (same id) goes first and the rest follow in order.
      const later = new WebhookDelivery(outbox, target, room, send, () => retryAt);
      answers = [];
      await later.deliverDue();
      expect(sent.map((a) => JSON.parse(a.body).data.people)).toEqual([1, 2, 2, 3, 4]);
      expect(sent[2]?.id).toBe(sent[1]?.id);
      expect(sent[2]?.body).toBe(sent[1]?.body);
      expect(outbox.size()).toBe(0);
    });
  });

  it("send at most 100 events per pass and ask for the next pass right away", async () => {
    const room = freshRoom();
    await inStorage(room, async (storage) => {
      const target = await webhookTarget({ url: "https://receiver.example/", secret: SECRET });
      const outbox = new SqliteWebhookOutbox(storage.sql, room);
      let sent = 0;
      const delivery = new WebhookDelivery(outbox, target, room, () => {
        sent += 1;
        return Promise.resolve<AttemptResult>({ ok: true });
      });
      for (let n = 1; n <= 150; n++) delivery.enqueue(joined(n));
      await delivery.deliverDue();
      expect(sent).toBe(100);
      expect(delivery.nextDueAt()).toBeLessThanOrEqual(Date.now());
      await delivery.deliverDue();
      expect(sent).toBe(150);
      expect(delivery.nextDueAt()).toBeUndefined();
    });
  });

  it("stop when the room's storage is deleted under them, touching nothing that replaced it", async () => {
    const room = freshRoom();
    await inStorage(room, async (storage) => {
      const target = await webhookTarget({ url: "https://receiver.example/", secret: SECRET });
      const before = new SqliteWebhookOutbox(storage.sql, room);
      let answer!: (result: AttemptResult) => void;
      const sent: Attempt[] = [];
      const delivery = new WebhookDelivery(before, target, room, (attempt) => {
        sent.push(attempt);
        return new Promise<AttemptResult>((resolve) => (answer = resolve));
      });
      delivery.enqueue(joined(1));
      delivery.enqueue(joined(2));
      const pass = delivery.deliverDue();
      await expect.poll(() => sent.length).toBe(1);
      // DELETE /api/v1/rooms/:room: storage wiped and a new outbox opened while the attempt is in flight.
      delivery.retire();
      storage.sql.exec(`DROP TABLE webhook_outbox`);
      storage.sql.exec(`DROP TABLE webhook_outbox_state`);
      const after = new SqliteWebhookOutbox(storage.sql, room);
      after.enqueue(joined(7));
      answer({ ok: true });
      await pass;
      expect(sent).toHaveLength(1);
      expect(after.size()).toBe(1);
      expect(body(after.due())).toMatchObject({ data: { people: 7 } });
      expect(delivery.nextDueAt()).toBeUndefined();
    });
  });

  it("never throw, whatever the sender does", async () => {
    const room = freshRoom();
    await inStorage(room, async (storage) => {
      const target = await webhookTarget({ url: "https://receiver.example/", secret: SECRET });
      const outbox = new SqliteWebhookOutbox(storage.sql, room);
      const delivery = new WebhookDelivery(outbox, target, room, () => Promise.reject(new Error("boom")));
      delivery.enqueue(joined(1));
      await expect(delivery.deliverDue()).resolves.toBeUndefined();
      expect(outbox.size()).toBe(1);
    });
  });

  it("send nothing with a bad secret, but keep the events", async () => {
    const room = freshRoom();
    await inStorage(room, async (storage) => {
      const target = await webhookTarget({ url: "https://receiver.example/", secret: "not-a-secret" });
      const outbox = new SqliteWebhookOutbox(storage.sql, room);
      const sent: Attempt[] = [];
      const delivery = new WebhookDelivery(outbox, target, room, (a) => {
        sent.push(a);
        return Promise.resolve<AttemptResult>({ ok: true });
      });
      expect(delivery.enqueue(joined(1))).toBeUndefined();
      await delivery.deliverDue();
      expect(sent).toHaveLength(0);
      expect(outbox.size()).toBe(1);
    });
  });
});

describe("the room's alarm and the outbox", () => {
  it("stores nothing when WEBHOOK_URL is unset", async () => {
    const room = freshRoom();
    await inStorage(room, async (storage) => {
      const opened = await RoomStorage.open(storage, env.SNAPSHOTS, room, { secret: SECRET });
      await storage.deleteAlarm();
      await opened.carryOut({ kind: "webhook", event: joined(1) });
      const tables = storage.sql.exec(`SELECT name FROM sqlite_master WHERE name LIKE 'webhook%'`).toArray();
      expect(tables).toEqual([]);
      expect(await storage.getAlarm()).toBeNull();
    });
  });

  it("wakes at once for a new event, and after a failed try comes back for the retry, even after a plan without sweeps", async () => {
    const room = freshRoom();
    await inStorage(room, async (storage) => {
      const opened = await RoomStorage.open(storage, env.SNAPSHOTS, room, { url: DOWN_URL, secret: SECRET });
      await storage.deleteAlarm();
      const before = Date.now();
      await opened.carryOut({ kind: "webhook", event: joined(1) });
      expect(await storage.getAlarm()).toBeLessThanOrEqual(Date.now());
      // The alarm goes off (the platform clears it) and its own work plans first (no sockets: nothing to sweep)…
      await storage.deleteAlarm();
      await opened.carryOut({ kind: "plan-alarm", sweepAfterMs: undefined, tokenExpiresAt: undefined });
      // …then the delivery fails against a receiver that is down.
      await opened.deliverWebhooks();
      const retryAt = (await storage.getAlarm()) ?? 0;
      expect(retryAt).toBeGreaterThanOrEqual(before + LIMITS.webhookRetryMinMs);
      expect(retryAt).toBeLessThanOrEqual(Date.now() + LIMITS.webhookRetryMinMs);
      // A later plan with a far sweep keeps the retry.
      await opened.carryOut({ kind: "plan-alarm", sweepAfterMs: 60 * 60_000, tokenExpiresAt: undefined });
      expect(await storage.getAlarm()).toBe(retryAt);
      // A room woken after eviction (fresh storage object) still knows the retry.
      await storage.deleteAlarm();
      await RoomStorage.open(storage, env.SNAPSHOTS, room, { url: DOWN_URL, secret: SECRET });
      expect(await storage.getAlarm()).toBe(retryAt);
    });
  });

  it("raises document.updated (bytes, editors) when a snapshot of new edits is due, and snapshot.stored after the put", async () => {
    const room = freshRoom();
    await inStorage(room, async (storage) => {
      const opened = await RoomStorage.open(storage, env.SNAPSHOTS, room, { url: DOWN_URL, secret: SECRET });
      const doc = new Y.Doc();
      doc.getText("t").insert(0, "hello");
      const state = () => Y.encodeStateAsUpdate(doc);
      await opened.carryOut({ kind: "note-edit", editor: "Ada" });
      await opened.carryOut({ kind: "flush-snapshot-soon" });
      const versions = await opened.saveSnapshotIfDue(state);
      const version = versions?.at(-1);
      expect(version).toBeDefined();
      const outbox = new SqliteWebhookOutbox(storage.sql, room);
      const first = outbox.due();
      expect(body(first)).toMatchObject({
        type: "document.updated",
        data: { bytes: state().byteLength, editors: ["Ada"] },
      });
      outbox.delivered(must(first));
      expect(body(outbox.due())).toMatchObject({ type: "snapshot.stored", data: { version } });
      // Nothing new: no further document.updated, however often the alarm asks.
      await opened.saveSnapshotIfDue(state);
      expect(outbox.size()).toBe(1);
    });
  });
});
