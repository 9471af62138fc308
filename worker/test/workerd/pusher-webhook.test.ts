/**
 * A channel's hooks in real workerd SQLite (PusherAppHooks): the directory
 * of occupied channels kept in step through failures, interleavings and a
 * fresh object over the same storage; Pusher-format webhooks batched, in
 * order, signed, retried with back-off, bounded, and off unless configured.
 * The receiver and a failing directory are stand-ins the test controls
 * (e2e/tests/pusher-webhooks.spec.ts checks real deliveries with the SDK).
 */
import { LIMITS } from "@edgeroom/shared";
import {
  PusherWebhookBodySchema,
  type PusherWebhookBody,
  type PusherWebhookEvent,
} from "@edgeroom/shared/pusher";
import { TEST_PUSHER_APP } from "@edgeroom/testkit";
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DirectoryRpc } from "../../src/pusher/directory/pusher-directory.ts";
import { tableExists } from "../../src/pusher/directory/directory-sync.ts";
import { PusherAppHooks, type PusherAppHooksOptions } from "../../src/pusher/webhooks/pusher-app-hooks.ts";
import { PUSHER_WEBHOOK_TUNING } from "../../src/pusher/webhooks/pusher-webhook-outbox.ts";
import { signedWebhookHeaders, type WebhookRequest } from "../../src/pusher/webhooks/pusher-webhook-send.ts";

const HOOK_URL = "http://127.0.0.1:9/pusher-hooks";
const withWebhooks = { ...env, PUSHER_WEBHOOK_URL: HOOK_URL } as Env;

let channels = 0;
const freshChannel = (prefix = "presence-hooks") => `${prefix}-${Date.now()}-${channels++}`;
const directory = () => env.PusherDirectory.getByName(TEST_PUSHER_APP.appId);

async function listed(prefix: string): Promise<string[]> {
  return (await directory().list(prefix)).channels;
}

/** Runs `body` inside the channel's object with its storage; clears the alarm after (the test drives alarms by hand). */
function inChannel<T>(channel: string, body: (state: DurableObjectState) => Promise<T>): Promise<T> {
  return runInDurableObject(env.PusherChannel.getByName(channel), async (_object, state) => {
    try {
      return await body(state);
    } finally {
      await state.storage.deleteAlarm();
    }
  });
}

/** The alarm going off: the platform clears it, then calls the handler (here, by hand, once what the hooks started is done). */
async function fireAlarm(state: DurableObjectState, hooks: PusherAppHooks): Promise<void> {
  await hooks.settled();
  await state.storage.deleteAlarm();
  await hooks.alarm();
}

function manualClock(start = Date.now()) {
  const clock = { now: start, read: () => clock.now };
  return clock;
}

/** A request's body, checked against the shared schema (the Worker has no valibot of its own: its Standard Schema face). */
function parseBody(text: string): PusherWebhookBody {
  const result = PusherWebhookBodySchema["~standard"].validate(JSON.parse(text));
  if (result instanceof Promise || result.issues) throw new Error(`not a Pusher webhook body: ${text}`);
  return result.value;
}

/** A receiver the test answers: records every request, answers 2xx unless told to fail. */
function receiver() {
  const requests: WebhookRequest[] = [];
  const state = { failing: false };
  const send = async (request: WebhookRequest) => {
    requests.push(request);
    return state.failing ? { ok: false as const, reason: "HTTP 503" } : { ok: true as const };
  };
  const events = () => requests.flatMap((request) => parseBody(request.body).events);
  return { requests, state, send, events };
}

