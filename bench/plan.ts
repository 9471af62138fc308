/** How long and how hard each mode measures. `tiny` is the test gate's run: seconds, not minutes. */
export type Mode = "tiny" | "quick" | "full";

export interface Plan {
  edits: { clients: number[]; seconds: number; rateHz: number };
  firstSync: { sizes: number[]; samples: number };
  cursors: { clients: number[]; seconds: number; rateHz: number };
  throughput: { rates: number[]; stageSeconds: number };
  /** `settleMs`: a pause before each memory reading, so freed buffers and sockets are gone. */
  memory: { idle: number; cycles: number; settleMs: number };
  /** Rounds of the three Edgeroom round trips (heartbeat, sync step, stored update). */
  roundTrips: number;
  /** 0 skips the hibernation workload. */
  hibernationIdleSeconds: number;
}

export const PLANS: Record<Mode, Plan> = {
  tiny: {
    edits: { clients: [2], seconds: 1, rateHz: 2 },
    firstSync: { sizes: [16_000], samples: 2 },
    cursors: { clients: [4], seconds: 1, rateHz: 30 },
    throughput: { rates: [50], stageSeconds: 1 },
    memory: { idle: 10, cycles: 10, settleMs: 200 },
    roundTrips: 5,
    // Local workerd evicts an idle object after 10-odd seconds; 20 leaves margin on a busy CI machine.
    hibernationIdleSeconds: 20,
  },
  quick: {
    edits: { clients: [2, 10, 50], seconds: 2, rateHz: 2 },
    firstSync: { sizes: [16_000, 160_000, 1_600_000], samples: 3 },
    cursors: { clients: [20, 50], seconds: 1.5, rateHz: 30 },
    throughput: { rates: [100, 200, 400, 800], stageSeconds: 1 },
    memory: { idle: 200, cycles: 60, settleMs: 400 },
    roundTrips: 60,
    hibernationIdleSeconds: 15,
  },
  full: {
    edits: { clients: [2, 10, 50], seconds: 10, rateHz: 2 },
    firstSync: { sizes: [16_000, 160_000, 1_600_000], samples: 20 },
    cursors: { clients: [20, 50], seconds: 6, rateHz: 30 },
    throughput: { rates: [100, 200, 400, 800, 1600, 3200], stageSeconds: 3 },
    memory: { idle: 1000, cycles: 1000, settleMs: 1500 },
    roundTrips: 200,
    hibernationIdleSeconds: 30,
  },
};
