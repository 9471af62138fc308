/**
 * The room meter as the bench probe serves it: real sockets, a real alarm
 * and a real R2 snapshot move the counts the cost section prices, and the
 * probe still answers what it always did (starts, document loads).
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { BENCH_PROBE_PATH } from "../../src/durable/bench-probe.ts";
import type { RoomCounts } from "../../src/durable/room-meter.ts";
import { connectClosedAfterEach } from "../support/connect.ts";

const connect = connectClosedAfterEach();
const stub = (room: string) => env.Room.get(env.Room.idFromName(room));

async function probe(room: string, bench = "1"): Promise<Response> {
  const request = new Request(`http://127.0.0.1${BENCH_PROBE_PATH}?room=${room}`);
  return worker.fetch(
    request as Request<unknown, IncomingRequestCfProperties>,
    {
      ...env,
      EDGEROOM_BENCH: bench,
    } as Env,
  );
}

async function counts(room: string): Promise<RoomCounts & { room: string }> {
  const response = await probe(room);
  expect(response.status).toBe(200);
  return (await response.json()) as RoomCounts & { room: string };
}

describe("room meter", () => {
  it("is served by the bench probe only under EDGEROOM_BENCH, with starts and document loads as before", async () => {
    await connect("meter-probe");
    expect((await probe("meter-probe", "")).status).not.toBe(200);
    const seen = await counts("meter-probe");
    expect(seen.room).toBe("meter-probe");
    expect(seen.starts).toBe(1);
    expect(seen.documentLoads).toBeGreaterThanOrEqual(0);
    expect(seen.socketsOpened).toBe(1);
    expect(seen.firstEventAt).not.toBeNull();
  });

  it("counts frames in once and out once per recipient", async () => {
    const room = "meter-fanout";
    const a = await connect(room, { user: { name: "Ada", color: "#225588" } });
    const b = await connect(room, { user: { name: "Bo", color: "#225588" } });
    const c = await connect(room, { user: { name: "Cy", color: "#225588" } });
    const before = await counts(room);
    const received = () => b.binaryFrames.length + c.binaryFrames.length;
    const receivedBefore = received();
    for (let clock = 1; clock <= 5; clock++) {
      a.setAwareness(a.doc.clientID, clock, { user: { name: "Ada", color: "#225588" }, cursor: null });
    }
    await b.until(() => received() >= receivedBefore + 10);
    const after = await counts(room);
    expect(after.framesInBinary - before.framesInBinary).toBeGreaterThanOrEqual(5);
    // Five awareness frames relayed to the two others: ten frames out, however they were batched in.
    expect(after.framesOut - before.framesOut).toBeGreaterThanOrEqual(10);
    expect(after.bytesOut - before.bytesOut).toBeGreaterThan(after.bytesIn - before.bytesIn);
    expect(after.activeMs).toBeGreaterThanOrEqual(before.activeMs);
    expect(after.lastEventAt).toBeGreaterThanOrEqual(before.lastEventAt ?? 0);
  });

  it("counts alarm runs, rows written by an edit, and the snapshot's R2 put when the last person leaves", async () => {
    const room = "meter-storage";
    const a = await connect(room, { user: { name: "Ada", color: "#225588" } });
    const before = await counts(room);
    await a.type("hello");
    const edited = await counts(room);
    expect(edited.rowsWritten).toBeGreaterThan(before.rowsWritten);
    expect(edited.alarmSets).toBeGreaterThan(before.alarmSets);
    a.socket.close(1000, "bye");
    await a.closed;
    await expect.poll(async () => (await counts(room)).socketsClosed, { timeout: 5000 }).toBe(1);
    await expect
      .poll(
        async () => {
          await runDurableObjectAlarm(stub(room));
          return (await counts(room)).r2ClassA;
        },
        { timeout: 10_000, interval: 300 },
      )
      .toBeGreaterThan(before.r2ClassA);
    expect((await counts(room)).alarmRuns).toBeGreaterThan(before.alarmRuns);
  });
});
