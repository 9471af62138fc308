/**
 * The channel hooks (ChannelHooks in channel-contract.ts) that tell the
 * rest of the Pusher app about a channel: the directory of occupied
 * channels (directory-sync.ts) and, when `PUSHER_WEBHOOK_URL` is set,
 * Pusher-format webhooks (pusher-webhook-outbox.ts). Everything owed is in
 * the channel object's SQLite and its one alarm comes back for it, so
 * hibernation, eviction or a failed call lose nothing. `#server-to-user-`
 * channels are neither listed nor reported: they stand for users, not channels.
 */
import type { PusherWebhookEvent } from "@edgeroom/shared/pusher";
import type { ChannelHooks } from "../channel-contract.ts";
import { DirectorySync } from "../directory/directory-sync.ts";
import type { DirectoryRpc } from "../directory/pusher-directory.ts";
import { readPusherConfig } from "../pusher-config.ts";
import { PusherWebhookOutbox } from "./pusher-webhook-outbox.ts";
import { webhookBody } from "./pusher-webhook-format.ts";
import { sendPusherWebhook, type SendWebhook } from "./pusher-webhook-send.ts";

/** One alarm sends at most this many requests; the rest go in the next alarm, set for right away. */
const MAX_REQUESTS_PER_PASS = 10;

export interface PusherAppHooksOptions {
  now?: () => number;
  send?: SendWebhook;
  directory?: () => DirectoryRpc;
}

interface WebhookTarget {
  url: string;
  key: string;
  secret: string;
}

export class PusherAppHooks implements ChannelHooks {
  readonly #ctx: DurableObjectState;
  readonly #channel: string;
  readonly #now: () => number;
  readonly #send: SendWebhook;
  readonly #directory: DirectorySync | undefined;
  readonly #outbox: PusherWebhookOutbox | undefined;
  readonly #target: WebhookTarget | undefined;
  #delivering: Promise<void> | undefined;
  readonly #background = new Set<Promise<void>>();

  constructor(env: Env, ctx: DurableObjectState, channel: string, options: PusherAppHooksOptions = {}) {
    this.#ctx = ctx;
    this.#channel = channel;
    this.#now = options.now ?? Date.now;
    this.#send = options.send ?? sendPusherWebhook;
    const config = readPusherConfig(env);
    const reported = config !== undefined && !channel.startsWith("#");
    if (!config || !reported) return;
    const directory = options.directory ?? (() => env.PusherDirectory.getByName(config.appId));
    this.#directory = new DirectorySync(ctx.storage.sql, channel, directory, this.#now);
    const url = webhookUrl(config.webhookUrl);
    if (url) {
      this.#target = { url, key: config.key, secret: config.secret };
      this.#outbox = new PusherWebhookOutbox(ctx.storage.sql, this.#now);
    }
    // Woken with the directory behind (a call cut off by eviction): catch up now rather than at the next change.
    if (this.#directory.pending()) this.#inBackground(this.#directory.sync().then(() => this.#planAlarm()));
  }

  occupied(): void {
    this.#tellDirectory(true);
    this.#queue({ name: "channel_occupied", channel: this.#channel });
  }

  vacated(): void {
    this.#tellDirectory(false);
    this.#queue({ name: "channel_vacated", channel: this.#channel });
  }

  memberAdded(userId: string): void {
    this.#queue({ name: "member_added", channel: this.#channel, user_id: userId });
  }

  memberRemoved(userId: string): void {
    this.#queue({ name: "member_removed", channel: this.#channel, user_id: userId });
  }

  clientEvent(event: { event: string; data: unknown; socketId: string; userId?: string }): void {
    this.#queue({
      name: "client_event",
      channel: this.#channel,
      event: event.event,
      data: typeof event.data === "string" ? event.data : JSON.stringify(event.data ?? null),
      socket_id: event.socketId,
      ...(event.userId === undefined ? {} : { user_id: event.userId }),
    });
  }

  async alarm(): Promise<void> {
    await Promise.all([this.#directory?.sync(), this.deliverDue()]);
    await this.#planAlarm();
  }

  /** Sends what is due, a batch at a time, until a failure or the per-pass cap. Never throws. */
  deliverDue(): Promise<void> {
    this.#delivering ??= this.#deliver().finally(() => (this.#delivering = undefined));
    return this.#delivering;
  }

  async #deliver(): Promise<void> {
    const outbox = this.#outbox;
    const target = this.#target;
    if (!outbox || !target) return;
    try {
      for (let sent = 0; sent < MAX_REQUESTS_PER_PASS; sent++) {
        const batch = outbox.due(this.#now());
        if (!batch) return;
        const result = await this.#send({ ...target, body: webhookBody(this.#now(), batch.events) });
        if (result.ok) {
          outbox.delivered(batch);
          continue;
        }
        const { failures, retryAt } = outbox.failed();
        console.warn(
          `Edgeroom Pusher: webhooks of ${this.#channel} failed (${result.reason}; ${failures} in a row); ` +
            `next try in ${Math.round((retryAt - this.#now()) / 1000)} s`,
        );
        return;
      }
    } catch (error) {
      // SQLite trouble, most likely; the events stay stored and the next alarm tries again.
      console.error(`Edgeroom Pusher: webhook delivery for ${this.#channel} failed:`, error);
    }
  }

  #tellDirectory(occupied: boolean): void {
    if (!this.#directory) return;
    this.#directory.want(occupied);
    // The call goes now; if it fails, it has set its retry time, which the alarm comes back for.
    this.#inBackground(this.#directory.sync().then(() => this.#planAlarm()));
  }

  #queue(event: PusherWebhookEvent): void {
    if (!this.#outbox) return;
    this.#outbox.enqueue(event);
    this.#inBackground(this.#planAlarm());
  }

  /** Sets the alarm for the earliest work owed, unless it is already set as early. */
  async #planAlarm(): Promise<void> {
    const storage = this.#ctx.storage;
    const current = await storage.getAlarm();
    const due = [this.#directory?.nextDueAt(), this.#outbox?.nextDueAt()].filter((at) => at !== undefined);
    if (due.length === 0) return;
    const next = Math.min(...due);
    if (current === null || current > next) await storage.setAlarm(next);
  }

  /** Resolves once the calls and alarm plans started so far are done (tests wait on it). */
  async settled(): Promise<void> {
    while (this.#background.size > 0) await Promise.all(this.#background);
  }

  #inBackground(work: Promise<void>): void {
    const tracked: Promise<void> = work
      .catch((error: unknown) => console.error(`Edgeroom Pusher: hooks of ${this.#channel} failed:`, error))
      .finally(() => this.#background.delete(tracked));
    this.#background.add(tracked);
    this.#ctx.waitUntil(tracked);
  }
}

/** An http(s) URL, or undefined (off); a bad one is reported, since events would pile up for nothing. */
function webhookUrl(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const { protocol } = new URL(text);
    if (protocol === "http:" || protocol === "https:") return text;
  } catch {
    // Reported below.
  }
  console.error("Edgeroom Pusher: PUSHER_WEBHOOK_URL is not an http(s) URL; no webhooks are sent.");
  return undefined;
}
