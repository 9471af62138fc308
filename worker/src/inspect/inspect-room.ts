/**
 * What the development inspector shows of one room, read inside its object:
 * the sockets and their attachments, the people, the meter's counts and
 * rates, storage sizes, the snapshot schedule, the alarm, and what the room
 * would cost per hour at its current rates. Everything here is data for
 * JSON; the page (inspect-page.ts) renders it as text, never as HTML.
 */
import {
  emptyUsage,
  LIMITS,
  priceUsage,
  scaleUsage,
  type Person,
  type RoomCost,
  type RoomUsage,
} from "@edgeroom/shared";
import type { Connection } from "partyserver";
import type { PeerState } from "../room/reaction.ts";
import type { RoomLogic } from "../room/room-logic.ts";
import type { RoomStorage } from "../durable/room-storage.ts";
import type { RoomCounts, RoomMeter } from "../durable/room-meter.ts";
import { openSockets, peerState } from "../durable/socket-frames.ts";
import { RateWindow, type Rates } from "./rate-window.ts";

export interface InspectedConnection {
  id: string;
  /** The public person id (a token's `sub`, or the hash of the browser's secret id). */
  person: string | null;
  name: string | null;
  /** "app": said hello (JSON lane and awareness); "yjs": a stock y-protocols client. */
  lane: "app" | "yjs";
  readOnly: boolean;
  open: boolean;
  connectedSince: number | null;
  /** When workerd last answered this socket's heartbeat without waking the room. */
  lastHeartbeat: number | null;
}

export interface RoomInspection {
  room: string;
  at: number;
  connections: InspectedConnection[];
  people: Person[];
  counts: RoomCounts;
  /** Object starts after the first: each one a wake after the runtime evicted the room. */
  evictions: number;
  rates: Rates;
  storage: {
    databaseBytes: number;
    documentBytes: number;
    updateLogLength: number;
    chatMessages: number;
    /** Rows per table of the room's SQLite database. */
    tables: Record<string, number>;
  };
  snapshots: { nextDueAt: number | null; lastSavedAt: number | null; versions: number };
  alarmAt: number | null;
  /** The meter's counts over the rate window, scaled to an hour and priced (shared/src/cost-model.ts). */
  costPerHour: RoomCost;
}

/** What `Room.inspect()` hands over: its own parts, so this module needs no access to its private fields. */
export interface InspectTarget {
  ctx: DurableObjectState;
  name: string;
  meter: RoomMeter;
  sockets(): Iterable<Connection<PeerState>>;
}

type Parts = { room: RoomLogic; storage: RoomStorage };

const windows = new Map<string, RateWindow>();

/**
 * The room as the inspector shows it. A room this object has never stored anything for is
 * not started (no `onStart`, no tables, nothing written): the answer is undefined. A room with
 * storage is started if it slept, as any API call would start it; that start is a real one
 * and counted. Polling keeps the object in memory, so it hides evictions while it watches.
 */
export async function inspectRoom(
  target: InspectTarget,
  started: Parts | undefined,
  ready: () => Promise<Parts>,
): Promise<RoomInspection | undefined> {
  const { ctx, meter } = target;
  if (!started && neverUsed(ctx)) return undefined;
  const { room, storage } = await ready();
  meter.counts.inspectCalls++;
  // The inspector's own reads must not show up as the room's.
  const before = { read: meter.counts.rowsRead, written: meter.counts.rowsWritten };
  const sockets = [...target.sockets()];
  const connections = sockets.map((socket) => describeSocket(ctx, socket));
  const people = room.people(openSockets(sockets, ""));
  const tables = tableRows(ctx.storage.sql);
  const versions = storage.snapshots.versions();
  const inspection = {
    room: target.name,
    at: Date.now(),
    connections,
    people,
    evictions: Math.max(0, meter.counts.starts - 1),
    storage: {
      databaseBytes: ctx.storage.sql.databaseSize,
      documentBytes: storage.updates.byteSize(),
      updateLogLength: storage.updates.logLength(),
      chatMessages: tables["chat_messages"] ?? 0,
      tables,
    },
    snapshots: {
      nextDueAt: storage.snapshots.dueAt() ?? null,
      lastSavedAt: versions.at(-1)?.at ?? null,
      versions: versions.length,
    },
    alarmAt: await ctx.storage.getAlarm(),
  };
  meter.counts.rowsRead = before.read;
  meter.counts.rowsWritten = before.written;
  const counts = { ...meter.counts };
  let window = windows.get(target.name);
  if (!window) windows.set(target.name, (window = new RateWindow()));
  const rates = window.add(inspection.at, counts);
  const openNow = connections.filter((c) => c.open).length;
  return { ...inspection, counts, rates, costPerHour: hourlyCost(rates, openNow) };
}

/** No tables and no sockets: nothing was ever stored for this room (workerd's own `_cf_` tables aside). */
function neverUsed(ctx: DurableObjectState): boolean {
  if (ctx.getWebSockets().length > 0) return false;
  const tables = ctx.storage.sql
    .exec<{ n: number }>(
      `SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'`,
    )
    .one().n;
  return tables === 0;
}

function describeSocket(ctx: DurableObjectState, socket: Connection<PeerState>): InspectedConnection {
  const peer = peerState(socket);
  return {
    id: socket.id,
    person: peer.person ?? null,
    name: peer.verified?.name ?? peer.user?.name ?? null,
    lane: peer.appLane ? "app" : "yjs",
    readOnly: peer.verified?.scope === "view",
    open: socket.readyState === WebSocket.OPEN,
    connectedSince: peer.since ?? null,
    lastHeartbeat: ctx.getWebSocketAutoResponseTimestamp(socket)?.getTime() ?? null,
  };
}

function tableRows(sql: SqlStorage): Record<string, number> {
  const names = sql
    .exec<{ name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
    )
    .toArray()
    .map((row) => row.name);
  const rows: Record<string, number> = {};
  // Names come from sqlite_master (our own tables); quoted anyway.
  for (const name of names) {
    rows[name] = sql.exec<{ n: number }>(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`).one().n;
  }
  return rows;
}

/** The window's counts at an hour's length. Heartbeats are estimated (the room never sees them) and free. */
function hourlyCost(rates: Rates, openSockets: number): RoomCost {
  const d = rates.delta;
  const usage: RoomUsage = {
    requests: d.requests + d.socketsOpened,
    incomingMessages: d.framesInBinary + d.framesInText,
    autoResponseHeartbeats: (openSockets * rates.windowMs) / LIMITS.heartbeatIntervalMs,
    outgoingMessages: d.framesOut,
    alarmRuns: d.alarmRuns,
    activeMs: d.activeMs,
    rowsWritten: d.rowsWritten + d.alarmSets,
    rowsRead: d.rowsRead,
    r2ClassA: d.r2ClassA,
    r2ClassB: d.r2ClassB,
  };
  if (rates.windowMs <= 0) return priceUsage(emptyUsage());
  return priceUsage(scaleUsage(usage, rates.windowMs, 3_600_000));
}
