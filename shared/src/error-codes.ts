/**
 * Why the room refused a frame or a request: the `code` of `error`,
 * `doc-reject` and `chat-reject` on the app lane. Adding a code is a
 * protocol change (see shared/PROTOCOL.md, "Versioning"): a client that does
 * not know it cannot parse the message that carries it.
 */
import * as v from "valibot";

export const ErrorCode = {
  badFrame: "bad-frame",
  badMessage: "bad-message",
  documentTooLarge: "document-too-large",
  /** Chat and typing need a name: say hello with a `user` first. */
  noIdentity: "no-identity",
  /** No saved version has that time (it may have been thinned out). */
  versionNotFound: "version-not-found",
  /** The room could not read its saved versions just now; asking again may work. */
  versionsUnavailable: "versions-unavailable",
  /** The socket went over a rate limit; frames were dropped until its budget refills. */
  rateLimited: "rate-limited",
  /** The socket's room token has scope `view`: it reads everything and changes nothing. */
  readOnly: "read-only",
  /** The update needs changes the room never saw; a sync step 1 follows so the client can send them. */
  missingDependencies: "missing-dependencies",
  /** Integrating the update would cost more work than one frame may (see `LIMITS.maxIntegrationSteps`). */
  tooCostly: "too-costly",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ErrorCodeSchema = v.picklist(Object.values(ErrorCode));
