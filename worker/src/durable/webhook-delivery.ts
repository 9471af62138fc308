/**
 * Sends the room's webhooks from its outbox, from the alarm: due events in
 * order, one at a time, stopping at the first failure (the head blocks the
 * rest while it backs off). Each attempt is an outgoing fetch, during which
 * workerd opens the object's input gate, so socket frames keep being
 * handled; nothing here holds anything a frame needs. Errors never escape:
 * an alarm that throws is retried by the platform, which would repeat the
 * room's own alarm work.
 */
import type { WebhookEvent } from "@edgeroom/shared";
import { attemptDelivery, type Attempt, type AttemptResult } from "../webhooks/deliver.ts";
import type { WebhookTarget } from "../webhooks/webhook-config.ts";
import type { SqliteWebhookOutbox } from "./sqlite-webhook-outbox.ts";

/**
 * One alarm sends at most this many events, for at most this long (a slow receiver answers each just
 * under the timeout); the rest go in the next alarm, set for right away, so no alarm nears its time limit.
 */
const MAX_SENDS_PER_PASS = 100;
const MAX_PASS_MS = 60_000;

export type SendAttempt = (attempt: Attempt) => Promise<AttemptResult>;

export class WebhookDelivery {
  readonly #outbox: SqliteWebhookOutbox | undefined;
  readonly #target: WebhookTarget;
  readonly #roomId: string;
  readonly #send: SendAttempt;
  readonly #now: () => number;
  #passRunning = false;
  #warned = false;
  /** The room's storage was deleted under this object: a pass in flight must not touch what replaced it. */
  #retired = false;

  constructor(
    outbox: SqliteWebhookOutbox | undefined,
    target: WebhookTarget,
    roomId: string,
    send: SendAttempt = attemptDelivery,
    now: () => number = Date.now,
  ) {
    // Webhooks off: nothing is stored, whatever the caller passed.
    this.#outbox = target.kind === "off" ? undefined : outbox;
    this.#target = target;
    this.#roomId = roomId;
    this.#send = send;
    this.#now = now;
  }

  /** Keeps the event (if webhooks are configured); returns when the alarm should go off to send it. */
  enqueue(event: WebhookEvent): number | undefined {
    if (!this.#outbox) return undefined;
    if (this.#target.kind === "misconfigured") this.#warnOnce(this.#target.problem);
    this.#outbox.enqueue(event);
    return this.nextDueAt();
  }

  /**
   * When the outbox next needs the alarm: undefined when webhooks are off or
   * misconfigured (nothing can be sent), or while a pass runs (it plans its own end).
   */
  nextDueAt(): number | undefined {
    if (this.#target.kind !== "on" || this.#passRunning || this.#retired) return undefined;
    return this.#outbox?.nextDueAt();
  }

  /** Sends what is due, in order, until a failure, an empty outbox, or the per-pass cap. Never throws. */
  async deliverDue(): Promise<void> {
    if (!this.#outbox || this.#passRunning || this.#retired) return;
    if (this.#target.kind === "misconfigured") return this.#warnOnce(this.#target.problem);
    if (this.#target.kind !== "on") return;
    const { url, key } = this.#target;
    this.#passRunning = true;
    const started = this.#now();
    try {
      for (let sent = 0; sent < MAX_SENDS_PER_PASS && this.#now() - started < MAX_PASS_MS; sent++) {
        const entry = this.#outbox.due(this.#now());
        if (!entry) return;
        const result = await this.#send({ url, key, id: entry.id, body: entry.body, now: this.#now() });
        if (this.#retired) return;
        if (result.ok) {
          this.#outbox.delivered(entry);
          continue;
        }
        const retryAt = this.#outbox.failed(entry);
        console.warn(
          `Edgeroom: webhook ${entry.id} of room ${this.#roomId} failed (${result.reason}; ` +
            `${entry.attempts + 1} in a row); next try in ${Math.round((retryAt - this.#now()) / 1000)} s`,
        );
        return;
      }
    } catch (error) {
      // SQLite trouble, most likely; the events stay stored and the next alarm tries again.
      console.error(`Edgeroom: webhook delivery for room ${this.#roomId} failed:`, error);
    } finally {
      this.#passRunning = false;
    }
  }

  /** Stops for good (the room deleted its storage); a pass in flight ends after its current attempt. */
  retire(): void {
    this.#retired = true;
  }

  /** Reports a misconfiguration once per object, so a busy room does not flood the log. */
  #warnOnce(problem: string): void {
    if (this.#warned) return;
    this.#warned = true;
    console.error(`Edgeroom: webhooks for room ${this.#roomId} are not sent: ${problem}; events are kept.`);
  }
}
