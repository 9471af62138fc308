import type { CloseCode, VerifiedIdentity } from "@edgeroom/shared";

/** The door's verdict on a new socket (durable/room-access.ts decides it from the Worker's headers). */
export type Admission =
  | {
      ok: true;
      verified: VerifiedIdentity | undefined;
      /** When the socket's token expires (epoch ms); set exactly when `verified` is. */
      expiresAt: number | undefined;
      /** This admission turned the room private: tokenless sockets already in must go. */
      madePrivate: boolean;
    }
  | { ok: false; code: CloseCode };
