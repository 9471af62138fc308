import { LIMITS } from "@edgeroom/shared";
import type { StateSummary, UpdateStore } from "../room/update-store.ts";

/** Rows one INSERT writes at most (a Durable Object's SQL takes at most 100 bound parameters). */
const ROWS_PER_INSERT = 32;

/**
 * The document's log in SQLite. Appends wait in memory until `flush`, which
 * the room calls before anything leaves it (relays, acknowledgements, an
 * API answer): updates that arrive together are written together, one
 * statement instead of one each (the profile in bench/results/profile.md
 * shows the per-statement cost), and still before any of them is
 * acknowledged or relayed.
 */
export class SqliteUpdateStore implements UpdateStore {
  readonly #storage: DurableObjectStorage;
  #logLength = 0;
  #logBytes = 0;
  #byteSize = 0;
  #unwritten: Uint8Array[] = [];

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    const sql = storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS doc_state_chunks (idx INTEGER PRIMARY KEY, data BLOB NOT NULL)`);
    sql.exec(
      `CREATE TABLE IF NOT EXISTS doc_updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL)`,
    );
    // Describes doc_state_chunks exactly (UpdateStore.summary); written and dropped with them.
    sql.exec(
      `CREATE TABLE IF NOT EXISTS doc_state_summary (id INTEGER PRIMARY KEY CHECK (id = 1), state_vector BLOB NOT NULL, deletes BLOB NOT NULL)`,
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
    this.#logBytes = log.bytes ?? 0;
    this.#byteSize = (log.bytes ?? 0) + (state.bytes ?? 0);
  }

  load(): Uint8Array[] {
    const updates = this.loadLog();
    const chunks = this.#storage.sql
      .exec<{ data: ArrayBuffer }>(`SELECT data FROM doc_state_chunks ORDER BY idx`)
      .toArray()
      .map((row) => new Uint8Array(row.data));
    return chunks.length > 0 ? [joinChunks(chunks), ...updates] : updates;
  }

  loadLog(): Uint8Array[] {
    this.flush();
    return this.#storage.sql
      .exec<{ data: ArrayBuffer }>(`SELECT data FROM doc_updates ORDER BY seq`)
      .toArray()
      .map((row) => new Uint8Array(row.data));
  }

  summary(): StateSummary | undefined {
    const row = this.#storage.sql
      .exec<{ state_vector: ArrayBuffer; deletes: ArrayBuffer }>(
        `SELECT state_vector, deletes FROM doc_state_summary WHERE id = 1`,
      )
      .toArray()[0];
    return row && { stateVector: new Uint8Array(row.state_vector), deletes: new Uint8Array(row.deletes) };
  }

  append(update: Uint8Array): void {
    this.#unwritten.push(update);
    this.#logLength += 1;
    this.#logBytes += update.byteLength;
    this.#byteSize += update.byteLength;
  }

  /** Writes the appended updates, oldest first; the caller sends nothing before this returns. */
  flush(): void {
    const rows = this.#unwritten;
    if (rows.length === 0) return;
    this.#unwritten = [];
    const sql = this.#storage.sql;
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      const values = chunk.map(() => "(?)").join(", ");
      sql.exec(`INSERT INTO doc_updates (data) VALUES ${values}`, ...chunk.map(toArrayBuffer));
    }
  }

  replaceWith(state: Uint8Array, summary?: StateSummary): void {
    // The state already holds every update still waiting to be written.
    this.#unwritten = [];
    this.#storage.transactionSync(() => {
      const sql = this.#storage.sql;
      sql.exec(`DELETE FROM doc_state_chunks`);
      sql.exec(`DELETE FROM doc_updates`);
      sql.exec(`DELETE FROM doc_state_summary`);
      // One row: a summary too large for it is left out, and readers are answered from the state.
      if (summary && summary.stateVector.byteLength + summary.deletes.byteLength <= LIMITS.storedChunkBytes) {
        sql.exec(
          `INSERT INTO doc_state_summary (id, state_vector, deletes) VALUES (1, ?, ?)`,
          toArrayBuffer(summary.stateVector),
          toArrayBuffer(summary.deletes),
        );
      }
      for (let offset = 0, idx = 0; offset < state.byteLength; offset += LIMITS.storedChunkBytes, idx++) {
        const chunk = state.subarray(offset, offset + LIMITS.storedChunkBytes);
        sql.exec(`INSERT INTO doc_state_chunks (idx, data) VALUES (?, ?)`, idx, toArrayBuffer(chunk));
      }
    });
    this.#logLength = 0;
    this.#logBytes = 0;
    this.#byteSize = state.byteLength;
  }

  logLength(): number {
    return this.#logLength;
  }

  logBytes(): number {
    return this.#logBytes;
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
