/** Runs a tiny version of the pointer fan-out measurement so the script cannot rot. */
import { expect, test } from "@playwright/test";
import { formatFanout, measurePointerFanout } from "../../bench/pointer-fanout.ts";
import { SHARED_URL } from "../support/shared-server.ts";

test("pointer moves reach every other client in batches, far fewer frames than a relay", async () => {
  const result = await measurePointerFanout({ url: SHARED_URL, clients: 4, seconds: 1 });
  console.log(formatFanout(result));
  expect(result.movesSent).toBe(4 * 30);
  expect(result.framesReceived).toBeGreaterThan(0);
  // Every client moved, so every recipient heard about all three others.
  expect(result.movesDeliveredPerSecond).toBeGreaterThan(0);
  // At most one frame per recipient per 50 ms tick (plus one for the trailing flush)…
  expect(result.framesReceived).toBeLessThanOrEqual(4 * (Math.ceil((result.seconds * 1000) / 50) + 1));
  // …which is fewer than one frame per move per recipient, as a relay would send.
  expect(result.framesReceived).toBeLessThan(result.movesSent * 3);
});
