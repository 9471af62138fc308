/**
 * The cost section's workload (Edgeroom only): what a room with 5 people
 * costs per hour when they sit still and when they type, measured over a
 * short window with the room meter (read through the bench probe before and
 * after) and scaled to an hour. Each person behaves like the web app's
 * client (web/src/connection/room-connection.ts, room-socket.ts): it says
 * hello on the app lane, sends the text heartbeat every
 * `LIMITS.heartbeatIntervalMs` (workerd answers it without waking the room),
 * publishes its awareness state once, and answers `check-in-due` with
 * `check-in` after `afterMs`. "Today's client" also renews its awareness
 * every 15 s, as y-protocols' Awareness does by itself; the new client does
 * not (the room is authoritative for presence). A typing person types 3
 * characters a second, each one document update plus one awareness cursor
 * update (as y-codemirror sends them), and posts a chat message now and then.
 * The idle rooms also time how long a person who goes silent (its timers
 * stop, its socket stays open, as a frozen tab) takes to leave everyone's
 * awareness.
 */
import {
  documentHash,
  HEARTBEAT_PING,
  HEARTBEAT_PONG,
  LIMITS,
  emptyUsage,
  priceUsage,
  scaleUsage,
  type RoomCost,
  type RoomUsage,
} from "@edgeroom/shared";
import type { HeadlessClient } from "@edgeroom/testkit";
import { openClient } from "@edgeroom/testkit/node";
import * as Y from "yjs";
import type { Mode } from "../plan.ts";
import { sleep } from "./bench-client.ts";
import { freshRoom } from "./rooms.ts";
import { roomUrl, type Target } from "./wire.ts";

export const COST_PEOPLE = 5;
export const TYPING_CHARS_PER_SECOND = 3;
export const CHAT_EVERY_SECONDS = 30;
export const AWARENESS_RENEW_MS = 15_000;
/** The web app's divergence check (LIMITS.docCheckIntervalMs); the new client sends every 10th while unchanged. */
export const DOC_CHECK_INTERVAL_MS = 30_000;
export const DOC_CHECK_IDLE_EVERY = 10;
export const GHOST_LIMIT_MS = 30_000;
const HOUR_MS = 3_600_000;

/** Measured window per mode, in seconds (0: the section is skipped). */
export const COST_WINDOW_SECONDS: Record<Mode, number> = { tiny: 0, quick: 60, full: 180 };

/** The room meter's counts as the bench probe serves them (worker/src/durable/room-meter.ts). */
interface ProbeCounts {
  starts: number;
  alarmRuns: number;
  socketsOpened: number;
  requests: number;
  framesInBinary: number;
  framesInText: number;
  framesOut: number;
  r2ClassA: number;
  r2ClassB: number;
  rowsRead: number;
  rowsWritten: number;
  alarmSets: number;
  activeMs: number;
  at: number;
}

export interface CostScenarioResult {
  scenario: "idle" | "typing";
  /**
   * True: today's web client (awareness renewed every 15 s, a divergence check every 30 s); false: the new
   * one (no renewals, the check every 5 min while the room confirmed the document unchanged).
   */
  renewAwareness: boolean;
  people: number;
  windowSeconds: number;
  /** Per hour, scaled from the window. */
  perHour: {
    incomingMessages: number;
    heartbeats: number;
    outgoingMessages: number;
    alarmRuns: number;
    starts: number;
    activeSeconds: number;
    rowsWritten: number;
    /** Of the rows written: alarm sets (Cloudflare bills each as a row written). */
    alarmSets: number;
    rowsRead: number;
    r2ClassA: number;
    r2ClassB: number;
  };
  /** 1 − active / wall over the window, in percent. */
  asleepPercent: number;
  checkInsAnswered: number;
  cost: RoomCost;
  /** Idle rooms: how long a silent person stayed in the others' awareness (null: longer than the wait). */
  ghostLeftAfterMs?: number | null;
}

export interface RoomCostResult {
  windowSeconds: number;
  typingCharsPerSecond: number;
  chatEverySeconds: number;
  scenarios: CostScenarioResult[];
}

/** One person in the room, with the timers a browser tab would run. */
class Person {
  heartbeats = 0;
  checkIns = 0;
  #clock = 0;
  #timers: Array<ReturnType<typeof setInterval>> = [];
  #silent = false;

  private constructor(
    readonly client: HeadlessClient,
    readonly name: string,
  ) {}

