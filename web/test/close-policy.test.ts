import { CLOSE_REASONS, CloseCode, LIMITS } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { judgeClose } from "../src/connection/close-policy.ts";

describe("close policy", () => {
  it("retries closes that are not in the table or not fatal", () => {
    expect(judgeClose(1006, 0)).toEqual({ kind: "retry", crowdedCloses: 0 });
    expect(judgeClose(CloseCode.normal, 0)).toEqual({ kind: "retry", crowdedCloses: 0 });
    expect(judgeClose(CloseCode.heartbeatTimeout, 0)).toEqual({ kind: "retry", crowdedCloses: 0 });
  });

  it("stops at a fatal close with the table's reason", () => {
    expect(judgeClose(CloseCode.versionMismatch, 0)).toEqual({
      kind: "refused",
      crowdedCloses: 0,
      code: CloseCode.versionMismatch,
      reason: CLOSE_REASONS[CloseCode.versionMismatch].reason,
      forgetDeviceCopy: false,
      roomDeleted: false,
      retryAfterMs: undefined,
    });
  });

  it("a revoked access or a deleted room is final, even after crowded closes; only a deleted room drops the copy", () => {
    for (const crowded of [0, LIMITS.crowdedAttempts]) {
      expect(judgeClose(CloseCode.accessRevoked, crowded)).toEqual({
        kind: "refused",
        crowdedCloses: crowded,
        code: CloseCode.accessRevoked,
        reason: CLOSE_REASONS[CloseCode.accessRevoked].reason,
        forgetDeviceCopy: false,
        roomDeleted: false,
        retryAfterMs: undefined,
      });
      expect(judgeClose(CloseCode.roomDeleted, crowded)).toEqual({
        kind: "refused",
        crowdedCloses: crowded,
        code: CloseCode.roomDeleted,
        reason: CLOSE_REASONS[CloseCode.roomDeleted].reason,
        forgetDeviceCopy: true,
        roomDeleted: true,
        retryAfterMs: undefined,
      });
    }
  });

  it("forgets the device copy only when the room refused this person's token", () => {
    expect(judgeClose(CloseCode.tokenInvalid, 0)).toMatchObject({ kind: "refused", forgetDeviceCopy: true });
    expect(judgeClose(CloseCode.tokenRequired, 0)).toMatchObject({ kind: "refused", forgetDeviceCopy: true });
    expect(judgeClose(CloseCode.tokenExpired, 0)).toMatchObject({ kind: "refused", forgetDeviceCopy: false });
  });

  it("retries a full room quietly until it happened crowdedAttempts times, then says so and waits", () => {
    let crowded = 0;
    for (let attempt = 1; attempt < LIMITS.crowdedAttempts; attempt += 1) {
      const verdict = judgeClose(CloseCode.roomFull, crowded);
      expect(verdict).toEqual({ kind: "retry", crowdedCloses: attempt });
      crowded = verdict.crowdedCloses;
    }
    expect(judgeClose(CloseCode.tooManySockets, crowded)).toMatchObject({
      kind: "refused",
      crowdedCloses: LIMITS.crowdedAttempts,
      code: CloseCode.tooManySockets,
      retryAfterMs: LIMITS.crowdedRetryMs,
    });
  });

  it("after enough crowded closes, any known close ends in a refusal that is retried later", () => {
    expect(judgeClose(CloseCode.heartbeatTimeout, LIMITS.crowdedAttempts)).toMatchObject({
      kind: "refused",
      retryAfterMs: LIMITS.crowdedRetryMs,
    });
    expect(judgeClose(1006, LIMITS.crowdedAttempts)).toEqual({
      kind: "retry",
      crowdedCloses: LIMITS.crowdedAttempts,
    });
  });
});
