/**
 * Seeded convergence: 5 clients edit one document through a RoomLogic over
 * an in-memory network while the test picks, at random, who edits, which
 * frames are delivered next, and who drops off (losing whatever was in
 * flight) or comes back (a new sync handshake). After every seed all
 * clients and the room must hold the same content. A failing seed is in
 * the test's name; add it to NAMED_SEEDS so it stays a test of its own.
 */
import { describe, expect, it } from "vitest";
import { integer, pick, seeded, SimNetwork, type Random, type SimClient } from "@edgeroom/testkit";
import { RoomLogicSim } from "../support/room-logic-sim.ts";

const SEEDS = Number(process.env.CONVERGENCE_SEEDS ?? 50);
const OPERATIONS = 200;
const CLIENTS = 5;
/** Seeds that once failed, kept as tests of their own. */
const NAMED_SEEDS: readonly number[] = [];

function edit(random: Random, client: SimClient): void {
  const { text } = client;
  if (text.length > 0 && random() < 0.35) {
    const at = integer(random, text.length);
    text.delete(at, Math.min(1 + integer(random, 8), text.length - at));
  } else {
    text.insert(integer(random, text.length + 1), `${client.name}:${integer(random, 100)} `);
  }
}

function run(seed: number): void {
  const random = seeded(seed);
  const network = new SimNetwork(new RoomLogicSim(), CLIENTS);
  for (const client of network.clients) if (random() < 0.7) client.connect();
  for (let op = 0; op < OPERATIONS; op++) {
    network.room.clock += 50;
    const client = pick(random, network.clients);
    const roll = random();
    if (roll < 0.35) edit(random, client);
    else if (roll < 0.6) for (let n = integer(random, 4); n >= 0; n--) client.deliverUp();
    else if (roll < 0.85) for (let n = integer(random, 4); n >= 0; n--) client.deliverDown();
    else if (roll < 0.93) client.disconnect();
    else client.connect();
  }
  network.settle();
  const [room, ...clients] = network.hashes();
  expect(clients).toEqual(clients.map(() => room));
  const content = network.room.doc.getText("content").toString();
  for (const client of network.clients) expect(client.text.toString()).toBe(content);
}

describe("convergence", () => {
  it.each(Array.from({ length: SEEDS }, (_, i) => i + 1))(
    `seed %i: ${CLIENTS} clients × ${OPERATIONS} operations`,
    (seed) => run(seed),
  );
  it.each(NAMED_SEEDS)("past failure, seed %i", (seed) => run(seed));
});
