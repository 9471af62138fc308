/**
 * What a room costs on Cloudflare, from counts of what it did. Prices as published on
 * https://developers.cloudflare.com/durable-objects/platform/pricing/ and
 * https://developers.cloudflare.com/r2/pricing/ (both read 2026-11-30), without the free
 * allowances (a price per room must not depend on how many other rooms share the account).
 * - Durable Object requests: HTTP requests, RPC sessions, alarm invocations and incoming
 *   WebSocket messages, the messages at 20 to one request. Outgoing messages are free, and
 *   heartbeats answered by `setWebSocketAutoResponse` are not charged.
 * - Duration: GB-s while the object runs or sits in memory unable to hibernate, at 128 MB
 *   per object; an object idle and eligible for hibernation is not billed.
 * - SQLite rows written and read (each alarm set is billed as a row written).
 * - R2 Class A (put, list, delete) and Class B (get, head).
 */

export const PRICES_READ_ON = "2026-11-30";
export const PRICE_SOURCES = [
  "https://developers.cloudflare.com/durable-objects/platform/pricing/",
  "https://developers.cloudflare.com/r2/pricing/",
] as const;

/** US dollars per unit. */
export const PRICES = {
  request: 0.15 / 1e6,
  gbSecond: 12.5 / 1e6,
  rowWritten: 1.0 / 1e6,
  rowRead: 0.001 / 1e6,
  r2ClassA: 4.5 / 1e6,
  r2ClassB: 0.36 / 1e6,
} as const;

/** Incoming WebSocket messages billed as one request. */
export const MESSAGES_PER_REQUEST = 20;
/** Every object is billed as 128 MB of memory, whatever it uses. */
export const BILLED_GB_PER_OBJECT = 0.125;

/** What a room did over some period. */
export interface RoomUsage {
  /** HTTP requests and RPC sessions reaching the object (a WebSocket upgrade is one). */
  requests: number;
  /** WebSocket messages the object received and handled (billed at 20:1). */
  incomingMessages: number;
  /** Heartbeats answered by the runtime's auto-response: counted, priced at 0. */
  autoResponseHeartbeats: number;
  /** Messages the object sent: free, counted to show the fan-out. */
  outgoingMessages: number;
  alarmRuns: number;
  /** Time the object was running or unable to hibernate, in ms. */
  activeMs: number;
  rowsWritten: number;
  rowsRead: number;
  r2ClassA: number;
  r2ClassB: number;
}

export interface CostLine {
  item: string;
  /** The count that is billed (requests for messages, GB-s for duration). */
  billedUnits: number;
  unit: string;
  dollars: number;
}

export interface RoomCost {
  lines: CostLine[];
  total: number;
}

export function emptyUsage(): RoomUsage {
  return {
    requests: 0,
    incomingMessages: 0,
    autoResponseHeartbeats: 0,
    outgoingMessages: 0,
    alarmRuns: 0,
    activeMs: 0,
    rowsWritten: 0,
    rowsRead: 0,
    r2ClassA: 0,
    r2ClassB: 0,
  };
}

/** Prices each item of `usage`; billed units are kept fractional (a rate, not an invoice). */
export function priceUsage(usage: RoomUsage): RoomCost {
  const messageRequests = usage.incomingMessages / MESSAGES_PER_REQUEST;
  const gbSeconds = (usage.activeMs / 1000) * BILLED_GB_PER_OBJECT;
  const lines: CostLine[] = [
    line("requests (HTTP, RPC)", usage.requests, "requests", PRICES.request),
    line("incoming WebSocket messages (20:1)", messageRequests, "requests", PRICES.request),
    line("auto-response heartbeats", usage.autoResponseHeartbeats, "messages", 0),
    line("outgoing WebSocket messages", usage.outgoingMessages, "messages", 0),
    line("alarm runs", usage.alarmRuns, "requests", PRICES.request),
    line("duration (128 MB)", gbSeconds, "GB-s", PRICES.gbSecond),
    line("SQLite rows written", usage.rowsWritten, "rows", PRICES.rowWritten),
    line("SQLite rows read", usage.rowsRead, "rows", PRICES.rowRead),
    line("R2 class A (put, list, delete)", usage.r2ClassA, "operations", PRICES.r2ClassA),
    line("R2 class B (get, head)", usage.r2ClassB, "operations", PRICES.r2ClassB),
  ];
  return { lines, total: lines.reduce((sum, l) => sum + l.dollars, 0) };
}

/** `usage` measured over `measuredMs`, as it would be over `targetMs` at the same rates. */
export function scaleUsage(usage: RoomUsage, measuredMs: number, targetMs: number): RoomUsage {
  if (!(measuredMs > 0)) throw new RangeError("scaleUsage: measuredMs must be positive");
  const factor = targetMs / measuredMs;
  const scaled = emptyUsage();
  for (const key of Object.keys(scaled) as Array<keyof RoomUsage>) scaled[key] = usage[key] * factor;
  return scaled;
}

function line(item: string, billedUnits: number, unit: string, price: number): CostLine {
  return { item, billedUnits, unit, dollars: billedUnits * price };
}
