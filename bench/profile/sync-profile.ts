/**
 * Where two missed targets spend their time: a newcomer's first sync of a
 * small document, and a woken room's answer to a reader's sync step 1 on a
 * 1.6 MB document. The deployable bundle runs on workerd through Miniflare
 * with its inspector open, and V8's sampling profiler records the room's
 * isolate while the frames go through; the summary is self time by function,
 * grouped into the parts that matter. The first sync is also split from the
 * client's side (socket open, then the document) and set beside Hocuspocus's.
 *
 *   npx tsx profile/sync-profile.ts [port=9735] [samples=300] [first-sync|wake|both=both]
 */
import { join } from "node:path";
import { encodeSyncStep1, HEARTBEAT_PING } from "@edgeroom/shared";
import { freshStateDir, openClient } from "@edgeroom/testkit/node";
import type { HeadlessClient } from "@edgeroom/testkit";
import { Miniflare } from "miniflare";
import WebSocket from "ws";
import * as Y from "yjs";
import { openBenchClient, sleep } from "../load/bench-client.ts";
import { traceDocument } from "../load/edit-trace.ts";
import { freshRoom } from "../load/rooms.ts";
import { summarize } from "../load/stats.ts";
import type { Target } from "../load/wire.ts";
import { startNodeServer } from "../servers/start-servers.ts";
import { workerBundle } from "../servers/worker-bundle.ts";

const PORT = Number(process.argv[2] ?? 9735);
const SAMPLES = Number(process.argv[3] ?? 300);
const PARTS_TO_RUN = process.argv[4] ?? "both";
const INSPECTOR_PORT = PORT + 1;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A Chrome DevTools Protocol session with the room's isolate (workerd's inspector). */
class Inspector {
  #next = 1;
  readonly #waiting = new Map<number, (result: unknown) => void>();
  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (raw) => {
      const message = JSON.parse(String(raw)) as { id?: number; result?: unknown };
      if (message.id !== undefined) this.#waiting.get(message.id)?.(message.result);
    });
  }
  static async open(port: number): Promise<Inspector> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
      id: string;
      webSocketDebuggerUrl: string;
    }[];
    const target = targets.find((t) => t.id.startsWith("core:user"));
    if (!target) throw new Error(`no user worker among ${targets.map((t) => t.id).join(", ")}`);
    const socket = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    return new Inspector(socket);
  }
  send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#waiting.set(id, (result) => resolve(result as T));
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
  async profile(run: () => Promise<void>): Promise<CpuProfile> {
    await this.send("Profiler.enable");
    await this.send("Profiler.setSamplingInterval", { interval: 50 });
    await this.send("Profiler.start");
    await run();
    return (await this.send<{ profile: CpuProfile }>("Profiler.stop")).profile;
  }
  close(): void {
    this.socket.close();
  }
}

/** Parts of the room's CPU, by the function a sample was in (bundled names, so matched by name). */
const PARTS: [string, RegExp][] = [
  [
    "Yjs: read / diff / merge updates",
    /^(diffUpdate|mergeUpdates|readUpdate|LazyStructReader|readClientsStructRefs|readDeleteSet|encodeStateVectorFromUpdate|readStateVector|readVar|readAny|readUint8|readVarUint|readVarString|_readVarString|next|writeStructToLazyStructWriter|sliceStruct|finishLazyStructWriting|createDecoder|readUint8Array|readVarUint8Array|writeVarUint|writeUint8|write|writeVarUint8Array|toUint8Array|copyInto)/,
  ],
  ["SQLite (storage calls)", /^(exec|raw|one|toArray|SqlStorage|get|put|list|all|sql)/],
  [
    "partyserver / attachments",
    /^(serializeAttachment|deserializeAttachment|getConnections|createLazyConnection|isPartyServerWebSocket|tryGetPartyServerMeta|setName|#|getWebSockets)/,
  ],
];

function summarizeProfile(profile: CpuProfile, label: string, top = 22): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)?.callFrame;
    const name = frame?.functionName || "(anonymous)";
    if (name === "(idle)") {
      idle += delta;
      return;
    }
    total += delta;
    const key = `${name} ${frame?.url ? `${frame.url.split("/").pop()}:${frame.lineNumber + 1}` : ""}`.trim();
    self.set(key, (self.get(key) ?? 0) + delta);
  });
  const lines = [
    `### ${label}: ${(total / 1000).toFixed(1)} ms busy (${(idle / 1000).toFixed(0)} ms idle)`,
    "",
  ];
  lines.push("| function (self time) | ms | share |", "| --- | ---: | ---: |");
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`| \`${key}\` | ${(us / 1000).toFixed(2)} | ${((100 * us) / total).toFixed(1)}% |`);
  }
  lines.push("", ...inclusive(profile, total));
  const parts = new Map<string, number>();
  for (const [key, us] of self) {
    const name = key.split(" ")[0] ?? "";
    const part = PARTS.find(([, pattern]) => pattern.test(name))?.[0] ?? otherPart(name);
    parts.set(part, (parts.get(part) ?? 0) + us);
  }
  lines.push("", "| part | ms | share |", "| --- | ---: | ---: |");
  for (const [part, us] of [...parts].sort((a, b) => b[1] - a[1])) {
    lines.push(`| ${part} | ${(us / 1000).toFixed(2)} | ${((100 * us) / total).toFixed(1)}% |`);
  }
  return lines;
}

