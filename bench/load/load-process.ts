/**
 * The load generator: a Node process of its own (forked by the
 * orchestrator), so its CPU use can be reported apart from the servers'.
 * It runs one job at a time and answers each with the job's CPU time.
 */
import { runApplyThroughput } from "./apply-throughput.ts";
import { closeBigRoom, editBigRoom, openBigRoom, probeCapacity } from "./big-room.ts";
import { runCursorFanout } from "./cursor-fanout.ts";
import { runEditPropagation } from "./edit-propagation.ts";
import { runFirstSync } from "./first-sync.ts";
import { runHibernation } from "./hibernation.ts";
import { runRoundTrips } from "./round-trips.ts";
import { closeIdle, joinLeaveCycles, openIdle } from "./idle-connections.ts";
import type { Job, JobReply, JobRequest } from "./jobs.ts";

function run(job: Job): Promise<unknown> {
  switch (job.kind) {
    case "edits":
      return runEditPropagation(job.target, job);
    case "first-sync":
      return runFirstSync(job.target, job);
    case "cursors":
      return runCursorFanout(job.target, job);
    case "throughput":
      return runApplyThroughput(job.target, job);
    case "open-idle":
      return openIdle(job.target, job.count);
    case "close-idle":
      return closeIdle();
    case "join-leave":
      return joinLeaveCycles(job.target, job.cycles);
    case "hibernation":
      return runHibernation(job.targets, job);
    case "round-trips":
      return runRoundTrips(job.target, job);
    case "big-room-open":
      return openBigRoom(job.target, job.sockets);
    case "big-room-edit":
      return editBigRoom(job);
    case "big-room-close":
      return closeBigRoom();
    case "room-capacity":
      return probeCapacity(job.target, job.extra);
  }
}

process.on("message", (request: JobRequest) => {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const reply = (outcome: { result?: unknown; error?: string }): void => {
    const cpu = process.cpuUsage(cpuBefore);
    const message: JobReply = {
      id: request.id,
      ...outcome,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - started,
    };
    process.send?.(message);
  };
  run(request.job).then(
    (result) => reply({ result }),
    (error: unknown) =>
      reply({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
process.send?.({ ready: true });
