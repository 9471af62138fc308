/**
 * The structural fuzz run (see `test/unit/fuzz-structural.test.ts`), a
 * smaller batch, over a Durable Object's real SQLite storage inside workerd:
 * what is stored after every hostile frame is exactly the document.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SqliteUpdateStore } from "../../src/durable/sqlite-update-store.ts";
import { runStructuralFuzz } from "../support/fuzz-structural.ts";

const untimed = <T>(handle: () => T) => ({ result: handle(), ms: 0 });

describe("fuzz: structurally valid hostile Yjs updates inside workerd", () => {
  for (const seed of [101, 202, 303]) {
    it(
      `seed ${seed}: one answer per frame, no pending state, storage holds the document`,
      { timeout: 120_000 },
      async () => {
        const stub = env.Room.get(env.Room.idFromName(`structural-fuzz-${seed}`));
        const answers = await runInDurableObject(stub, (_instance, state) => {
          const run = runStructuralFuzz({
            seed,
            frames: 150,
            updates: new SqliteUpdateStore(state.storage),
            time: untimed,
          });
          return run.answers;
        });
        expect(answers["ack"]).toBeGreaterThan(0);
        expect(answers["missing-dependencies"]).toBeGreaterThan(0);
      },
    );
  }
});
