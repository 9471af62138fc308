import { LIMITS } from "@edgeroom/shared";
import type { UpdateStore } from "../room/update-store.ts";

export class SqliteUpdateStore implements UpdateStore {
  readonly #storage: DurableObjectStorage;
  #logLength = 0;
  #byteSize = 0;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    const sql = storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS doc_state_chunks (idx INTEGER PRIMARY KEY, data BLOB NOT NULL)`);
    sql.exec(
      `CREATE TABLE IF NOT EXISTS doc_updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL)`,
    );
    const log = sql
      .exec<{ n: number; bytes: number | null }>(
        `SELECT COUNT(*) AS n, SUM(LENGTH(data)) AS bytes FROM doc_updates`,
      )
      .one();
    const state = sql
      .exec<{ bytes: number | null }>(`SELECT SUM(LENGTH(data)) AS bytes FROM doc_state_chunks`)
      .one();
    this.#logLength = log.n;
    this.#byteSize = (log.bytes ?? 0) + (state.bytes ?? 0);
  }

  load(): Uint8Array[] {
    const sql = this.#storage.sql;
    const chunks = sql
      .exec<{ data: ArrayBuffer }>(`SELECT data FROM doc_state_chunks ORDER BY idx`)
      .toArray()
      .map((row) => new Uint8Array(row.data));
    const updates = sql
      .exec<{ data: ArrayBuffer }>(`SELECT data FROM doc_updates ORDER BY seq`)
      .toArray()
      .map((row) => new Uint8Array(row.data));
    return chunks.length > 0 ? [joinChunks(chunks), ...updates] : updates;
  }

  append(update: Uint8Array): void {
    this.#storage.sql.exec(`INSERT INTO doc_updates (data) VALUES (?)`, toArrayBuffer(update));
    this.#logLength += 1;
    this.#byteSize += update.byteLength;
  }

  replaceWith(state: Uint8Array): void {
    this.#storage.transactionSync(() => {
      const sql = this.#storage.sql;
      sql.exec(`DELETE FROM doc_state_chunks`);
      sql.exec(`DELETE FROM doc_updates`);
      for (let offset = 0, idx = 0; offset < state.byteLength; offset += LIMITS.storedChunkBytes, idx++) {
        const chunk = state.subarray(offset, offset + LIMITS.storedChunkBytes);
        sql.exec(`INSERT INTO doc_state_chunks (idx, data) VALUES (?, ?)`, idx, toArrayBuffer(chunk));
      }
    });
    this.#logLength = 0;
    this.#byteSize = state.byteLength;
  }

  logLength(): number {
    return this.#logLength;
  }

  byteSize(): number {
    return this.#byteSize;
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

function joinChunks(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, c) => sum + c.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}
