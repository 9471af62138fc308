/**
 * Edgeroom without the dev proxy: the deployable Worker bundle run on
 * workerd through Miniflare's API, as the workerd tests run it. wrangler
 * dev puts a second workerd process (its local proxy) in front of the
 * runtime; here sockets reach the runtime that holds the rooms directly, as
 * they reach a deployed Worker. The Room object keeps SQLite storage and
 * the SNAPSHOTS bucket on disk in a fresh folder; the vars are those of
 * wrangler.toml that matter, the bench probe is on and no webhook is sent.
 *
 * Forked by the orchestrator: `edgeroom-direct.ts PORT BUNDLE_DIR STATE_DIR`.
 */
import { join } from "node:path";
import { Miniflare } from "miniflare";

const [port, bundleDir, stateDir] = [Number(process.argv[2]), process.argv[3] ?? "", process.argv[4] ?? ""];

const miniflare = new Miniflare({
  modules: true,
  modulesRoot: bundleDir,
  scriptPath: join(bundleDir, "index.js"),
  compatibilityDate: "2026-04-20",
  durableObjects: { Room: { className: "Room", useSQLite: true } },
  r2Buckets: ["SNAPSHOTS"],
  bindings: {
    PUBLIC_ORIGINS: `http://127.0.0.1:${port} http://localhost:${port}`,
    EMBED_ALLOWED_ORIGINS: "",
    EDGEROOM_BENCH: "1",
  },
  host: "127.0.0.1",
  port,
  durableObjectsPersist: join(stateDir, "do"),
  r2Persist: join(stateDir, "r2"),
});
await miniflare.ready;

process.on("SIGTERM", () => {
  void miniflare.dispose().finally(() => process.exit(0));
});
process.send?.({ ready: true });
