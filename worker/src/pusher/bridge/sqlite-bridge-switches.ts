/**
 * The room's bridge switches (room/pusher-bridge.ts) in its SQLite storage,
 * so a hibernated room still knows which Pusher channels to tell. The table
 * is made the first time a channel turns on: a room never bridged keeps its
 * schema as it was and pays one read when it starts.
 */
import type { BridgeSwitches } from "../../room/pusher-bridge.ts";
import type { BridgeKind } from "./bridged-channel.ts";

const TABLE = "pusher_bridge";

export class SqliteBridgeSwitches implements BridgeSwitches {
  readonly #sql: SqlStorage;
  #made: boolean;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.#made =
      sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", TABLE).toArray().length >
      0;
  }

  on(): BridgeKind[] {
    if (!this.#made) return [];
    return this.#sql
      .exec<{ kind: string }>(`SELECT kind FROM ${TABLE}`)
      .toArray()
      .map((row) => row.kind)
      .filter((kind): kind is BridgeKind => kind === "presence" || kind === "private");
  }

  set(kind: BridgeKind, on: boolean): void {
    if (!on) {
      if (this.#made) this.#sql.exec(`DELETE FROM ${TABLE} WHERE kind = ?`, kind);
      return;
    }
    if (!this.#made) {
      this.#sql.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (kind TEXT PRIMARY KEY)`);
      this.#made = true;
    }
    this.#sql.exec(`INSERT OR IGNORE INTO ${TABLE} (kind) VALUES (?)`, kind);
  }
}