/** Entry points whose whole time (with what they call) is worth reading: the Worker's routing, the room's events. */
const ENTRY_POINTS = [
  "route",
  "toRoomRequest",
  "gateRoomSocket",
  "routePartykitRequest",
  "onStart",
  "onConnect",
  "opened",
  "openSockets",
  "webSocketMessage",
  "onMessage",
  "received",
  "onClose",
  "webSocketClose",
  "meterMessage",
  "broadcast",
];

function inclusive(profile: CpuProfile, total: number): string[] {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const sums = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)?.callFrame.functionName ?? "";
      if (ENTRY_POINTS.includes(name)) seen.add(name);
    }
    for (const name of seen) sums.set(name, (sums.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const lines = ["| entry point (with what it calls) | ms | share |", "| --- | ---: | ---: |"];
  for (const name of ENTRY_POINTS) {
    const us = sums.get(name);
    if (us) lines.push(`| \`${name}\` | ${(us / 1000).toFixed(2)} | ${((100 * us) / total).toFixed(1)}% |`);
  }
  return lines;
}

function otherPart(name: string): string {
  if (name === "(program)") return "runtime outside JavaScript (sockets, SQLite, startup)";
  if (name === "(garbage collector)") return "garbage collection";
  return "other JavaScript (room, routing, frames)";
}

async function startDirect(): Promise<{ target: Target; miniflare: Miniflare }> {
  const bundleDir = workerBundle();
  const state = freshStateDir("sync-profile");
  const miniflare = new Miniflare({
    modules: true,
    modulesRoot: bundleDir,
    scriptPath: join(bundleDir, "index.js"),
    compatibilityDate: "2026-04-20",
    durableObjects: { Room: { className: "Room", useSQLite: true } },
    r2Buckets: ["SNAPSHOTS"],
    bindings: { PUBLIC_ORIGINS: `http://127.0.0.1:${PORT}`, EMBED_ALLOWED_ORIGINS: "", EDGEROOM_BENCH: "1" },
    host: "127.0.0.1",
    port: PORT,
    inspectorPort: INSPECTOR_PORT,
    durableObjectsPersist: join(state, "do"),
    r2Persist: join(state, "r2"),
  });
  await miniflare.ready;
  return {
    miniflare,
    target: {
      kind: "edgeroom-direct",
      wsBase: `ws://127.0.0.1:${PORT}`,
      probeUrl: `http://127.0.0.1:${PORT}/parties/__bench/room-starts`,
    },
  };
}

/** Newcomers to a room holding a small document: time to the socket's open, then to the whole document. */
async function firstSyncSplit(target: Target, bytes: number, samples: number) {
  const document = traceDocument(bytes);
  const room = freshRoom("sync-profile");
  const seeded = new Y.Doc();
  Y.applyUpdate(seeded, document.update);
  const seeder = await openBenchClient(target, room, { doc: seeded });
  const open: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < samples + 10; i += 1) {
    const doc = new Y.Doc();
    const text = doc.getText("content");
    let done: () => void = () => undefined;
    const synced = new Promise<void>((resolve) => (done = resolve));
    const started = performance.now();
    const client = await openBenchClient(target, room, {
      doc,
      handlers: {
        onUpdate: (update) => {
          Y.applyUpdate(doc, update);
          if (text.length >= document.textLength) done();
        },
      },
    });
    const opened = performance.now();
    await synced;
    const finished = performance.now();
    await client.close();
    if (i >= 10) {
      open.push(opened - started);
      whole.push(finished - started);
    }
  }
  await seeder.close();
  return { open: summarize(open), whole: summarize(whole) };
}

