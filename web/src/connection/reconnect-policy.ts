/**
 * How fast a dropped connection retries. Visible tabs come back quickly,
 * each tab from its own jittered start so a room's clients do not return in
 * one instant after an outage or deploy; hidden tabs back off to about a
 * minute (jittered too), since nobody is looking and a reconnect storm of
 * background tabs helps no one. Becoming visible or going online retries at once.
 */
import { CLIENT_TUNING, LIMITS } from "@edgeroom/shared";

export interface ReconnectDelays {
  minReconnectionDelay: number;
  maxReconnectionDelay: number;
  reconnectionDelayGrowFactor: number;
}

export function reconnectDelays(hidden: boolean, random: () => number = Math.random): ReconnectDelays {
  const jitter = CLIENT_TUNING.retryJitterFloor + random();
  return {
    minReconnectionDelay:
      (hidden ? CLIENT_TUNING.hiddenRetryMinMs : CLIENT_TUNING.visibleRetryMinMs) * jitter,
    maxReconnectionDelay: hidden ? LIMITS.hiddenRetryMs * jitter : CLIENT_TUNING.visibleRetryMaxMs,
    reconnectionDelayGrowFactor: CLIENT_TUNING.retryGrowFactor,
  };
}

/** A reconnecting socket whose delays can change between attempts (partysocket's `updateProperties`). */
export interface PacedSocket {
  updateProperties(options: ReconnectDelays): void;
}

/** Keeps a socket's reconnect delays in step with the tab's visibility; returns a function that stops it. */
export function paceReconnects(
  socket: PacedSocket,
  page: EventTarget & { readonly visibilityState: DocumentVisibilityState },
  random: () => number = Math.random,
): () => void {
  const onChange = (): void =>
    socket.updateProperties(reconnectDelays(page.visibilityState === "hidden", random));
  page.addEventListener("visibilitychange", onChange);
  return () => page.removeEventListener("visibilitychange", onChange);
}