  static async join(target: Target, room: string, name: string, todaysClient: boolean): Promise<Person> {
    // The client hears its first frames before the person exists.
    const joined: { person?: Person } = {};
    const client = await openClient(roomUrl(target, room), {
      user: { name, color: "#336699" },
      record: false,
      handlers: { onText: (text) => joined.person?.onText(text) },
    });
    const person = (joined.person = new Person(client, name));
    await client.synced;
    person.#publish({ user: { name, color: "#336699" }, status: "active" });
    person.#every(LIMITS.heartbeatIntervalMs, () => {
      client.sendText(HEARTBEAT_PING);
    });
    if (todaysClient) person.#every(AWARENESS_RENEW_MS, () => person.#renew());
    // The divergence check: once synced, then every 30 s; the new client skips it while the room last
    // confirmed this very document, sending only every `DOC_CHECK_IDLE_EVERY`-th (doc-check-client.ts).
    person.#checkDocument();
    person.#every(DOC_CHECK_INTERVAL_MS, () => {
      const unchanged =
        person.#confirmedHash !== undefined && documentHash(client.doc) === person.#confirmedHash;
      if (!todaysClient && unchanged && ++person.#checksSkipped < DOC_CHECK_IDLE_EVERY) return;
      person.#checkDocument();
    });
    return person;
  }

  #sentHash: string | undefined;
  #confirmedHash: string | undefined;
  #checksSkipped = 0;
  #checkInTimer: ReturnType<typeof setTimeout> | undefined;

  #checkDocument(): void {
    this.#sentHash = documentHash(this.client.doc);
    this.#checksSkipped = 0;
    this.client.sendApp({ type: "doc-check", hash: this.#sentHash });
  }

  onText(text: string): void {
    if (this.#silent) return;
    if (text === HEARTBEAT_PONG) {
      this.heartbeats += 1;
      return;
    }
    if (!text.includes('"check-in-due"') && !text.includes('"doc-check"')) return;
    const message = JSON.parse(text) as { type?: string; afterMs?: number; match?: boolean };
    if (message.type === "doc-check") this.#confirmedHash = message.match ? this.#sentHash : undefined;
    if (message.type !== "check-in-due") return;
    // One answer pending at a time, as the web app keeps it.
    if (this.#checkInTimer !== undefined) clearTimeout(this.#checkInTimer);
    this.#checkInTimer = setTimeout(() => {
      if (this.#silent) return;
      this.checkIns += 1;
      this.client.sendApp({ type: "check-in" });
    }, message.afterMs ?? 0);
    this.#timers.push(this.#checkInTimer);
  }

  /** Types one character at the end with its caret, as y-codemirror sends a keystroke. */
  typeOne(): void {
    const text = this.client.text;
    text.insert(text.length, "abcdefghij"[text.length % 10] ?? "x");
    const at = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, text.length)) as unknown;
    this.#publish({ ...this.#state, cursor: { anchor: at, head: at } });
  }

  chat(index: number): void {
    this.client.sendApp({
      type: "chat-send",
      id: `${this.name}-${index}-${Date.now()}`,
      text: "brb, reading",
    });
  }

  every(ms: number, action: () => void): void {
    this.#every(ms, action);
  }

  later(ms: number, action: () => void): void {
    this.#timers.push(setTimeout(action, ms));
  }

  /** A frozen tab: nothing more is sent or answered, and the socket stays open. */
  goSilent(): void {
    this.#silent = true;
    this.stopTimers();
  }

  stopTimers(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
  }

  #state: Record<string, unknown> = {};

  #publish(state: Record<string, unknown>): void {
    this.#state = state;
    this.#clock += 1;
    this.client.setAwareness(this.client.doc.clientID, this.#clock, state);
  }

  #renew(): void {
    this.#clock += 1;
    this.client.setAwareness(this.client.doc.clientID, this.#clock, this.#state);
  }

  #every(ms: number, action: () => void): void {
    this.#timers.push(
      setInterval(() => {
        if (!this.#silent) action();
      }, ms),
    );
  }
}

interface Scenario {
  scenario: "idle" | "typing";
  renewAwareness: boolean;
}

export async function runRoomCost(
  target: Target,
  options: { windowSeconds: number },
): Promise<RoomCostResult> {
  if (!target.probeUrl) throw new Error("the cost section needs the Edgeroom bench probe");
  const probeUrl = target.probeUrl;
  const probe = async (room: string): Promise<ProbeCounts> =>
    (await (await fetch(`${probeUrl}?room=${room}`)).json()) as ProbeCounts;
  const scenarios: Scenario[] = [
    { scenario: "idle", renewAwareness: true },
    { scenario: "idle", renewAwareness: false },
    { scenario: "typing", renewAwareness: true },
    { scenario: "typing", renewAwareness: false },
  ];
  // The rooms run side by side (each is its own object); the window is the same for all.
  const results = await Promise.all(
    scenarios.map((s) => runScenario(target, s, options.windowSeconds * 1000, probe)),
  );
  return {
    windowSeconds: options.windowSeconds,
    typingCharsPerSecond: TYPING_CHARS_PER_SECOND,
    chatEverySeconds: CHAT_EVERY_SECONDS,
    scenarios: results,
  };
}

