/**
 * Who may join this room. The Worker has already verified any token and
 * passed the identity (and when its token expires) in headers it alone
 * sets; the room adds what only it knows: whether it is private. A room
 * becomes private when a verified token with `private: true` first connects,
 * and stays so (stored in SQLite, and carried by every R2 snapshot so a room
 * rebuilt from R2 comes back private too). It also remembers whose access
 * the host's backend took back (`revoke`): a token of theirs issued before
 * that is refused, or admitted read-only, from then on.
 */
import { CloseCode, LIMITS, parseVerifiedIdentity, type VerifiedIdentity } from "@edgeroom/shared";
import type { Admission } from "../room/admission.ts";
import {
  IDENTITY_HEADER,
  MAKE_PRIVATE_HEADER,
  TOKEN_EXPIRES_HEADER,
  TOKEN_ISSUED_HEADER,
} from "./admission-headers.ts";
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
    sql.exec(
      "CREATE TABLE IF NOT EXISTS room_revocations (sub TEXT PRIMARY KEY, scope TEXT NOT NULL, at INTEGER NOT NULL)",
    );
  }

  /**
   * Takes `sub`'s access back as of `at`: every token of theirs issued up to
   * then is refused (or, with `view`, admitted read-only). A token issued
   * later (with an `iat` after `at`) is the host granting access again.
   */
  revoke(sub: string, scope: "view" | "all", at: number): void {
    this.#sql.exec(
      "INSERT OR REPLACE INTO room_revocations (sub, scope, at) VALUES (?, ?, ?)",
      sub,
      scope,
      at,
    );
    this.#sql.exec(
      `DELETE FROM room_revocations WHERE sub IN
         (SELECT sub FROM room_revocations ORDER BY at DESC LIMIT -1 OFFSET ?)`,
      LIMITS.maxRevocationsPerRoom,
    );
  }

  /** What a revocation leaves of a verified identity: itself, read-only, or nothing. */
  #afterRevocation(verified: VerifiedIdentity, issuedAt: number | undefined): VerifiedIdentity | undefined {
    const row = this.#sql
      .exec<{ scope: string; at: number }>(
        "SELECT scope, at FROM room_revocations WHERE sub = ?",
        verified.id,
      )
      .toArray()[0];
    if (!row || (issuedAt !== undefined && issuedAt > row.at)) return verified;
    return row.scope === "view" ? { ...verified, scope: "view" } : undefined;
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
    let verified = header === null ? undefined : parseVerifiedIdentity(decodeURIComponent(header));
    if (header !== null && !verified) return { ok: false, code: CloseCode.tokenInvalid };
    const expiresAt = verified ? Number(request.headers.get(TOKEN_EXPIRES_HEADER)) : undefined;
    // Every token has an `exp`; an identity without one did not come from the gate.
    if (expiresAt !== undefined && !(Number.isSafeInteger(expiresAt) && expiresAt > 0)) {
      return { ok: false, code: CloseCode.tokenInvalid };
    }
    if (expiresAt !== undefined && now >= expiresAt) return { ok: false, code: CloseCode.tokenExpired };
    if (verified) {
      const issued = Number(request.headers.get(TOKEN_ISSUED_HEADER) ?? Number.NaN);
      const left = this.#afterRevocation(verified, Number.isSafeInteger(issued) ? issued : undefined);
      if (!left) return { ok: false, code: CloseCode.accessRevoked };
      verified = left;
    }
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
