/**
 * Who may join this room. The Worker has already verified any token and
 * passed the identity (and when its token expires) in headers it alone
 * sets; the room adds what only it knows: whether it is private. A room
 * becomes private when a verified token with `private: true` first connects,
 * and stays so (stored in SQLite, and carried by every R2 snapshot so a room
 * rebuilt from R2 comes back private too).
 */
import { CloseCode, parseVerifiedIdentity } from "@edgeroom/shared";
import type { Admission } from "../room/admission.ts";
import { IDENTITY_HEADER, MAKE_PRIVATE_HEADER, TOKEN_EXPIRES_HEADER } from "./admission-headers.ts";
import type { RoomAccessFlags } from "../snapshots/snapshot-metadata.ts";

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

  /** What access depends on, as it travels with each snapshot. */
  flags(): RoomAccessFlags {
    return { private: this.#private };
  }

  /** Takes back what a snapshot carried (a room rebuilt from R2); private never turns public. */
  restore(flags: RoomAccessFlags): void {
    if (flags.private) this.#makePrivate();
  }

  admit(request: Request, now: number = Date.now()): Admission {
    const header = request.headers.get(IDENTITY_HEADER);
    const verified = header === null ? undefined : parseVerifiedIdentity(decodeURIComponent(header));
    if (header !== null && !verified) return { ok: false, code: CloseCode.tokenInvalid };
    const expiresAt = verified ? Number(request.headers.get(TOKEN_EXPIRES_HEADER)) : undefined;
    // Every token has an `exp`; an identity without one did not come from the gate.
    if (expiresAt !== undefined && !(Number.isSafeInteger(expiresAt) && expiresAt > 0)) {
      return { ok: false, code: CloseCode.tokenInvalid };
    }
    if (expiresAt !== undefined && now >= expiresAt) return { ok: false, code: CloseCode.tokenExpired };
    const madePrivate = verified !== undefined && request.headers.get(MAKE_PRIVATE_HEADER) === "1";
    const wasPrivate = this.#private;
    if (madePrivate) this.#makePrivate();
    if (this.#private && !verified) return { ok: false, code: CloseCode.tokenRequired };
    return { ok: true, verified, expiresAt, madePrivate: !wasPrivate && this.#private };
  }

  #makePrivate(): void {
    if (this.#private) return;
    this.#sql.exec("INSERT OR REPLACE INTO room_access (only, private) VALUES (1, 1)");
    this.#private = true;
  }
}
