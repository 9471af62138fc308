/** The orchestrator's handle on the load-generator process: send a job, await its reply. */
import { join } from "node:path";
import { forkTs, stopChild, waitForReady } from "../processes.ts";
import type { Job, JobReply } from "./jobs.ts";

export interface LoadGenerator {
  run<T>(job: Job): Promise<{ result: T; cpuMs: number; wallMs: number }>;
  stop(): Promise<void>;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child = forkTs(join(import.meta.dirname, "load-process.ts"), []);
  await waitForReady(child, "load generator");
  let nextId = 0;
  const pending = new Map<number, (reply: JobReply) => void>();
  child.on("message", (message: JobReply) => pending.get(message.id)?.(message));
  child.once("exit", (code) => {
    for (const settle of pending.values())
      settle({ id: -1, error: `load generator exited (${code})`, cpuMs: 0, wallMs: 0 });
  });
  return {
    async run<T>(job: Job) {
      const id = (nextId += 1);
      const reply = await new Promise<JobReply>((resolve) => {
        pending.set(id, resolve);
        child.send({ id, job });
      });
      pending.delete(id);
      if (reply.error) throw new Error(`${job.kind} failed: ${reply.error}`);
      return { result: reply.result as T, cpuMs: reply.cpuMs, wallMs: reply.wallMs };
    },
    stop: () => stopChild(child),
  };
}
