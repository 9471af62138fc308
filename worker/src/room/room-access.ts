/**
 * Who may join this room. The Worker has already verified any token and
 * passed the identity in a header it alone sets; the room adds what only it
 * knows: whether it is private. A room becomes private when a verified token
 * with `private: true` first connects, and stays so (stored in SQLite).
 */
import { CloseCode, parseVerifiedIdentity, type VerifiedIdentity } from "@edgeroom/shared";
import { IDENTITY_HEADER, MAKE_PRIVATE_HEADER } from "../access/connect-gate.ts";

export type Admission = { ok: true; verified: VerifiedIdentity | undefined } | { ok: false; code: CloseCode };

export class RoomAccess {
  readonly #sql: SqlStorage;
  #private: boolean;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    sql.exec(
      "CREATE TABLE IF NOT EXISTS room_access (only INTEGER PRIMARY KEY CHECK (only = 1), private INTEGER NOT NULL)",
    );
    this.#private =
      sql.exec<{ private: number }>("SELECT private FROM room_access").toArray()[0]?.private === 1;
  }

  get isPrivate(): boolean {
    return this.#private;
  }

  admit(request: Request): Admission {
    const header = request.headers.get(IDENTITY_HEADER);
    const verified = header === null ? undefined : parseVerifiedIdentity(decodeURIComponent(header));
    if (header !== null && !verified) return { ok: false, code: CloseCode.tokenInvalid };
    if (verified && request.headers.get(MAKE_PRIVATE_HEADER) === "1") this.#makePrivate();
    if (this.#private && !verified) return { ok: false, code: CloseCode.tokenRequired };
    return { ok: true, verified };
  }

  #makePrivate(): void {
    if (this.#private) return;
    this.#sql.exec("INSERT OR REPLACE INTO room_access (only, private) VALUES (1, 1)");
    this.#private = true;
  }
}
