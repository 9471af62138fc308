import { LIMITS, type ChatMessage } from "@edgeroom/shared";
import type { ChatStore, NewChatMessage } from "../room/chat-store.ts";

interface Row extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  at: number;
  name: string;
  color: string;
  text: string;
  bot: string | null;
}

const COLUMNS = "seq, id, at, name, color, text, bot";

const UTF8 = new TextEncoder();

export class SqliteChatStore implements ChatStore {
  readonly #sql: SqlStorage;
  /** Messages and bytes of text stored, kept in step so the quota costs no query per message. */
  #count: number;
  #bytes: number;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    // AUTOINCREMENT: a sequence number is never reused, so clients can page and catch up by it.
    sql.exec(`CREATE TABLE IF NOT EXISTS chat_messages (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      at INTEGER NOT NULL,
      name TEXT NOT NULL,
      color TEXT NOT NULL,
      text TEXT NOT NULL
    )`);
    // Added with bot authors (messages posted through the HTTP API); rooms created before have no such column yet.
    const columns = sql
      .exec<{ name: string }>(`SELECT name FROM pragma_table_info('chat_messages')`)
      .toArray();
    if (!columns.some((c) => c.name === "bot")) sql.exec(`ALTER TABLE chat_messages ADD COLUMN bot TEXT`);
    const totals = sql
      .exec<{ n: number; bytes: number | null }>(
        `SELECT COUNT(*) AS n, SUM(LENGTH(CAST(text AS BLOB))) AS bytes FROM chat_messages`,
      )
      .one();
    this.#count = totals.n;
    this.#bytes = totals.bytes ?? 0;
  }

  add(message: NewChatMessage): { message: ChatMessage; stored: boolean } {
    const inserted = this.#sql
      .exec<Row>(
        `INSERT INTO chat_messages (id, at, name, color, text, bot) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO NOTHING RETURNING ${COLUMNS}`,
        message.id,
        message.at,
        message.author.name,
        message.author.color,
        message.text,
        message.author.bot ?? null,
      )
      .toArray();
    if (inserted[0]) {
      this.#count += 1;
      this.#bytes += UTF8.encode(message.text).byteLength;
      this.#trimToQuota();
      return { message: toMessage(inserted[0]), stored: true };
    }
    const existing = this.#sql
      .exec<Row>(`SELECT ${COLUMNS} FROM chat_messages WHERE id = ?`, message.id)
      .one();
    return { message: toMessage(existing), stored: false };
  }

  after(after: number, limit: number): ChatMessage[] {
    return this.#sql
      .exec<Row>(`SELECT ${COLUMNS} FROM chat_messages WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
      .toArray()
      .map(toMessage);
  }

  before(before: number | undefined, limit: number): ChatMessage[] {
    const rows =
      before === undefined
        ? this.#sql.exec<Row>(`SELECT ${COLUMNS} FROM chat_messages ORDER BY seq DESC LIMIT ?`, limit)
        : this.#sql.exec<Row>(
            `SELECT ${COLUMNS} FROM chat_messages WHERE seq < ? ORDER BY seq DESC LIMIT ?`,
            before,
            limit,
          );
    return rows.toArray().map(toMessage).reverse();
  }

  /** Messages and text bytes stored now (the quota's view). */
  totals(): { messages: number; bytes: number } {
    return { messages: this.#count, bytes: this.#bytes };
  }

  /**
   * Drops the oldest messages until the room is within its chat quota. A
   * dropped message's id is forgotten too, so a client retrying a message
   * from thousands of messages ago would store it again; none waits that long.
   */
  #trimToQuota(): void {
    while (this.#count > LIMITS.maxChatMessagesPerRoom || this.#bytes > LIMITS.maxChatBytesPerRoom) {
      const oldest = this.#sql
        .exec<{ bytes: number }>(
          `DELETE FROM chat_messages WHERE seq = (SELECT MIN(seq) FROM chat_messages)
           RETURNING LENGTH(CAST(text AS BLOB)) AS bytes`,
        )
        .toArray()[0];
      if (!oldest) break;
      this.#count -= 1;
      this.#bytes -= oldest.bytes;
    }
  }

  hasBefore(seq: number): boolean {
    return this.#sql.exec(`SELECT 1 FROM chat_messages WHERE seq < ? LIMIT 1`, seq).toArray().length > 0;
  }
}

function toMessage(row: Row): ChatMessage {
  return {
    id: row.id,
    seq: row.seq,
    at: row.at,
    author:
      row.bot === null
        ? { name: row.name, color: row.color }
        : { name: row.name, color: row.color, bot: row.bot },
    text: row.text,
  };
}
