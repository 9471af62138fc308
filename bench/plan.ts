/** How long and how hard each mode measures. `tiny` is the test gate's run: seconds, not minutes. */
export type Mode = "tiny" | "quick" | "full";

export interface Plan {
  edits: { clients: number[]; seconds: number; rateHz: number };
  firstSync: { sizes: number[]; samples: number };
  cursors: { clients: number[]; seconds: number; rateHz: number };
  throughput: { rates: number[]; stageSeconds: number };
  /** `settleMs`: a pause before each memory reading, so freed buffers and sockets are gone. */
  memory: { idle: number; cycles: number; settleMs: number; freshServers: boolean };
  /** Rounds of the three Edgeroom round trips (heartbeat, sync step, stored update). */
  roundTrips: number;
  /** 0 skips the hibernation workload. */
  hibernationIdleSeconds: number;
  /** The document the hibernating rooms hold (the first-sync trace document of about this size). */
  hibernationDocumentBytes: number;
  /** Frames tried, each after another idle spell, until one finds the room evicted. */
  wakeAttempts: number;
  /**
   * Rooms of `sockets` each (one after another), `editors` of them typing at `rateHz`; [] skips it.
   * Edgeroom on workerd directly always; Hocuspocus too when `withHocuspocus`.
   */
  bigRooms: { sockets: number[]; editors: number; seconds: number; rateHz: number; withHocuspocus: boolean };
  /** Sockets past `LIMITS.maxConnectionsPerRoom` tried in one room, to show what the limit does. */
  capacityExtra: number;
}

export const PLANS: Record<Mode, Plan> = {
  tiny: {
    edits: { clients: [2], seconds: 1, rateHz: 2 },
    firstSync: { sizes: [16_000], samples: 2 },
    cursors: { clients: [4], seconds: 1, rateHz: 30 },
    throughput: { rates: [50], stageSeconds: 1 },
    // Servers are restarted for memory only when figures count: tiny checks behaviour and must stay fast.
    memory: { idle: 10, cycles: 10, settleMs: 200, freshServers: false },
    roundTrips: 5,
    // Local workerd evicts an idle object after 10-odd seconds; 20 leaves margin on a busy CI machine.
    hibernationIdleSeconds: 20,
    hibernationDocumentBytes: 16_000,
    wakeAttempts: 1,
    bigRooms: { sockets: [20], editors: 2, seconds: 1, rateHz: 2, withHocuspocus: false },
    capacityExtra: 2,
  },
  quick: {
    edits: { clients: [2, 10, 50], seconds: 2, rateHz: 2 },
    firstSync: { sizes: [16_000, 160_000, 1_600_000], samples: 3 },
    cursors: { clients: [20, 50], seconds: 1.5, rateHz: 30 },
    throughput: { rates: [100, 200, 400, 800], stageSeconds: 1 },
    memory: { idle: 200, cycles: 60, settleMs: 400, freshServers: true },
    roundTrips: 60,
    hibernationIdleSeconds: 15,
    hibernationDocumentBytes: 1_600_000,
    wakeAttempts: 3,
    bigRooms: { sockets: [200], editors: 10, seconds: 3, rateHz: 2, withHocuspocus: true },
    capacityExtra: 3,
  },
  full: {
    edits: { clients: [2, 10, 50], seconds: 10, rateHz: 2 },
    firstSync: { sizes: [16_000, 160_000, 1_600_000], samples: 20 },
    cursors: { clients: [20, 50], seconds: 6, rateHz: 30 },
    throughput: { rates: [100, 200, 400, 800, 1600, 3200], stageSeconds: 3 },
    memory: { idle: 1000, cycles: 1000, settleMs: 1500, freshServers: true },
    roundTrips: 200,
    hibernationIdleSeconds: 30,
    hibernationDocumentBytes: 1_600_000,
    wakeAttempts: 4,
    bigRooms: { sockets: [500, 1000], editors: 10, seconds: 10, rateHz: 2, withHocuspocus: true },
    capacityExtra: 5,
  },
};
