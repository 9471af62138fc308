/**
 * partyserver's Server with the room meter (room-meter.ts) around workerd's
 * entry points: every request, socket frame, close and alarm is timed and
 * counted here, so the room itself only notes what it alone knows (frames it
 * sends, document loads). Each entry point is the runtime's, so this counts
 * what Cloudflare bills: one incoming message per `webSocketMessage`, one alarm
 * per `alarm`, and no heartbeat (the auto-response never reaches the object).
 */
import { Server, type WSMessage } from "partyserver";
import { roomMeter, type RoomMeter } from "./room-meter.ts";

export class MeteredServer<E extends Cloudflare.Env = Cloudflare.Env> extends Server<E> {
  constructor(ctx: DurableObjectState, env: E) {
    super(ctx, env);
    countStorageUse(ctx.storage, () => this.meter);
  }

  /** This room's meter; rooms are addressed by name (`idFromName`), so the id carries it. */
  get meter(): RoomMeter {
    return roomMeter(this.ctx.id.name ?? this.ctx.id.toString());
  }

  override async fetch(request: Request): Promise<Response> {
    const upgrade = request.headers.get("Upgrade")?.toLowerCase() === "websocket";
    const response = await this.meter.time(() => super.fetch(request));
    if (upgrade && response.status === 101) this.meter.counts.socketsOpened++;
    else this.meter.counts.requests++;
    return response;
  }

  override webSocketMessage(ws: WebSocket, message: WSMessage): Promise<void> {
    return this.meterMessage(message, () => super.webSocketMessage(ws, message));
  }

  /** Counts and times one incoming frame; for a subclass that handles some frames without `super`. */
  protected meterMessage(message: WSMessage, handle: () => Promise<void>): Promise<void> {
    this.meter.received(message);
    return this.meter.time(handle);
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string, wasClean: boolean): Promise<void> {
    this.meter.counts.socketsClosed++;
    return this.meter.time(() => super.webSocketClose(ws, code, reason, wasClean));
  }

  override webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    return this.meter.time(() => super.webSocketError(ws, error));
  }

  override alarm(): Promise<void> {
    this.meter.counts.alarmRuns++;
    return this.meter.time(() => super.alarm());
  }

  /** `getServerByName` opens every RPC session with this call (the HTTP API's). */
  override setName(name: string, props?: Record<string, unknown>): Promise<void> {
    this.meter.counts.requests++;
    return this.meter.time(() => super.setName(name, props));
  }
}

/**
 * Hands each SQL cursor to the meter (workerd counts its rows) and counts alarm sets, which
 * Cloudflare bills as row writes. Wrapping the two methods is the cheap way to see every
 * statement without touching the stores that run them.
 */
function countStorageUse(storage: DurableObjectStorage, meter: () => RoomMeter): void {
  const sql = storage.sql;
  const exec = sql.exec.bind(sql);
  sql.exec = ((query: string, ...bindings: unknown[]) => {
    const cursor = exec(query, ...bindings);
    meter().sqlCursor(cursor);
    return cursor;
  }) as SqlStorage["exec"];
  const setAlarm = storage.setAlarm.bind(storage);
  storage.setAlarm = (time, options) => {
    meter().counts.alarmSets++;
    return setAlarm(time, options);
  };
}