describe("Pusher channel hooks: the directory of occupied channels", () => {
  it("enters a channel when occupied and removes it when vacated", async () => {
    const channel = freshChannel("dir-hooks");
    await inChannel(channel, async (state) => {
      const hooks = new PusherAppHooks(env, state, channel);
      hooks.occupied();
      await fireAlarm(state, hooks);
      expect(await listed(channel)).toEqual([channel]);
      hooks.vacated();
      await fireAlarm(state, hooks);
      expect(await listed(channel)).toEqual([]);
    });
  });

  it("after a failed call, keeps what it owes, sets the alarm, and catches up when the directory is back", async () => {
    const channel = freshChannel("dir-fail");
    await inChannel(channel, async (state) => {
      let down = true;
      const flaky: DirectoryRpc = {
        occupied: async (name) =>
          down ? Promise.reject(new Error("directory down")) : directory().occupied(name),
        vacated: async (name) =>
          down ? Promise.reject(new Error("directory down")) : directory().vacated(name),
        list: (prefix) => directory().list(prefix),
      };
      const hooks = new PusherAppHooks(env, state, channel, { directory: () => flaky });
      hooks.occupied();
      await fireAlarm(state, hooks);
      expect(await listed(channel)).toEqual([]);
      const alarm = await state.storage.getAlarm();
      expect(alarm).not.toBeNull();
      expect(alarm! - Date.now()).toBeGreaterThan(LIMITS.webhookRetryMinMs / 2);
      down = false;
      await fireAlarm(state, hooks);
      expect(await listed(channel)).toEqual([channel]);
    });
  });

  it("ends on the latest state when it changes while a call is out", async () => {
    const channel = freshChannel("dir-race");
    await inChannel(channel, async (state) => {
      const calls: string[] = [];
      let release: () => void = () => undefined;
      const slow: DirectoryRpc = {
        occupied: async (name) => {
          calls.push("occupied");
          await new Promise<void>((resolve) => (release = resolve));
          await directory().occupied(name);
        },
        vacated: async (name) => {
          calls.push("vacated");
          await directory().vacated(name);
        },
        list: (prefix) => directory().list(prefix),
      };
      const hooks = new PusherAppHooks(env, state, channel, { directory: () => slow });
      hooks.occupied();
      hooks.vacated();
      hooks.occupied();
      hooks.vacated();
      const done = hooks.alarm();
      release();
      await done;
      // One call at a time: the first, then straight to the latest state.
      expect(calls).toEqual(["occupied", "vacated"]);
      expect(await listed(channel)).toEqual([]);
    });
  });

  it("a fresh object over the same storage (a wake after eviction) makes the call it still owes", async () => {
    const channel = freshChannel("dir-wake");
    await inChannel(channel, async (state) => {
      const lost: DirectoryRpc = {
        occupied: () => new Promise(() => undefined),
        vacated: () => new Promise(() => undefined),
        list: (prefix) => directory().list(prefix),
      };
      // The first object's call never returns (as if the object were evicted with it out).
      new PusherAppHooks(env, state, channel, { directory: () => lost }).occupied();
      const woken = new PusherAppHooks(env, state, channel);
      await woken.alarm();
      expect(await listed(channel)).toEqual([channel]);
    });
  });

  it("never lists #server-to-user- channels, and stores nothing for them", async () => {
    const channel = `#server-to-user-hooks-${Date.now()}`;
    await inChannel(channel, async (state) => {
      const hooks = new PusherAppHooks(withWebhooks, state, channel);
      hooks.occupied();
      await fireAlarm(state, hooks);
      expect(await listed("#")).toEqual([]);
      expect(tableExists(state.storage.sql, "pusher_directory_sync")).toBe(false);
      expect(tableExists(state.storage.sql, "pusher_webhook_outbox")).toBe(false);
    });
  });
});

