/**
 * 1,000 join/leave cycles (SOAK_CYCLES for more) through the room logic,
 * each visitor saying hello, publishing awareness, moving its pointer,
 * typing, editing and chatting: afterwards the room keeps nothing per
 * socket. The same holds for real sockets in test/workerd/soak.test.ts.
 */
import { encodeAwarenessFrame } from "@edgeroom/shared";
import { helloFrame } from "@edgeroom/testkit";
import { expect, it } from "vitest";
import { NEW_PEER } from "../../src/room/reaction.ts";
import { RoomLogicSim } from "../support/room-logic-sim.ts";

const CYCLES = Number(process.env.SOAK_CYCLES ?? 1000);

it(`retains nothing per socket after ${CYCLES} join/leave cycles`, { timeout: 120_000 }, () => {
  const sim = new RoomLogicSim();
  const room = sim.logic;
  for (let i = 0; i < CYCLES; i++) {
    sim.clock += 10;
    const id = `visitor-${i}`;
    let peer = NEW_PEER;
    const say = (text: string): void => {
      peer = room.receiveText(id, peer, text).peer ?? peer;
    };
    say(helloFrame({ user: { name: `V${i}`, color: "#882255" } }));
    const awareness = encodeAwarenessFrame([{ clientId: 10_000 + i, clock: 1, stateJson: '{"n":1}' }]);
    peer = room.receiveBinary(id, peer, awareness).peer ?? peer;
    say(JSON.stringify({ type: "pointer", at: { pos: 0, dx: 1, dy: 1 } }));
    say(JSON.stringify({ type: "typing", active: true }));
    say(JSON.stringify({ type: "chat-send", id: `soak-${String(i).padStart(6, "0")}`, text: "hi" }));
    room.leave(id, peer);
    room.flushPointers([]);
  }
  expect(room.retainedPerSocket()).toEqual({
    guards: 0,
    persons: 0,
    awarenessClients: 0,
    pointerMoves: false,
  });
});
