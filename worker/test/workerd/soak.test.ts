/**
 * Join/leave cycles against one room: afterwards the object keeps nothing
 * per socket (no rate-limit records, awareness clients or pointer moves).
 * SOAK_CYCLES_WORKERD sets how many real sockets (200 in CI; the 1,000-cycle
 * run of the same room logic is test/unit/soak.test.ts).
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import type { Room } from "../../src/durable/room-server.ts";
import { connectToRoom } from "../support/connect.ts";

function within<T>(what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over 5 s`)), 5_000)),
  ]);
}

const CYCLES = Number((env as unknown as { SOAK_CYCLES?: string }).SOAK_CYCLES ?? 200);

it(
  `retains nothing per socket after ${CYCLES} join/leave cycles`,
  { timeout: 20_000 + CYCLES * 100 },
  async () => {
    const room = "soak-room";
    // A stock client: it sends no heartbeats, and only app-lane sockets are swept for silence.
    const stayer = await connectToRoom(room, { hello: false });
    for (let i = 0; i < CYCLES; i++) {
      const visitor = await within(
        `cycle ${i}: join`,
        connectToRoom(room, { user: { name: `V${i}`, color: "#882255" } }),
      );
      visitor.setAwareness(10_000 + i, 1, { user: { name: `V${i}`, color: "#882255" } });
      visitor.sendApp({ type: "pointer", at: { pos: 0, dx: 1, dy: 1 } });
      visitor.sendApp({ type: "typing", active: true });
      await stayer
        .until(() => stayer.awareness.has(10_000 + i))
        .catch((error: unknown) => {
          throw new Error(`cycle ${i}: ${String(error)}`);
        });
      visitor.socket.close(1000, "cycle");
      await within(`cycle ${i}: close`, visitor.closed);
    }
    const stub = env.Room.get(env.Room.idFromName(room));
    await expect
      .poll(() => runInDurableObject(stub, (instance: Room) => instance.room.retainedPerSocket()), {
        timeout: 5_000,
      })
      .toEqual({ guards: 1, persons: 0, awarenessClients: 0, pointerMoves: false });
    stayer.socket.close(1000, "done");
    await expect
      .poll(() => runInDurableObject(stub, (instance: Room) => instance.room.retainedPerSocket()), {
        timeout: 5_000,
      })
      .toEqual({ guards: 0, persons: 0, awarenessClients: 0, pointerMoves: false });
  },
);
