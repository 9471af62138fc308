/**
 * A channel's Pusher webhook events, waiting in its SQLite until the
 * receiver takes them. Pusher batches webhooks; so does this: the first
 * event waits `batchDelayMs` for others, then up to `maxEventsPerRequest`
 * (and `maxRequestBytes`) go in one request, oldest first. A failed request
 * is tried again with back-off (the room webhooks' schedule) and its events
 * stay at the head, so order holds. Bounded: past `maxOutboxEvents` the
 * oldest are dropped, and so is anything undelivered after `giveUpMs`;
 * Pusher's format has no field to say so, so each drop is logged.
 */
import { LIMITS } from "@edgeroom/shared";
import type { PusherWebhookEvent } from "@edgeroom/shared/pusher";
import { retryDelayMs } from "../../webhooks/retry-schedule.ts";
import { tableExists } from "../directory/directory-sync.ts";

export const PUSHER_WEBHOOK_TUNING = {
  /** How long the first event of a batch waits for others. */
  batchDelayMs: 1_000,
  /** Events one channel holds for delivery at most. */
  maxOutboxEvents: 1_000,
  /** Events in one request at most. */
  maxEventsPerRequest: 100,
  /** One request's events, in bytes of JSON, at most (one event may pass it alone). */
  maxRequestBytes: 256 * 1024,
  /** An event still undelivered this long after it happened is dropped. */
  giveUpMs: LIMITS.webhookGiveUpMs,
} as const;

/** The events of one request: send them, then `delivered(lastSeq)` or `failed()`. */
export interface WebhookBatch {
  lastSeq: number;
  /** Each event's JSON, in order. */
  events: string[];
}

export class PusherWebhookOutbox {
  readonly #sql: SqlStorage;
  readonly #now: () => number;
  #tablesReady = false;

  constructor(sql: SqlStorage, now: () => number = Date.now) {
    this.#sql = sql;
    this.#now = now;
  }

  enqueue(event: PusherWebhookEvent): void {
    this.#ensureTables();
    this.#sql.exec(
      `INSERT INTO pusher_webhook_outbox (at, event) VALUES (?, ?)`,
      this.#now(),
      JSON.stringify(event),
    );
    const over = this.size() - PUSHER_WEBHOOK_TUNING.maxOutboxEvents;
    if (over > 0) {
      this.#sql.exec(
        `DELETE FROM pusher_webhook_outbox WHERE seq IN (SELECT seq FROM pusher_webhook_outbox ORDER BY seq LIMIT ?)`,
        over,
      );
      console.warn(`Edgeroom Pusher: webhook outbox full, dropped the oldest ${over} event(s).`);
    }
  }

  /** When a request is due: after a failure, its retry time; else the head's time plus the batch delay. */
  nextDueAt(): number | undefined {
    if (!this.#tablesExist()) return undefined;
    const head = this.#sql
      .exec<{ at: number }>(`SELECT at FROM pusher_webhook_outbox ORDER BY seq LIMIT 1`)
      .toArray()[0];
    if (!head) return undefined;
    const retry = this.#sql
      .exec<{ next_at: number }>(`SELECT next_at FROM pusher_webhook_retry WHERE id = 1`)
      .toArray()[0];
    return retry?.next_at ?? head.at + PUSHER_WEBHOOK_TUNING.batchDelayMs;
  }

  /** The next request's events, if one is due at `now` (first dropping what is past its give-up time). */
  due(now: number = this.#now()): WebhookBatch | undefined {
    if (!this.#tablesExist()) return undefined;
    const expired = this.#sql
      .exec(
        `DELETE FROM pusher_webhook_outbox WHERE at <= ? RETURNING seq`,
        now - PUSHER_WEBHOOK_TUNING.giveUpMs,
      )
      .toArray().length;
    if (expired > 0)
      console.warn(`Edgeroom Pusher: dropped ${expired} webhook event(s) undelivered for too long.`);
    const dueAt = this.nextDueAt();
    if (dueAt === undefined || dueAt > now) return undefined;
    const rows = this.#sql
      .exec<{ seq: number; event: string }>(
        `SELECT seq, event FROM pusher_webhook_outbox ORDER BY seq LIMIT ?`,
        PUSHER_WEBHOOK_TUNING.maxEventsPerRequest,
      )
      .toArray();
    const events: string[] = [];
    let bytes = 0;
    let lastSeq = 0;
    for (const row of rows) {
      if (events.length > 0 && bytes + row.event.length > PUSHER_WEBHOOK_TUNING.maxRequestBytes) break;
      events.push(row.event);
      bytes += row.event.length;
      lastSeq = row.seq;
    }
    return events.length > 0 ? { lastSeq, events } : undefined;
  }

  /** The receiver took the batch: its events go, and the back-off starts over. */
  delivered(batch: WebhookBatch): void {
    this.#sql.exec(`DELETE FROM pusher_webhook_outbox WHERE seq <= ?`, batch.lastSeq);
    this.#sql.exec(`DELETE FROM pusher_webhook_retry WHERE id = 1`);
  }

  /** The request failed: returns when it is tried again. */
  failed(): { failures: number; retryAt: number } {
    const row = this.#sql
      .exec<{ failures: number }>(
        `INSERT INTO pusher_webhook_retry (id, failures, next_at) VALUES (1, 1, 0)
         ON CONFLICT (id) DO UPDATE SET failures = failures + 1 RETURNING failures`,
      )
      .one();
    const retryAt = this.#now() + retryDelayMs(row.failures);
    this.#sql.exec(`UPDATE pusher_webhook_retry SET next_at = ? WHERE id = 1`, retryAt);
    return { failures: row.failures, retryAt };
  }

  size(): number {
    if (!this.#tablesExist()) return 0;
    return this.#sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM pusher_webhook_outbox`).one().n;
  }

  /** Created with the first event, so a channel without webhooks stores nothing. */
  #ensureTables(): void {
    if (this.#tablesReady) return;
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS pusher_webhook_outbox (
      seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, event TEXT NOT NULL)`);
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS pusher_webhook_retry (
      id INTEGER PRIMARY KEY CHECK (id = 1), failures INTEGER NOT NULL, next_at INTEGER NOT NULL)`);
    this.#tablesReady = true;
  }

  #tablesExist(): boolean {
    if (!this.#tablesReady) this.#tablesReady = tableExists(this.#sql, "pusher_webhook_retry");
    return this.#tablesReady;
  }
}
