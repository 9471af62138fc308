/**
 * The cost section alone, against Edgeroom on `wrangler dev`, written as a
 * Markdown page: `tsx cost-cli.ts [--seconds 60] [--port 9760] --out FILE`.
 * This is how `results/cost-before.md` (the room code before issue 18's
 * changes) was made; `pnpm bench` prints the same section in its report.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { freshStateDir, startServer } from "@edgeroom/testkit/node";
import { runRoomCost } from "./load/room-cost.ts";
import { costLines } from "./report/cost-section.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(name);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};
const seconds = Number(option("--seconds", "60"));
const port = Number(option("--port", process.env["EDGEROOM_BENCH_PORT"] ?? "8880"));
const out = resolve(option("--out", join(import.meta.dirname, "results", "cost.md")));
const root = join(import.meta.dirname, "..");

const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
const dirty = execFileSync("git", ["status", "--porcelain", "--", "worker", "shared"], {
  cwd: root,
  encoding: "utf8",
});
const loadAtStart = loadavg()[0] ?? 0;
const startedAt = new Date().toISOString();
const server = await startServer({ port, persistDir: freshStateDir("cost"), vars: { EDGEROOM_BENCH: "1" } });
try {
  const result = await runRoomCost(
    {
      kind: "edgeroom",
      wsBase: `ws://127.0.0.1:${port}`,
      probeUrl: `${server.url}/parties/__bench/room-starts`,
    },
    { windowSeconds: seconds },
  );
  const page = [
    "# What a room costs (Edgeroom on wrangler dev)",
    "",
    `Run ${startedAt} at commit \`${commit}\`${dirty ? " (with uncommitted changes to worker/ or shared/)" : ""}, ` +
      `${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), load average ${loadAtStart.toFixed(2)} at the start. ` +
      `Edgeroom on \`wrangler dev\` (local workerd) with the bench probe on.`,
    "",
    ...costLines(result),
    "",
  ].join("\n");
  writeFileSync(out, page);
  console.log(page);
  console.log(`Written to ${out}`);
} finally {
  await server.stop();
}
