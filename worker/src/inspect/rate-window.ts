/**
 * Rates over the last minute from the meter's running totals: each look
 * keeps a sample, and a rate is the change since the oldest sample still in
 * the window. The first look has no earlier sample, so it measures from the
 * room's first event instead.
 */
import { ZERO_COUNTS, type RoomCounts } from "../durable/room-meter.ts";

export const RATE_WINDOW_MS = 60_000;

/** The counters that only grow, which a rate can be taken of. */
export type CountDelta = Omit<RoomCounts, "firstEventAt" | "lastEventAt">;

export interface Rates {
  /** How long the rates were measured over (ms); 0 when there was nothing to measure. */
  windowMs: number;
  /** What "windowMs" measured from: an earlier look, or the room's first event. */
  since: "last-minute" | "first-event";
  framesInPerSecond: number;
  framesOutPerSecond: number;
  bytesInPerSecond: number;
  bytesOutPerSecond: number;
  /** Share of the window the room was running (0 to 1): 1 − this is the time it could sleep. */
  activeShare: number;
  delta: CountDelta;
}

interface Sample {
  at: number;
  counts: RoomCounts;
}

export class RateWindow {
  #samples: Sample[] = [];

  add(at: number, counts: RoomCounts): Rates {
    this.#samples = this.#samples.filter((s) => at - s.at <= RATE_WINDOW_MS && s.at < at);
    const oldest = this.#samples[0];
    this.#samples.push({ at, counts });
    const base: Sample = oldest ?? {
      at: counts.firstEventAt ?? at,
      counts: { ...ZERO_COUNTS, firstEventAt: null, lastEventAt: null },
    };
    return rates(base, { at, counts }, oldest ? "last-minute" : "first-event");
  }
}

function rates(from: Sample, to: Sample, since: Rates["since"]): Rates {
  const windowMs = Math.max(0, to.at - from.at);
  const delta = { ...ZERO_COUNTS };
  for (const key of Object.keys(ZERO_COUNTS) as Array<keyof CountDelta>) {
    delta[key] = Math.max(0, to.counts[key] - from.counts[key]);
  }
  const perSecond = (n: number) => (windowMs > 0 ? (n * 1000) / windowMs : 0);
  return {
    windowMs,
    since,
    framesInPerSecond: perSecond(delta.framesInBinary + delta.framesInText),
    framesOutPerSecond: perSecond(delta.framesOut),
    bytesInPerSecond: perSecond(delta.bytesIn),
    bytesOutPerSecond: perSecond(delta.bytesOut),
    activeShare: windowMs > 0 ? Math.min(1, delta.activeMs / windowMs) : 0,
    delta,
  };
}
