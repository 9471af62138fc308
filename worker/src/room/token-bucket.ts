/**
 * A token bucket: `burst` tokens, refilled at `perSecond`. Plain data plus
 * pure functions, so the clock is whatever the caller passes.
 */
export interface Budget {
  perSecond: number;
  burst: number;
}

export interface Bucket {
  tokens: number;
  at: number;
}

export function fullBucket(budget: Budget, now: number): Bucket {
  return { tokens: budget.burst, at: now };
}

/** Takes one token if there is one; returns whether it could. */
export function take(bucket: Bucket, budget: Budget, now: number): boolean {
  refill(bucket, budget, now);
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/** Whether the bucket holds anything (after refilling): a debt must be paid off first. */
export function hasCredit(bucket: Bucket, budget: Budget, now: number): boolean {
  refill(bucket, budget, now);
  return bucket.tokens > 0;
}

/** Takes `cost` tokens whatever the bucket holds; it may go into debt, which refilling pays off. */
export function spend(bucket: Bucket, budget: Budget, now: number, cost: number): void {
  refill(bucket, budget, now);
  bucket.tokens -= cost;
}

function refill(bucket: Bucket, budget: Budget, now: number): void {
  const refilled = bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * budget.perSecond;
  bucket.tokens = Math.min(budget.burst, refilled);
  bucket.at = now;
}
