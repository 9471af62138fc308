/**
 * What a frame handler returns for one socket's frame: frames to send and
 * the socket's new state. The room logic turns it into effects (effects.ts).
 */
import {
  CLOSE_REASONS,
  type AwarenessEntry,
  type CloseCode,
  type ErrorCode,
  type ServerAppMessage,
  type User,
  type VerifiedIdentity,
  type WebhookEvent,
} from "@edgeroom/shared";

/** What the room remembers about one socket; kept in the socket attachment so it survives hibernation. */
export interface PeerState {
  /** The socket said `hello`, so it may receive app-lane (JSON text) frames. */
  appLane: boolean;
  /** When the socket connected (ms); until its first heartbeat it counts as alive since then. */
  since?: number;
  /** Who the socket said it is (for chat and typing); the token's identity when it has one. */
  user?: User;
  /** Set when the socket came with a valid room token: identity and scope the client cannot change. */
  verified?: VerifiedIdentity;
  /**
   * The person this socket belongs to, as others see them: the token's `sub`,
   * or the public hash of the secret id the browser sent in `hello`. Set once.
   */
  person?: string;
  /** When the socket's token expires (epoch ms): from then on the room reads nothing from it and closes it. */
  tokenExpiresAt?: number;
  /** The socket holds a typing lease (so leaving ends it for everyone). */
  typing?: boolean;
  /** Frames from this socket the room refused (malformed or not allowed); none of them changed anything. */
  refused?: number;
  /** The socket has sent its first sync step 2, the one frame that may hold a whole document. */
  firstSyncDone?: boolean;
  awareness: AwarenessEntry[];
}

export const NEW_PEER: PeerState = { appLane: false, awareness: [] };

export type Outbound =
  | { to: "sender" | "others"; binary: Uint8Array }
  /** App-lane messages reach only sockets that said hello. */
  | { to: "sender" | "others"; app: ServerAppMessage }
  | { to: "sender"; close: { code: CloseCode; reason: string } };

export interface Reaction {
  out: Outbound[];
  /** Set when the peer's state changed and must be saved. */
  peer?: PeerState;
  /** The frame was refused without a word back (sockets outside the app lane get no error frames). */
  refused?: boolean;
  /** The frame changed the document (an update was stored), so a snapshot is due. */
  edited?: boolean;
  /** The sender asked for a saved version's text; the logic asks its host to read it (`read-version`). */
  versionRequested?: number;
  /**
   * Why the frame was refused: set on every refusal with a word back (and on
   * silent ones where known), so a refusal is known by `problem` or
   * `refused`, never by the type of the reply. Malformed ones count toward a close.
   */
  problem?: ErrorCode;
  /** What the host's backend hears of it (the webhook outbox), in order. */
  webhooks?: WebhookEvent[];
  /** The sender sent `check-in`: a sweep for dead sockets may be due. */
  checkedIn?: boolean;
}

export function toSender(app: ServerAppMessage): Reaction {
  return { out: [{ to: "sender", app }] };
}

/** Refuses the frame with a word back to its sender (an error, doc-reject or chat-reject). */
export function refuse(app: ServerAppMessage & { code: ErrorCode }): Reaction {
  return { out: [{ to: "sender", app }], problem: app.code };
}

/** Closes the sender's socket, with the shared table's reason unless the room has a more exact one. */
export function closeSender(code: CloseCode, reason: string = CLOSE_REASONS[code].reason): Reaction {
  return { out: [{ to: "sender", close: { code, reason } }] };
}
