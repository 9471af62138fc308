/**
 * When a webhook is tried again: exponential back-off from
 * `webhookRetryMinMs`, doubling per failure in a row, capped at
 * `webhookRetryMaxMs`. No jitter: each room has its own outbox and its own
 * alarm, so rooms do not retry in lockstep the way one shared queue would.
 */
import { LIMITS } from "@edgeroom/shared";

/** The wait after the `failures`-th failure in a row (1 for the first). */
export function retryDelayMs(failures: number): number {
  const doublings = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(LIMITS.webhookRetryMaxMs, LIMITS.webhookRetryMinMs * 2 ** doublings);
}
