import { ErrorCode } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import {
  changeMade,
  checkConfirmed,
  deviceChangeMade,
  deviceLost,
  deviceStored,
  frameAnswered,
  NOTHING_ON_DEVICE,
  NOTHING_UNSAVED,
  rejectAnswer,
  savedState,
  socketClosed,
  syncReplySent,
  unsavedChanges,
  type SaveCounts,
} from "../src/connection/save-tracker.ts";

function apply(steps: Array<(counts: SaveCounts) => SaveCounts>): SaveCounts {
  return steps.reduce((counts, step) => step(counts), NOTHING_UNSAVED);
}

const sent = (c: SaveCounts) => changeMade(c, true);
const offline = (c: SaveCounts) => changeMade(c, false);
const ack = (c: SaveCounts) => frameAnswered(c, "ack");
const reject = (c: SaveCounts) => frameAnswered(c, "reject");

describe("counting unsaved changes", () => {
  it("is saved once every sent change is acknowledged, in order", () => {
    expect(unsavedChanges(apply([sent, sent]))).toBe(2);
    expect(unsavedChanges(apply([sent, sent, ack]))).toBe(1);
    expect(apply([sent, sent, ack, ack])).toEqual(NOTHING_UNSAVED);
  });

  it("counts each change made offline, and the sync reply after reconnect covers them all", () => {
    const offlineThree = apply([offline, offline, offline]);
    expect(unsavedChanges(offlineThree)).toBe(3);
    const replied = syncReplySent(offlineThree);
    expect(replied.inFlight).toEqual([3]);
    expect(unsavedChanges(replied)).toBe(3);
    expect(unsavedChanges(ack(replied))).toBe(0);
  });

  it("an empty sync reply still takes one answer, so later acks line up with later frames", () => {
    const counts = apply([syncReplySent, sent]);
    expect(counts.inFlight).toEqual([0, 1]);
    expect(unsavedChanges(ack(counts))).toBe(1);
    expect(unsavedChanges(ack(ack(counts)))).toBe(0);
  });

  it("returns sent but unanswered changes to pending when the socket closes", () => {
    const counts = apply([sent, sent, ack, sent, socketClosed, offline]);
    expect(counts).toEqual({ pending: 3, inFlight: [], refused: 0 });
    expect(apply([sent, sent, ack, sent, socketClosed, offline, syncReplySent, ack])).toEqual(
      NOTHING_UNSAVED,
    );
  });

  it("keeps refused changes unsaved, and retries them with the next sync reply", () => {
    const refused = apply([sent, sent, reject]);
    expect(refused).toEqual({ pending: 0, inFlight: [1], refused: 1 });
    expect(unsavedChanges(ack(refused))).toBe(1);
    const retried = syncReplySent(socketClosed(ack(refused)));
    expect(retried.inFlight).toEqual([1]);
    expect(unsavedChanges(ack(retried))).toBe(0);
    expect(reject(retried).refused).toBe(1);
  });

  it("ignores an answer with nothing in flight instead of going negative", () => {
    expect(ack(NOTHING_UNSAVED)).toEqual(NOTHING_UNSAVED);
  });
});

describe("rate limits and the divergence check", () => {
  it("puts a dropped frame's changes back to pending, for the next sync reply to carry", () => {
    let counts = changeMade(changeMade(NOTHING_UNSAVED, true), true);
    counts = frameAnswered(counts, "dropped");
    expect(counts).toEqual({ pending: 1, inFlight: [1], refused: 0 });
    counts = frameAnswered(counts, "ack");
    counts = syncReplySent(counts);
    expect(counts).toEqual({ pending: 0, inFlight: [1], refused: 0 });
    expect(unsavedChanges(frameAnswered(counts, "ack"))).toBe(0);
  });

  it("settles frames whose answers were lost once the room confirms it holds our document", () => {
    // Three frames went out before the check, one after; only the first was answered.
    let counts = changeMade(changeMade(changeMade(NOTHING_UNSAVED, true), true), true);
    counts = frameAnswered(counts, "ack");
    counts = changeMade(counts, true);
    counts = checkConfirmed(counts, 1);
    expect(counts.inFlight).toEqual([1]);
    expect(unsavedChanges(frameAnswered(counts, "ack"))).toBe(0);
  });
});

describe("an update the room could not integrate (missing-dependencies)", () => {
  it("is not counted as saved, and the reply to the room's sync step 1 that follows saves it", () => {
    const refused = (c: SaveCounts) => frameAnswered(c, rejectAnswer(ErrorCode.missingDependencies));
    const afterReject = apply([sent, refused]);
    expect(unsavedChanges(afterReject)).toBe(1);
    // Not shown as a refusal: the room repairs this by itself.
    expect(afterReject.refused).toBe(0);
    const replied = syncReplySent(afterReject);
    expect(replied.inFlight).toEqual([1]);
    expect(apply([sent, refused, syncReplySent, ack])).toEqual(NOTHING_UNSAVED);
  });

  it("counts refusals the room cannot repair (size cap, read-only) as refused", () => {
    expect(rejectAnswer(ErrorCode.documentTooLarge)).toBe("reject");
    expect(rejectAnswer(ErrorCode.readOnly)).toBe("reject");
    expect(rejectAnswer(ErrorCode.rateLimited)).toBe("dropped");
  });
});

describe("the three saved states", () => {
  const made = (n: number) =>
    Array.from({ length: n }).reduce<typeof NOTHING_ON_DEVICE>((d) => deviceChangeMade(d), NOTHING_ON_DEVICE);

  it("is in the room once the room stored everything, wherever the device stands", () => {
    expect(savedState(apply([sent, ack]), deviceLost(made(1)))).toBe("in-room");
    expect(savedState(NOTHING_UNSAVED, NOTHING_ON_DEVICE)).toBe("in-room");
  });

  it("is on the device when every unsent change is written to IndexedDB", () => {
    const counts = apply([offline, offline]);
    expect(savedState(counts, deviceStored(made(2), 2))).toBe("on-device");
  });

  it("is at risk while a change is not yet written to the device", () => {
    const counts = apply([offline, offline, offline]);
    expect(savedState(counts, deviceStored(made(3), 2))).toBe("at-risk");
    expect(savedState(counts, made(3))).toBe("at-risk");
  });

  it("is at risk without a device copy (IndexedDB missing, failed or deleted), even for written changes", () => {
    const counts = apply([offline]);
    expect(savedState(counts, deviceLost(deviceStored(made(1), 1)))).toBe("at-risk");
  });

  it("counts refused and in-flight changes as not in the room", () => {
    expect(savedState(apply([sent, reject]), deviceStored(made(1), 1))).toBe("on-device");
    expect(savedState(apply([sent]), made(1))).toBe("at-risk");
  });

  it("a late confirmation for fewer changes never moves the device count back", () => {
    expect(deviceStored(deviceStored(made(5), 5), 3).stored).toBe(5);
  });
});
