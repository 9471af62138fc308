/** Child processes the bench forks (servers, the load generator) and how it reads their memory. */
import { fork, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Forks a TypeScript file under Node with tsx, with an IPC channel. */
export function forkTs(file: string, args: string[], nodeFlags: string[] = []): ChildProcess {
  // `--import tsx` resolves from the working directory: bench/, where tsx is installed, whoever forks.
  return fork(file, args, {
    cwd: import.meta.dirname,
    execArgv: ["--import", "tsx", ...nodeFlags],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

export function waitForReady(child: ChildProcess, label: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start in time`)), timeoutMs);
    child.once("exit", (code) => reject(new Error(`${label} exited with ${code}`)));
    child.on("message", (message: { ready?: boolean }) => {
      if (!message.ready) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}

/** Asks a forked Node server to run its garbage collector and waits for it (or 5 s). */
export function collectGarbage(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve();
    };
    const onMessage = (message: unknown): void => {
      if (message === "collected") done();
    };
    const timer = setTimeout(done, 5_000);
    child.on("message", onMessage);
    child.send("collect-garbage");
  });
}

/** Resident memory of one process, in bytes (Linux /proc). */
export function residentBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** A process's command line, arguments joined by spaces ("" once it has ended). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

/** Pids in a process group whose command name is `name` (wrangler dev runs workerd in its group). */
export function groupMembers(groupId: number, name: string): number[] {
  // /proc/PID/stat after the command: state, parent pid, process group, …
  return processesNamed(name, (fields) => Number(fields[2]) === groupId);
}

/** Child processes of `parent` whose command name is `name` (Miniflare runs workerd as its child). */
export function childrenNamed(parent: number, name: string): number[] {
  return processesNamed(name, (fields) => Number(fields[1]) === parent);
}

function processesNamed(name: string, matches: (fields: string[]) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const command = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (command === name && matches(fields)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Clock ticks per second of /proc's CPU times: 100 on every Linux this runs on (USER_HZ). */
const TICKS_PER_SECOND = 100;

/** CPU a process has used so far (user + system), in ms; 0 once it has ended. */
export function cpuTimeMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat, so 11 and 12 after the command.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
