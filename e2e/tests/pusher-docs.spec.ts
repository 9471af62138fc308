/**
 * docs/pusher.md's snippets run as written: the auth endpoint, the pusher-js
 * listener and the `pusher` SDK trigger are taken from the page, pointed at
 * the shared test server instead of `pnpm start` (its port, and the test
 * app's key and secret in place of the local app's), and run with Node. The
 * local app they name is the one `pnpm start` writes into `.dev.vars`.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_PUSHER_APP } from "@edgeroom/testkit";
import { ROOT } from "../support/server.ts";
import { SHARED_PORT } from "../support/shared-server.ts";
import { expect, test } from "../support/test.ts";

const DOC = readFileSync(join(ROOT, "docs/pusher.md"), "utf8");
const LOCAL_KEY = "edgeroom-local-key";
const LOCAL_ID = "1000001";

/** The ```js blocks whose first line names a file (`// auth.mjs — …`), by that name. */
function snippets(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [, code] of DOC.matchAll(/```js\n([\s\S]*?)```/g)) {
    const name = /^\/\/ ([a-z-]+\.mjs) /.exec(code ?? "")?.[1];
    if (name && code) files.set(name, code);
  }
  return files;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A Node process running one snippet; its output, and a wait for a line in it. */
class Run {
  output = "";
  readonly #child: ChildProcess;

  constructor(file: string, cwd: string) {
    this.#child = spawn(process.execPath, [file], {
      cwd,
      env: { ...process.env, PUSHER_APP_SECRET: TEST_PUSHER_APP.secret },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.#child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
  }

  async saw(text: string): Promise<void> {
    await expect.poll(() => this.output, { message: `waiting for ${text}` }).toContain(text);
  }

  exited(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.#child.exitCode !== null) resolve(this.#child.exitCode);
      else this.#child.once("exit", (code) => resolve(code));
    });
  }

  stop(): void {
    if (this.#child.exitCode === null) this.#child.kill("SIGTERM");
  }
}

test("the local app the snippets name is the one pnpm start writes", () => {
  const dir = mkdtempSync(join(tmpdir(), "pusher-docs-"));
  try {
    const file = join(dir, ".dev.vars");
    execFileSync(process.execPath, [join(ROOT, "scripts/dev-vars.mjs"), file], { timeout: 10_000 });
    const vars = readFileSync(file, "utf8");
    expect(vars).toContain(`PUSHER_APP_KEY=${LOCAL_KEY}\n`);
    expect(vars).toContain(`PUSHER_APP_ID=${LOCAL_ID}\n`);
    expect([...snippets().keys()].sort()).toEqual(["auth.mjs", "listen.mjs", "trigger.mjs"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the pusher-js and pusher SDK snippets work as written", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pusher-docs-"));
  // The snippets import "pusher" and "pusher-js" as an app would: from the e2e package's node_modules.
  symlinkSync(join(ROOT, "e2e/node_modules"), join(dir, "node_modules"), "dir");
  const authPort = await freePort();
  const channel = `private-orders-${Math.random().toString(36).slice(2, 10)}`;
  for (const [name, code] of snippets()) {
    const pointed = code
      .replaceAll(`"${LOCAL_KEY}"`, JSON.stringify(TEST_PUSHER_APP.key))
      .replaceAll(`"${LOCAL_ID}"`, JSON.stringify(TEST_PUSHER_APP.appId))
      .replaceAll("8787", String(SHARED_PORT))
      .replaceAll("3000", String(authPort))
      .replaceAll("private-orders", channel);
    writeFileSync(join(dir, name), pointed);
  }
  const runs: Run[] = [];
  try {
    const auth = new Run("auth.mjs", dir);
    runs.push(auth);
    await auth.saw("auth endpoint on");
    const listener = new Run("listen.mjs", dir);
    runs.push(listener);
    await listener.saw(`subscribed to ${channel}`);

    const trigger = new Run("trigger.mjs", dir);
    runs.push(trigger);
    expect(await trigger.exited()).toBe(0);
    expect(trigger.output).toContain("occupied channels");
    expect(trigger.output).toContain(channel);
    await listener.saw('order-shipped {"id":42}');
  } finally {
    for (const run of runs) run.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