async function runScenario(
  target: Target,
  { scenario, renewAwareness }: Scenario,
  windowMs: number,
  probe: (room: string) => Promise<ProbeCounts>,
): Promise<CostScenarioResult> {
  const room = freshRoom(`cost-${scenario}-${renewAwareness ? "renew" : "norenew"}`);
  const people: Person[] = [];
  for (let i = 0; i < COST_PEOPLE; i += 1)
    people.push(await Person.join(target, room, `p${i}`, renewAwareness));
  // Let the joins settle (sync answers, the first awareness relays) before the window opens.
  await sleep(1_000);
  if (scenario === "typing") {
    people.forEach((person, i) => {
      person.every(1000 / TYPING_CHARS_PER_SECOND, () => person.typeOne());
      // Staggered, so the chats are spread over the window rather than arriving together.
      const offsetMs = (i * 1000 * CHAT_EVERY_SECONDS) / COST_PEOPLE;
      person.later(offsetMs, () => person.every(CHAT_EVERY_SECONDS * 1000, () => person.chat(i)));
    });
  }
  const heartbeatsBefore = sum(people.map((p) => p.heartbeats));
  const before = await probe(room);
  await sleep(windowMs);
  const after = await probe(room);
  const heartbeats = sum(people.map((p) => p.heartbeats)) - heartbeatsBefore;
  const checkInsAnswered = sum(people.map((p) => p.checkIns));

  let ghostLeftAfterMs: number | null | undefined;
  if (scenario === "idle") ghostLeftAfterMs = await timeGhostLeaving(people);
  for (const person of people) person.stopTimers();
  await Promise.all(people.map((p) => p.client.close()));

  // The meter lives in the isolate: a reload of the Worker (wrangler dev rebuilds on a source change) empties it.
  if (after.starts < before.starts || after.framesOut < before.framesOut) {
    throw new Error(`room cost: the meter of ${room} went back during the window; the Worker was reloaded`);
  }
  const wallMs = after.at - before.at;
  const measured = usageBetween(before, after, heartbeats);
  const hour = scaleUsage(measured, wallMs, HOUR_MS);
  const starts = ((after.starts - before.starts) * HOUR_MS) / wallMs;
  return {
    scenario,
    renewAwareness,
    people: COST_PEOPLE,
    windowSeconds: Math.round(wallMs / 100) / 10,
    perHour: {
      incomingMessages: Math.round(hour.incomingMessages),
      heartbeats: Math.round(hour.autoResponseHeartbeats),
      outgoingMessages: Math.round(hour.outgoingMessages),
      alarmRuns: Math.round(hour.alarmRuns),
      starts: Math.round(starts),
      activeSeconds: Math.round(hour.activeMs / 100) / 10,
      rowsWritten: Math.round(hour.rowsWritten),
      alarmSets: Math.round(((after.alarmSets - before.alarmSets) * HOUR_MS) / wallMs),
      rowsRead: Math.round(hour.rowsRead),
      r2ClassA: Math.round(hour.r2ClassA),
      r2ClassB: Math.round(hour.r2ClassB),
    },
    asleepPercent: Math.round(1000 * (1 - Math.min(1, measured.activeMs / wallMs))) / 10,
    checkInsAnswered,
    cost: priceUsage(hour),
    ...(ghostLeftAfterMs === undefined ? {} : { ghostLeftAfterMs }),
  };
}

/** What the meter saw between two probe readings, in the cost model's terms. */
function usageBetween(before: ProbeCounts, after: ProbeCounts, heartbeats: number): RoomUsage {
  const d = (key: keyof ProbeCounts) => after[key] - before[key];
  return {
    ...emptyUsage(),
    requests: d("requests") + d("socketsOpened"),
    incomingMessages: d("framesInBinary") + d("framesInText"),
    autoResponseHeartbeats: heartbeats,
    outgoingMessages: d("framesOut"),
    alarmRuns: d("alarmRuns"),
    activeMs: d("activeMs"),
    // Cloudflare bills each alarm set as a row written.
    rowsWritten: d("rowsWritten") + d("alarmSets"),
    rowsRead: d("rowsRead"),
    r2ClassA: d("r2ClassA"),
    r2ClassB: d("r2ClassB"),
  };
}

/** The first person freezes; the time until no one else holds its awareness (null past a margin over the limit). */
async function timeGhostLeaving(people: Person[]): Promise<number | null> {
  const [ghost, ...others] = people;
  if (!ghost) return null;
  // The others keep their timers: live tabs while they wait.
  const id = ghost.client.doc.clientID;
  ghost.goSilent();
  const started = performance.now();
  const waitMs = GHOST_LIMIT_MS + 15_000;
  while (performance.now() - started < waitMs) {
    if (others.every((p) => !p.client.awareness.has(id))) return Math.round(performance.now() - started);
    await sleep(250);
  }
  return null;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
