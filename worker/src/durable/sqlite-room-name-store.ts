import type { RoomNameStore } from "../room/room-name.ts";

/** The room's name as one row of the object's SQLite storage, so it survives eviction and restarts. */
export class SqliteRoomNameStore implements RoomNameStore {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    sql.exec(
      "CREATE TABLE IF NOT EXISTS room_name (only INTEGER PRIMARY KEY CHECK (only = 1), name TEXT NOT NULL)",
    );
  }

  read(): string {
    return this.#sql.exec<{ name: string }>("SELECT name FROM room_name").toArray()[0]?.name ?? "";
  }

  write(name: string): void {
    this.#sql.exec("INSERT OR REPLACE INTO room_name (only, name) VALUES (1, ?)", name);
  }
}
