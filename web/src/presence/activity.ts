/**
 * Publishes how present this person is, in the awareness `status` field:
 * away while the tab is hidden, idle after a minute without input, active
 * otherwise. Only changes are published.
 */
import { CLIENT_TUNING, type PresenceStatus } from "@edgeroom/shared";
import type { Awareness } from "y-protocols/awareness";

export function trackActivity(
  awareness: Awareness,
  idleAfterMs: number = CLIENT_TUNING.idleAfterMs,
): () => void {
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const publish = (status: PresenceStatus): void => {
    if (awareness.getLocalState()?.["status"] !== status) awareness.setLocalStateField("status", status);
  };
  const onInput = (): void => {
    if (document.visibilityState === "hidden") return;
    publish("active");
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => publish("idle"), idleAfterMs);
  };
  const onVisibility = (): void => (document.visibilityState === "hidden" ? publish("away") : onInput());

  const inputs = ["pointermove", "pointerdown", "keydown", "wheel", "focus"] as const;
  for (const type of inputs) window.addEventListener(type, onInput, { passive: true });
  document.addEventListener("visibilitychange", onVisibility);
  onVisibility();
  return () => {
    clearTimeout(idleTimer);
    for (const type of inputs) window.removeEventListener(type, onInput);
    document.removeEventListener("visibilitychange", onVisibility);
  };
}
