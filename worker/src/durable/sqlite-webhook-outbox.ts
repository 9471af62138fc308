/**
 * The room's durable webhook outbox in SQLite: events wait here, in the
 * order they happened, until the receiver answers 2xx. Only the head is
 * ever sent (strict order per room), so only its `next_at` matters; the
 * rest follow as soon as it is through. The outbox is bounded: past
 * `LIMITS.maxWebhookOutbox` the oldest events are dropped, and so is an
 * event still undelivered `LIMITS.webhookGiveUpMs` after it happened. What
 * was dropped is counted and rides on the next event sent as `dropped`.
 * The count is fixed into an event's row at its first attempt, so every
 * retry of one `webhook-id` sends the very same body.
 */
import { LIMITS, type WebhookBody, type WebhookEvent } from "@edgeroom/shared";
import { newWebhookId } from "../webhooks/sign.ts";
import { retryDelayMs } from "../webhooks/retry-schedule.ts";

/** The head of the outbox, ready to send. */
export interface OutboxEntry {
  seq: number;
  id: string;
  body: string;
  /** Failed attempts so far. */
  attempts: number;
}

interface OutboxRow extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  type: string;
  at: number;
  data: string;
  dropped: number | null;
  attempts: number;
  next_at: number;
}

export class SqliteWebhookOutbox {
  readonly #sql: SqlStorage;
  readonly #roomId: string;
  readonly #now: () => number;

  constructor(sql: SqlStorage, roomId: string, now: () => number = Date.now) {
    this.#sql = sql;
    this.#roomId = roomId;
    this.#now = now;
    sql.exec(`CREATE TABLE IF NOT EXISTS webhook_outbox (
      seq INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, at INTEGER NOT NULL,
      data TEXT NOT NULL, dropped INTEGER, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL)`);
    // Drops not yet told to the receiver, and the newest edit a document.updated already announced.
    sql.exec(`CREATE TABLE IF NOT EXISTS webhook_outbox_state (
      id INTEGER PRIMARY KEY CHECK (id = 1), dropped INTEGER NOT NULL DEFAULT 0,
      announced_edit_seq INTEGER NOT NULL DEFAULT 0)`);
    // Read first: an ignored insert still counts as a billed row write, on every wake.
    if (sql.exec(`SELECT 1 FROM webhook_outbox_state WHERE id = 1`).toArray().length === 0)
      sql.exec(`INSERT INTO webhook_outbox_state (id) VALUES (1)`);
  }

  /** Stores the event with the room and the time, then drops the oldest if the outbox is over its bound. */
  enqueue(event: WebhookEvent): void {
    const now = this.#now();
    this.#sql.exec(
      `INSERT INTO webhook_outbox (id, type, at, data, next_at) VALUES (?, ?, ?, ?, ?)`,
      newWebhookId(),
      event.type,
      now,
      JSON.stringify(event.data),
      now,
    );
    const over = this.size() - LIMITS.maxWebhookOutbox;
    if (over > 0) {
      this.#drop(
        `DELETE FROM webhook_outbox WHERE seq IN (SELECT seq FROM webhook_outbox ORDER BY seq LIMIT ?)
        RETURNING dropped`,
        over,
      );
    }
  }

  /**
   * The head, if it is due at `now` (first dropping events past their give-up time).
   * Its `dropped` count is fixed on the first call, so every retry sends the same body.
   */
  due(now: number = this.#now()): OutboxEntry | undefined {
    this.#drop(`DELETE FROM webhook_outbox WHERE at <= ? RETURNING dropped`, now - LIMITS.webhookGiveUpMs);
    const row = this.#head();
    if (!row || row.next_at > now) return undefined;
    if (row.dropped === null) {
      row.dropped = this.droppedSinceLastSent();
      this.#sql.exec(`UPDATE webhook_outbox SET dropped = ? WHERE seq = ?`, row.dropped, row.seq);
      this.#sql.exec(`UPDATE webhook_outbox_state SET dropped = 0 WHERE id = 1`);
    }
    return { seq: row.seq, id: row.id, body: this.#body(row), attempts: row.attempts };
  }

  /** The receiver took it: the next event becomes the head. (By seq and id: a seq is reused after the table empties.) */
  delivered(entry: { seq: number; id: string }): void {
    this.#sql.exec(`DELETE FROM webhook_outbox WHERE seq = ? AND id = ?`, entry.seq, entry.id);
  }

  /** The attempt failed: the head waits, backing off; returns when it is tried again. */
  failed(entry: { seq: number; id: string }): number {
    const { seq, id } = entry;
    const row = this.#sql
      .exec<{ attempts: number }>(
        `UPDATE webhook_outbox SET attempts = attempts + 1 WHERE seq = ? AND id = ? RETURNING attempts`,
        seq,
        id,
      )
      .toArray()[0];
    // Dropped while its attempt was in flight (the outbox overflowed): nothing waits on it.
    if (!row) return this.#now();
    const nextAt = this.#now() + retryDelayMs(row.attempts);
    this.#sql.exec(`UPDATE webhook_outbox SET next_at = ? WHERE seq = ?`, nextAt, seq);
    return nextAt;
  }

  /** When the head should be tried (now or earlier if it is due), or undefined when the outbox is empty. */
  nextDueAt(): number | undefined {
    return this.#head()?.next_at;
  }

  size(): number {
    return this.#sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM webhook_outbox`).one().n;
  }

  /** Events dropped since an event last took the count along. */
  droppedSinceLastSent(): number {
    return this.#state().dropped;
  }

  /** The newest edit (snapshot edit sequence) a `document.updated` has announced. */
  announcedEditSeq(): number {
    return this.#state().announced_edit_seq;
  }

  noteAnnouncedEditSeq(seq: number): void {
    this.#sql.exec(`UPDATE webhook_outbox_state SET announced_edit_seq = ? WHERE id = 1`, seq);
  }

  /** Runs a DELETE … RETURNING dropped and adds what it removed, and what those carried, to the count. */
  #drop(query: string, binding: number): void {
    const removed = this.#sql.exec<{ dropped: number | null }>(query, binding).toArray();
    if (removed.length === 0) return;
    const count = removed.reduce((sum, row) => sum + 1 + (row.dropped ?? 0), 0);
    this.#sql.exec(`UPDATE webhook_outbox_state SET dropped = dropped + ? WHERE id = 1`, count);
  }

  #head(): OutboxRow | undefined {
    return this.#sql.exec<OutboxRow>(`SELECT * FROM webhook_outbox ORDER BY seq LIMIT 1`).toArray()[0];
  }

  #state(): { dropped: number; announced_edit_seq: number } {
    return this.#sql
      .exec<{ dropped: number; announced_edit_seq: number }>(
        `SELECT dropped, announced_edit_seq FROM webhook_outbox_state WHERE id = 1`,
      )
      .one();
  }

  #body(row: OutboxRow): string {
    const body = {
      type: row.type,
      room: this.#roomId,
      at: row.at,
      data: JSON.parse(row.data) as unknown,
      ...(row.dropped ? { dropped: row.dropped } : {}),
    };
    return JSON.stringify(
      body satisfies Omit<WebhookBody, "type" | "data"> & { type: string; data: unknown },
    );
  }
}
