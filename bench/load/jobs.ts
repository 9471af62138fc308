/** What the orchestrator can ask the load-generator process to do, and what it answers. */
import type { Target } from "./wire.ts";

export type Job =
  | { kind: "edits"; target: Target; clients: number; seconds: number; rateHz: number }
  | { kind: "first-sync"; target: Target; targetBytes: number; samples: number }
  | { kind: "cursors"; target: Target; clients: number; seconds: number; rateHz: number }
  | { kind: "throughput"; target: Target; rates: number[]; stageSeconds: number }
  | { kind: "open-idle"; target: Target; count: number }
  | { kind: "close-idle" }
  | { kind: "join-leave"; target: Target; cycles: number }
  | {
      kind: "hibernation";
      targets: Target[];
      idleSeconds: number;
      documentBytes: number;
      wakeAttempts: number;
    }
  | { kind: "round-trips"; target: Target; samples: number }
  | { kind: "big-room-open"; target: Target; sockets: number }
  | { kind: "big-room-edit"; editors: number; seconds: number; rateHz: number }
  | { kind: "big-room-close" }
  | { kind: "room-capacity"; target: Target; extra: number };

export interface JobRequest {
  id: number;
  job: Job;
}

export interface JobReply {
  id: number;
  result?: unknown;
  error?: string;
  /** CPU the load generator used during the job, in ms, and the job's wall time. */
  cpuMs: number;
  wallMs: number;
}
