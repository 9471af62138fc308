import { describe, expect, it } from "vitest";
import { emptyUsage, priceUsage, scaleUsage, type RoomUsage } from "../src/index.ts";

// Worked by hand from the published prices (see cost-model.ts):
//   2 requests                 × $0.15/M        = $0.0000003
//   4,000 messages / 20 = 200  × $0.15/M        = $0.00003
//   3,600 heartbeats, 10,000 outgoing           = $0
//   360 alarm runs             × $0.15/M        = $0.000054
//   36 s × 0.125 GB = 4.5 GB-s × $12.50/M       = $0.00005625
//   8,000 rows written         × $1.00/M        = $0.008
//   1,000,000 rows read        × $0.001/M       = $0.001
//   12 class A                 × $4.50/M        = $0.000054
//   100 class B                × $0.36/M        = $0.000036
//   total                                         $0.00923055
const usage: RoomUsage = {
  requests: 2,
  incomingMessages: 4000,
  autoResponseHeartbeats: 3600,
  outgoingMessages: 10_000,
  alarmRuns: 360,
  activeMs: 36_000,
  rowsWritten: 8000,
  rowsRead: 1_000_000,
  r2ClassA: 12,
  r2ClassB: 100,
};

const dollars = (item: string) => priceUsage(usage).lines.find((l) => l.item.startsWith(item))?.dollars;

describe("cost model", () => {
  it("prices each item as worked by hand", () => {
    expect(dollars("requests")).toBeCloseTo(0.0000003, 12);
    expect(dollars("incoming WebSocket")).toBeCloseTo(0.00003, 12);
    expect(dollars("auto-response")).toBe(0);
    expect(dollars("outgoing")).toBe(0);
    expect(dollars("alarm")).toBeCloseTo(0.000054, 12);
    expect(dollars("duration")).toBeCloseTo(0.00005625, 12);
    expect(dollars("SQLite rows written")).toBeCloseTo(0.008, 12);
    expect(dollars("SQLite rows read")).toBeCloseTo(0.001, 12);
    expect(dollars("R2 class A")).toBeCloseTo(0.000054, 12);
    expect(dollars("R2 class B")).toBeCloseTo(0.000036, 12);
    expect(priceUsage(usage).total).toBeCloseTo(0.00923055, 12);
  });

  it("bills messages at 20 to one request and duration as GB-s at 128 MB", () => {
    const lines = priceUsage(usage).lines;
    expect(lines.find((l) => l.item.startsWith("incoming"))?.billedUnits).toBe(200);
    expect(lines.find((l) => l.item.startsWith("duration"))?.billedUnits).toBe(4.5);
  });

  it("costs nothing for a room that did nothing, and heartbeats alone stay free", () => {
    expect(priceUsage(emptyUsage()).total).toBe(0);
    expect(priceUsage({ ...emptyUsage(), autoResponseHeartbeats: 1e9 }).total).toBe(0);
  });

  it("scales a short measurement to an hour", () => {
    const minute = { ...emptyUsage(), incomingMessages: 10, activeMs: 500 };
    const hour = scaleUsage(minute, 60_000, 3_600_000);
    expect(hour.incomingMessages).toBe(600);
    expect(hour.activeMs).toBe(30_000);
    expect(() => scaleUsage(minute, 0, 3_600_000)).toThrow(RangeError);
  });
});
