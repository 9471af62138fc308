/** The benchmark's cost section: what a 5-person room costs per hour, idle and typing, in counts and dollars. */
import { PRICE_SOURCES, PRICES_READ_ON, type RoomCost } from "@edgeroom/shared";
import {
  AWARENESS_RENEW_MS,
  COST_PEOPLE,
  GHOST_LIMIT_MS,
  type CostScenarioResult,
  type RoomCostResult,
} from "../load/room-cost.ts";

/** The idle room with today's client on the room code before issue 18 (results/cost-before.md, 180 s window). */
export const IDLE_COST_BEFORE_PER_HOUR = 0.00043;

/** Section 8 of latest.md; nothing when the run skipped the cost workload. */
export function costSection(cost: RoomCostResult | undefined): string[] {
  if (!cost) return [];
  return ["## 8. What a room costs (Edgeroom only, per hour)", "", ...costLines(cost), ""];
}

export function costLines(cost: RoomCostResult): string[] {
  const columns = cost.scenarios.map(label);
  const row = (name: string, figure: (s: CostScenarioResult) => string | number) =>
    `| ${name} | ${cost.scenarios.map(figure).join(" | ")} |`;
  const dollars = (item: string) => (s: CostScenarioResult) => money(line(s.cost, item));
  const ghosts = cost.scenarios.filter((s) => s.ghostLeftAfterMs !== undefined);
  return [
    `${COST_PEOPLE} people in a room, measured over ${cost.windowSeconds} s per scenario (the rooms side by side) with the ` +
      `room meter (\`worker/src/durable/room-meter.ts\`, read through the bench probe before and after), then scaled to an ` +
      `hour. Each person acts like the web app's client: hello on the app lane, the text heartbeat every ` +
      `5 s (answered by workerd's auto-response, so it never reaches the room), awareness published once, ` +
      `\`check-in-due\` answered with \`check-in\`, and a divergence check (\`doc-check\`) once synced and ` +
      `then every 30 s. "Today's client" also renews its awareness every ${AWARENESS_RENEW_MS / 1000} s (y-protocols ` +
      `does by itself) and checks every 30 s; the new client does not renew, and checks only every 5 min while ` +
      `the room confirmed its document unchanged. Typing: ` +
      `${cost.typingCharsPerSecond} characters/s per person, each one update plus one awareness cursor update ` +
      `(as y-codemirror sends them), and a chat message every ${cost.chatEverySeconds} s per person.`,
    "",
    `| per hour | ${columns.join(" | ")} |`,
    `| --- | ${columns.map(() => "---:").join(" | ")} |`,
    row("incoming WebSocket messages (billed at 20:1)", (s) => count(s.perHour.incomingMessages)),
    row("heartbeats (auto-response, free)", (s) => count(s.perHour.heartbeats)),
    row("outgoing messages (free; per recipient)", (s) => count(s.perHour.outgoingMessages)),
    row("alarm runs", (s) => count(s.perHour.alarmRuns)),
    row("object starts (wakes)", (s) => count(s.perHour.starts)),
    row("active seconds (duration)", (s) => count(s.perHour.activeSeconds)),
    row("asleep", (s) => `${s.asleepPercent}%`),
    row("SQLite rows written (alarm sets included)", (s) => count(s.perHour.rowsWritten)),
    row("… of which alarm sets", (s) => count(s.perHour.alarmSets)),
    row("SQLite rows read", (s) => count(s.perHour.rowsRead)),
    row("R2 class A / B", (s) => `${count(s.perHour.r2ClassA)} / ${count(s.perHour.r2ClassB)}`),
    row("check-ins answered in the window", (s) => s.checkInsAnswered),
    row("$ requests (messages, alarms, HTTP)", (s) =>
      money(line(s.cost, "incoming") + line(s.cost, "alarm") + line(s.cost, "requests")),
    ),
    row("$ duration", dollars("duration")),
    row("$ SQLite rows", (s) =>
      money(line(s.cost, "SQLite rows written") + line(s.cost, "SQLite rows read")),
    ),
    row("$ R2", (s) => money(line(s.cost, "R2 class A") + line(s.cost, "R2 class B"))),
    row("**$ total per hour**", (s) => `**${money(s.cost.total)}**`),
    row("$ per 30-day month, always open", (s) => money(s.cost.total * 24 * 30)),
    "",
    ...(ghosts.length > 0
      ? [
          `Ghosts: in each idle room one person then froze (timers stopped, socket left open). It left everyone's ` +
            `awareness after ${ghosts.map((s) => `${ghost(s.ghostLeftAfterMs)} (${label(s)})`).join(", ")}; the limit is ` +
            `${GHOST_LIMIT_MS / 1000} s.`,
          "",
        ]
      : []),
    ...targetLines(cost),
    `Prices: ${PRICE_SOURCES.join(" and ")}, read ${PRICES_READ_ON}: requests $0.15/M (incoming WebSocket messages ` +
      `at 20:1, alarms, HTTP and RPC), duration $12.50/M GB-s at 128 MB while not hibernatable, rows written $1.00/M ` +
      `(each alarm set is a write), rows read $0.001/M, R2 class A $4.50/M, class B $0.36/M; free allowances left out. ` +
      `Active time is the meter's wall time inside the room's handlers (coarse: workerd's clock moves across I/O), so ` +
      `duration here is a floor; a deployed object also stays billable for a moment after each event.`,
  ];
}

/**
 * Issue 18's cost targets for the idle room with the new client: asleep at least 90% of the time, at most
 * a tenth of what it cost before (results/cost-before.md), and a silent person gone within 30 s.
 */
function targetLines(cost: RoomCostResult): string[] {
  const idle = cost.scenarios.find((s) => s.scenario === "idle" && !s.renewAwareness);
  if (!idle) return [];
  const mark = (met: boolean) => (met ? "✅ met" : "❌ missed");
  const ghostMs = idle.ghostLeftAfterMs;
  return [
    `- ${mark(idle.asleepPercent >= 90)}: idle room asleep ≥ 90% of the time (${idle.asleepPercent}%; an upper bound, as active time is a floor: see below)`,
    `- ${mark(idle.cost.total <= IDLE_COST_BEFORE_PER_HOUR / 10)}: idle room ≤ a tenth of before ` +
      `(${money(idle.cost.total)} per hour; before: ${money(IDLE_COST_BEFORE_PER_HOUR)}, results/cost-before.md)`,
    `- ${mark(ghostMs !== null && ghostMs !== undefined && ghostMs <= GHOST_LIMIT_MS)}: a silent person leaves ` +
      `everyone's awareness within ${GHOST_LIMIT_MS / 1000} s (${ghost(ghostMs)})`,
    "",
  ];
}

function label(s: CostScenarioResult): string {
  return `${s.scenario}, ${s.renewAwareness ? "today's client" : "new client"}`;
}

function line(cost: RoomCost, item: string): number {
  return cost.lines.filter((l) => l.item.startsWith(item)).reduce((sum, l) => sum + l.dollars, 0);
}

function money(dollars: number): string {
  if (dollars === 0) return "$0";
  if (dollars < 0.000001) return "< $0.000001";
  return dollars >= 0.01 ? `$${dollars.toFixed(2)}` : `$${dollars.toPrecision(2)}`;
}

function count(n: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

function ghost(ms: number | null | undefined): string {
  return ms === null || ms === undefined
    ? `more than ${(GHOST_LIMIT_MS + 15_000) / 1000} s`
    : `${(ms / 1000).toFixed(1)} s`;
}
