/**
 * The Worker as it is deployed: `wrangler deploy --dry-run` bundles it
 * without uploading, and the direct server runs that bundle on workerd
 * through Miniflare. Bundled once per bench process (a few seconds).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "../..");
let bundled: string | undefined;

/** The folder holding `index.js`, the bundle `wrangler deploy` would upload. */
export function workerBundle(): string {
  if (bundled) return bundled;
  const outDir = mkdtempSync(join(tmpdir(), "edgeroom-bench-bundle-"));
  execFileSync(join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", outDir], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  return (bundled = outDir);
}

/**
 * A copy of the bundle whose room admits `capacity` sockets instead of
 * `LIMITS.maxConnectionsPerRoom`: the bigger-rooms workload measures rooms
 * past today's limit so the limit can be chosen from figures. That one
 * number is the only change, and it is checked to have been made once.
 */
export function bundleWithRoomCapacity(capacity: number): string {
  const source = workerBundle();
  const code = readFileSync(join(source, "index.js"), "utf8");
  const pattern = /maxConnectionsPerRoom: \d+,/g;
  const found = code.match(pattern)?.length ?? 0;
  if (found !== 1) throw new Error(`expected one maxConnectionsPerRoom in the bundle, found ${found}`);
  const outDir = mkdtempSync(join(tmpdir(), "edgeroom-bench-capacity-"));
  writeFileSync(join(outDir, "index.js"), code.replace(pattern, `maxConnectionsPerRoom: ${capacity},`));
  copyFileSync(join(source, "index.js.map"), join(outDir, "index.js.map"));
  return outDir;
}