describe("Pusher channel hooks: webhooks", () => {
  function hooksWith(state: DurableObjectState, channel: string, options: PusherAppHooksOptions) {
    return new PusherAppHooks(withWebhooks, state, channel, options);
  }

  it("queues every event in order and sends them as one batch after the batch delay", async () => {
    const channel = freshChannel();
    await inChannel(channel, async (state) => {
      const clock = manualClock();
      const hook = receiver();
      const hooks = hooksWith(state, channel, { now: clock.read, send: hook.send });
      hooks.occupied();
      hooks.memberAdded("ada");
      hooks.clientEvent({ event: "client-typing", data: { on: true }, socketId: "123.456", userId: "ada" });
      hooks.clientEvent({ event: "client-raw", data: "as sent", socketId: "123.456" });
      hooks.memberRemoved("ada");
      hooks.vacated();
      await hooks.deliverDue();
      expect(hook.requests).toHaveLength(0);
      expect(await state.storage.getAlarm()).toBe(clock.now + PUSHER_WEBHOOK_TUNING.batchDelayMs);

      clock.now += PUSHER_WEBHOOK_TUNING.batchDelayMs;
      await fireAlarm(state, hooks);
      expect(hook.requests).toHaveLength(1);
      const [request] = hook.requests;
      expect(request).toMatchObject({
        url: HOOK_URL,
        key: TEST_PUSHER_APP.key,
        secret: TEST_PUSHER_APP.secret,
      });
      expect(JSON.parse(request!.body)).toEqual({
        time_ms: clock.now,
        events: [
          { name: "channel_occupied", channel },
          { name: "member_added", channel, user_id: "ada" },
          {
            name: "client_event",
            channel,
            event: "client-typing",
            data: '{"on":true}',
            socket_id: "123.456",
            user_id: "ada",
          },
          { name: "client_event", channel, event: "client-raw", data: "as sent", socket_id: "123.456" },
          { name: "member_removed", channel, user_id: "ada" },
          { name: "channel_vacated", channel },
        ] satisfies PusherWebhookEvent[],
      });
      // Delivered: nothing is left, and no alarm is owed.
      await fireAlarm(state, hooks);
      expect(hook.requests).toHaveLength(1);
    });
  });

  it("retries a failed batch with back-off, then sends it with what came since, in order", async () => {
    const channel = freshChannel();
    await inChannel(channel, async (state) => {
      const clock = manualClock();
      const hook = receiver();
      const hooks = hooksWith(state, channel, { now: clock.read, send: hook.send });
      hook.state.failing = true;
      hooks.memberAdded("ada");
      clock.now += PUSHER_WEBHOOK_TUNING.batchDelayMs;
      await fireAlarm(state, hooks);
      expect(hook.requests).toHaveLength(1);
      expect(await state.storage.getAlarm()).toBe(clock.now + LIMITS.webhookRetryMinMs);

      // Not yet due: nothing is sent.
      hooks.memberAdded("bea");
      clock.now += LIMITS.webhookRetryMinMs - 1;
      await fireAlarm(state, hooks);
      expect(hook.requests).toHaveLength(1);

      // Still down at the retry: the wait doubles.
      clock.now += 1;
      await fireAlarm(state, hooks);
      expect(hook.requests).toHaveLength(2);
      expect(await state.storage.getAlarm()).toBe(clock.now + 2 * LIMITS.webhookRetryMinMs);

      hook.state.failing = false;
      clock.now += 2 * LIMITS.webhookRetryMinMs;
      await fireAlarm(state, hooks);
      expect(hook.requests).toHaveLength(3);
      const users = (request: WebhookRequest) =>
        parseBody(request.body).events.map((e) => ("user_id" in e ? e.user_id : ""));
      expect(hook.requests.map(users)).toEqual([["ada"], ["ada", "bea"], ["ada", "bea"]]);
      // After a success the back-off starts over.
      hooks.memberAdded("cy");
      hook.state.failing = true;
      clock.now += PUSHER_WEBHOOK_TUNING.batchDelayMs;
      await fireAlarm(state, hooks);
      expect(await state.storage.getAlarm()).toBe(clock.now + LIMITS.webhookRetryMinMs);
    });
  });

  it("splits a long outbox into requests of at most maxEventsPerRequest", async () => {
    const channel = freshChannel();
    await inChannel(channel, async (state) => {
      const clock = manualClock();
      const hook = receiver();
      const hooks = hooksWith(state, channel, { now: clock.read, send: hook.send });
      const count = PUSHER_WEBHOOK_TUNING.maxEventsPerRequest + 50;
      for (let i = 0; i < count; i++) hooks.memberAdded(`u${i}`);
      clock.now += PUSHER_WEBHOOK_TUNING.batchDelayMs;
      await fireAlarm(state, hooks);
      const sizes = hook.requests.map((r) => parseBody(r.body).events.length);
      expect(sizes).toEqual([PUSHER_WEBHOOK_TUNING.maxEventsPerRequest, 50]);
      expect(hook.events().map((e) => ("user_id" in e ? e.user_id : ""))).toEqual(
        Array.from({ length: count }, (_, i) => `u${i}`),
      );
    });
  });

  it("holds at most maxOutboxEvents while the receiver is down, dropping the oldest", async () => {
    const channel = freshChannel();
    await inChannel(channel, async (state) => {
      const clock = manualClock();
      const hook = receiver();
      const hooks = hooksWith(state, channel, { now: clock.read, send: hook.send });
      const extra = 5;
      for (let i = 0; i < PUSHER_WEBHOOK_TUNING.maxOutboxEvents + extra; i++) hooks.memberAdded(`u${i}`);
      const size = state.storage.sql
        .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM pusher_webhook_outbox`)
        .one().n;
      expect(size).toBe(PUSHER_WEBHOOK_TUNING.maxOutboxEvents);
      clock.now += PUSHER_WEBHOOK_TUNING.batchDelayMs;
      await fireAlarm(state, hooks);
      const first = hook.events()[0];
      expect(first).toEqual({ name: "member_added", channel, user_id: `u${extra}` });
    });
  });

  it("drops what is still undelivered after giveUpMs", async () => {
    const channel = freshChannel();
    await inChannel(channel, async (state) => {
      const clock = manualClock();
      const hook = receiver();
      const hooks = hooksWith(state, channel, { now: clock.read, send: hook.send });
      hooks.memberAdded("old");
      clock.now += PUSHER_WEBHOOK_TUNING.giveUpMs + 1;
      hooks.memberAdded("new");
      clock.now += PUSHER_WEBHOOK_TUNING.batchDelayMs;
      await fireAlarm(state, hooks);
      expect(hook.events()).toEqual([{ name: "member_added", channel, user_id: "new" }]);
    });
  });

  it("a fresh object over the same storage sends what the last one queued", async () => {
    const channel = freshChannel();
    await inChannel(channel, async (state) => {
      const clock = manualClock();
      const hook = receiver();
      hooksWith(state, channel, { now: clock.read, send: hook.send }).memberAdded("ada");
      clock.now += PUSHER_WEBHOOK_TUNING.batchDelayMs;
      await hooksWith(state, channel, { now: clock.read, send: hook.send }).alarm();
      expect(hook.events()).toEqual([{ name: "member_added", channel, user_id: "ada" }]);
    });
  });

  it("stores nothing when PUSHER_WEBHOOK_URL is unset or not an http(s) URL", async () => {
    for (const url of ["", "   ", "ftp://example.com/hooks", "not a url"]) {
      const channel = freshChannel();
      await inChannel(channel, async (state) => {
        const hook = receiver();
        const hooks = new PusherAppHooks({ ...env, PUSHER_WEBHOOK_URL: url } as Env, state, channel, {
          send: hook.send,
        });
        hooks.occupied();
        hooks.memberAdded("ada");
        hooks.clientEvent({ event: "client-x", data: {}, socketId: "1.1" });
        await fireAlarm(state, hooks);
        expect(hook.requests).toHaveLength(0);
        expect(tableExists(state.storage.sql, "pusher_webhook_outbox")).toBe(false);
      });
    }
  });

  it("signs the raw body as Pusher does: X-Pusher-Key, hex HMAC-SHA256 in X-Pusher-Signature, application/json", async () => {
    const body = '{"time_ms":1,"events":[{"name":"channel_occupied","channel":"presence-é"}]}';
    const headers = await signedWebhookHeaders(TEST_PUSHER_APP.key, TEST_PUSHER_APP.secret, body);
    expect(headers["Content-Type"]).toBe("application/json");
    expect(headers["X-Pusher-Key"]).toBe(TEST_PUSHER_APP.key);
    const encoder = new TextEncoder();
    const key = await crypto.subtle.importKey(
      "raw",
      encoder.encode(TEST_PUSHER_APP.secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    const signature = Uint8Array.from(headers["X-Pusher-Signature"]!.match(/../g)!, (byte) =>
      parseInt(byte, 16),
    );
    expect(await crypto.subtle.verify("HMAC", key, signature, encoder.encode(body))).toBe(true);
    expect(await crypto.subtle.verify("HMAC", key, signature, encoder.encode(body.replace("é", "e")))).toBe(
      false,
    );
  });
});
