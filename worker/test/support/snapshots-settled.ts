/**
 * Waits until none of these rooms has a snapshot to write. Call it before
 * `abortAllDurableObjects()`: aborting an object in the middle of its R2
 * write leaves the test runner waiting on that write for good.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";

export async function snapshotsSettled(rooms: readonly string[]): Promise<void> {
  for (const room of rooms) {
    const stub = env.Room.get(env.Room.idFromName(room));
    await expect
      .poll(
        () =>
          runInDurableObject(stub, (_instance, state) => {
            const sql = state.storage.sql;
            const known = sql.exec(`SELECT 1 FROM sqlite_master WHERE name = 'snapshot_state'`).toArray();
            if (known.length === 0) return true;
            return (
              sql.exec(`SELECT 1 FROM snapshot_state WHERE dirty_since IS NOT NULL`).toArray().length === 0
            );
          }),
        { timeout: 15_000, interval: 200 },
      )
      .toBe(true);
  }
}
