/**
 * Starts and stops real `wrangler dev` servers for the browser tests and the
 * benchmark: the workerd runtime with local Durable Objects, on 127.0.0.1
 * only, with its state in a folder the caller chooses (so a restart can
 * reuse it). Node only (child processes): exported from `@edgeroom/testkit/node`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { TEST_API_SECRET, TEST_PUSHER_APP, TEST_TOKEN_SECRET } from "./test-config.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");

export interface RunningServer {
  url: string;
  port: number;
  /** wrangler's pid, which is also the process group that workerd runs in. */
  pid: number;
  persistDir: string;
  /** Graceful stop: SIGTERM to the whole process group, SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** Hard crash: SIGKILL to the whole process group at once. */
  kill(): Promise<void>;
  output(): string;
}

export function freshStateDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `edgeroom-${label}-`));
}

export async function startServer(options: {
  port: number;
  persistDir: string;
  /** Worker variables (`--var NAME:VALUE`), e.g. the benchmark's probe switch. */
  vars?: Record<string, string>;
  /** Another wrangler config (e.g. one serving a copy of the built app); the repository's by default. */
  config?: string;
  /** `EMBED_ALLOWED_ORIGINS`: the host pages allowed to embed rooms. */
  embedAllowedOrigins?: string;
}): Promise<RunningServer> {
  const { port, persistDir } = options;
  const varArgs = Object.entries(options.vars ?? {}).flatMap(([name, value]) => [
    "--var",
    `${name}:${value}`,
  ]);
  const child = spawn(
    WRANGLER,
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      persistDir,
      "--show-interactive-dev-session=false",
      // Each server its own debugger port: two servers starting at once would both want 9229.
      "--inspector-port",
      String(inspectorPort(port)),
      "--log-level",
      "warn",
      ...(options.config === undefined ? [] : ["--config", options.config]),
      // Test configuration: the server's own origins on this port, the allowed host pages, and the
      // tests' room-token and API secrets (Worker secrets in production).
      "--var",
      `PUBLIC_ORIGINS:http://127.0.0.1:${port} http://localhost:${port}`,
      ...(options.embedAllowedOrigins === undefined
        ? []
        : ["--var", `EMBED_ALLOWED_ORIGINS:${options.embedAllowedOrigins}`]),
      "--var",
      `ROOM_TOKEN_SECRET:${TEST_TOKEN_SECRET}`,
      "--var",
      `EDGEROOM_API_SECRET:${TEST_API_SECRET}`,
      // Webhooks off unless `vars` turns them on (a later --var wins): a developer's .dev.vars must not reach tests.
      "--var",
      `PUSHER_APP_ID:${TEST_PUSHER_APP.appId}`,
      "--var",
      `PUSHER_APP_KEY:${TEST_PUSHER_APP.key}`,
      "--var",
      `PUSHER_APP_SECRET:${TEST_PUSHER_APP.secret}`,
      "--var",
      "PUSHER_WEBHOOK_URL:",
      "--var",
      "WEBHOOK_URL:",
      "--var",
      "WEBHOOK_SECRET:",
      ...varArgs,
    ],
    {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    },
  );
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const url = `http://127.0.0.1:${port}`;

  const server: RunningServer = {
    url,
    port,
    pid: child.pid ?? 0,
    persistDir,
    stop: () => terminate(child, exited, "SIGTERM"),
    kill: () => terminate(child, exited, "SIGKILL"),
    output: () => log,
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${log}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.kill();
      throw new Error(`wrangler dev did not answer on ${url} within 90 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function terminate(child: ChildProcess, exited: Promise<void>, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  signalGroup(child.pid, signal);
  const timer = setTimeout(() => signalGroup(child.pid ?? 0, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
  // workerd runs in the same process group; make sure nothing of it is left behind.
  signalGroup(child.pid, "SIGKILL");
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** A debugger port derived from the server's port, so servers on different ports never share one. */
function inspectorPort(port: number): number {
  return port < 45_536 ? port + 20_000 : port - 20_000;
}