async function probe(target: Target, room: string): Promise<{ starts: number; documentLoads: number }> {
  const response = await fetch(`${target.probeUrl}?room=${room}`);
  return (await response.json()) as { starts: number; documentLoads: number };
}

/** A reader's sync step 1 after the room was evicted, profiled; tried until `wanted` wakes were caught. */
async function wakeProfiles(target: Target, inspector: Inspector, wanted: number) {
  const document = traceDocument(1_600_000);
  const room = freshRoom("sync-profile-wake");
  const doc = new Y.Doc();
  Y.applyUpdate(doc, document.update);
  // No check-in answers: the room's own wakes would race the eviction this waits for.
  const writer = await openClient(`${target.wsBase}/parties/room/${room}`, { doc, answerCheckIns: false });
  await writer.settled();
  const reader: HeadlessClient = await openClient(`${target.wsBase}/parties/room/${room}`, {
    answerCheckIns: false,
  });
  await reader.until(() => reader.text.length >= document.textLength, 30_000);
  const beat = setInterval(() => {
    writer.socket.send(HEARTBEAT_PING);
    reader.socket.send(HEARTBEAT_PING);
  }, 5_000);
  const caught: { ms: number; profile: CpuProfile }[] = [];
  const warm: number[] = [];
  for (let attempt = 0; attempt < wanted * 3 && caught.length < wanted; attempt += 1) {
    await sleep(15_000);
    const before = await probe(target, room);
    let ms = 0;
    const profile = await inspector.profile(async () => {
      const answered = reader.binaryFrames.length;
      const started = performance.now();
      reader.sendMessage(encodeSyncStep1(reader.doc));
      await reader.until(
        () => reader.binaryFrames.slice(answered).some((f) => f[0] === 0 && f[1] === 1),
        10_000,
      );
      ms = performance.now() - started;
    });
    const after = await probe(target, room);
    if (after.starts > before.starts) caught.push({ ms, profile });
    else warm.push(ms);
  }
  clearInterval(beat);
  await writer.close();
  await reader.close();
  return { caught, warm };
}

const { miniflare, target } = await startDirect();
const hocuspocus = await startNodeServer("hocuspocus", "hocuspocus-server.ts", PORT + 2);
const lines: string[] = [];
try {
  const inspector = await Inspector.open(INSPECTOR_PORT);
  if (PARTS_TO_RUN !== "wake") await firstSyncSection(inspector);
  if (PARTS_TO_RUN !== "first-sync") await wakeSection(inspector);
  inspector.close();
} finally {
  await hocuspocus.stop();
  await miniflare.dispose();
}
console.log(lines.join("\n"));

async function firstSyncSection(inspector: Inspector): Promise<void> {
  const hocus = await firstSyncSplit(hocuspocus.target, 16_000, SAMPLES);
  let edgeroom: Awaited<ReturnType<typeof firstSyncSplit>> | undefined;
  const syncProfile = await inspector.profile(async () => {
    edgeroom = await firstSyncSplit(target, 16_000, SAMPLES);
  });
  lines.push(`## First sync of a 16 KB document (${SAMPLES} newcomers each, p50 / p95 ms)`, "");
  lines.push("| server | socket open | whole document | after open |", "| --- | ---: | ---: | ---: |");
  for (const [name, split] of [
    ["Edgeroom (workerd, no dev proxy)", edgeroom],
    ["Hocuspocus", hocus],
  ] as const) {
    if (!split) continue;
    lines.push(
      `| ${name} | ${split.open.p50} / ${split.open.p95} | ${split.whole.p50} / ${split.whole.p95} | ${(split.whole.p50 - split.open.p50).toFixed(2)} |`,
    );
  }
  lines.push("", ...summarizeProfile(syncProfile, `Room isolate during ${SAMPLES + 10} first syncs`), "");
}

async function wakeSection(inspector: Inspector): Promise<void> {
  const wakes = await wakeProfiles(target, inspector, 3);
  const merged = wakes.caught.map((c) => c.profile);
  lines.push(
    `## A woken room answering a reader's sync step 1 (1.6 MB document)`,
    "",
    `Wakes caught: ${wakes.caught.length} (${wakes.caught.map((c) => c.ms.toFixed(1)).join(", ")} ms); ` +
      `frames that found the room awake: ${wakes.warm.map((ms) => ms.toFixed(1)).join(", ") || "none"} ms.`,
    "",
  );
  merged.forEach((profile, i) => lines.push(...summarizeProfile(profile, `Wake ${i + 1}`, 14), ""));
}
