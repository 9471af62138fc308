/**
 * The Node peers run with --expose-gc; before each memory reading the
 * orchestrator asks them to collect, so a reading is what is live, not
 * what the collector has not reached yet. (workerd offers no such switch;
 * the report says so.)
 */
export function answerCollectRequests(): void {
  process.on("message", (message: unknown) => {
    if (message !== "collect-garbage") return;
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.("collected");
  });
}
