/**
 * Workload 4: how many single-character updates a second one room takes
 * before an observer sees them more than 100 ms late. Writers share each
 * stage's rate, enough of them that each stays within Edgeroom's
 * per-socket document budget (one fast typist's worth), so the room is
 * measured rather than the limit on a single socket. The stages double
 * until p95 latency passes 100 ms or the room stops delivering what was sent.
 */
import { LIMITS } from "@edgeroom/shared";
import { allSynced, openBenchClient, openMany, sleep } from "./bench-client.ts";
import { EditTracker } from "./edit-tracker.ts";
import { freshRoom } from "./rooms.ts";
import type { LatencySummary } from "./stats.ts";
import type { Target } from "./wire.ts";

export interface ThroughputStage {
  rate: number;
  writers: number;
  sent: number;
  delivered: number;
  latency: LatencySummary;
  withinBudget: boolean;
}

export interface ThroughputResult {
  /** Highest stage rate delivered in full with p95 ≤ 100 ms; 0 when even the first stage missed. */
  acceptedPerSecond: number;
  stages: ThroughputStage[];
}

const BUDGET_MS = 100;
/** Updates a second one writer sends at most: 80% of the per-socket budget. */
export const PER_WRITER_RATE = Math.floor(LIMITS.rateLimits.document.perSecond * 0.8);

export function writersFor(rate: number): number {
  return Math.max(4, Math.ceil(rate / PER_WRITER_RATE));
}

export async function runApplyThroughput(
  target: Target,
  options: { rates: number[]; stageSeconds: number },
): Promise<ThroughputResult> {
  const stages: ThroughputStage[] = [];
  for (const rate of options.rates) {
    const stage = await runStage(target, rate, options.stageSeconds);
    stages.push(stage);
    if (!stage.withinBudget) break;
  }
  const accepted = stages.filter((s) => s.withinBudget).map((s) => s.rate);
  return { acceptedPerSecond: Math.max(0, ...accepted), stages };
}

async function runStage(target: Target, rate: number, seconds: number): Promise<ThroughputStage> {
  const room = freshRoom("throughput");
  const tracker = new EditTracker();
  const writers = writersFor(rate);
  const observer = writers;
  const clients = await openMany(writers + 1, (i) =>
    openBenchClient(target, room, {
      handlers: {
        onUpdate: (update, kind) => i === observer && kind === "sync-update" && tracker.received(i, update),
      },
    }),
  );
  await allSynced(target, clients);
  const first = clients[0];
  if (first) await tracker.warmUp(1, first.doc, (u) => first.sendUpdate(u));
  const total = Math.round(rate * seconds);
  const started = performance.now();
  let sent = 0;
  // Sends on a 10 ms beat whatever is due by the clock, so timer jitter does not lower the rate.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      for (; sent < due; sent += 1) {
        const writer = clients[sent % writers];
        if (writer) tracker.edit(sent % writers, writer.doc, (u) => writer.sendUpdate(u));
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const deadline = Date.now() + 3_000;
  while (tracker.delivered < tracker.sent && Date.now() < deadline) await sleep(50);
  await Promise.all(clients.map((c) => c.close()));
  const latency = tracker.summary();
  return {
    rate,
    writers,
    sent: tracker.sent,
    delivered: tracker.delivered,
    latency,
    withinBudget: tracker.delivered === tracker.sent && latency.p95 <= BUDGET_MS,
  };
}
