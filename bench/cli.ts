/**
 * `pnpm bench` (about 5 minutes on 2 cores), `pnpm bench --quick` (under 2), or
 * `--tiny` (seconds; what the test gate runs). Writes `results/latest.md`,
 * `latest.svg` and `latest.json`, or into `--out DIR`.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { execFileSync } from "node:child_process";
import { renderChart } from "./report/chart.ts";
import { renderMarkdown } from "./report/markdown.ts";
import { runBench } from "./run-bench.ts";
import type { Mode } from "./plan.ts";
import { portsFrom, type Ports } from "./servers/start-servers.ts";

/** 8880 and the five ports after it (`EDGEROOM_BENCH_PORT` moves them). */
export const DEFAULT_PORT = 8880;

export async function benchAndReport(mode: Mode, ports: Ports, outDir: string, log: (line: string) => void) {
  const results = await runBench(mode, ports, log);
  mkdirSync(outDir, { recursive: true });
  const markdown = renderMarkdown(results);
  writeFileSync(join(outDir, "latest.md"), markdown);
  writeFileSync(join(outDir, "latest.svg"), renderChart(results));
  writeFileSync(join(outDir, "latest.json"), JSON.stringify(results, null, 2) + "\n");
  return { results, markdown };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const began = performance.now();
  const args = process.argv.slice(2);
  const mode: Mode = args.includes("--tiny") ? "tiny" : args.includes("--quick") ? "quick" : "full";
  const outIndex = args.indexOf("--out");
  const outDir = resolve(outIndex >= 0 ? (args[outIndex + 1] ?? ".") : join(import.meta.dirname, "results"));
  const root = join(import.meta.dirname, "..");
  // wrangler dev serves the built web app too; a fresh clone has not built it yet.
  if (!existsSync(join(root, "web/dist/index.html")))
    execFileSync("npx", ["-y", "pnpm@10", "--filter", "@edgeroom/web", "build"], {
      cwd: root,
      stdio: "inherit",
    });
  const port = Number(process.env["EDGEROOM_BENCH_PORT"] ?? DEFAULT_PORT);
  const { markdown } = await benchAndReport(mode, portsFrom(port), outDir, (line) =>
    console.log(`${((performance.now() - began) / 1000).toFixed(1).padStart(6)} s  ${line}`),
  );
  console.log(`\n${markdown}\nWritten to ${outDir}/latest.md and latest.svg`);
}
