/**
 * The frames a client opens with, built on shared's schemas and encoders so
 * no test writes the protocol version or the awareness layout by hand.
 */
import { encodeAwarenessFrame, PROTOCOL_VERSION, type ClientAppMessage, type User } from "@edgeroom/shared";

export type Hello = Extract<ClientAppMessage, { type: "hello" }>;

/** A `hello` at this protocol version (or `v` when a test plays an old client), with optional user and person. */
export function helloMessage(fields: { user?: User; person?: string; v?: number } = {}): Hello {
  return {
    type: "hello",
    v: fields.v ?? PROTOCOL_VERSION,
    ...(fields.user ? { user: fields.user } : {}),
    ...(fields.person ? { person: fields.person } : {}),
  };
}

/** The `hello` text frame. */
export function helloFrame(fields: Parameters<typeof helloMessage>[0] = {}): string {
  return JSON.stringify(helloMessage(fields));
}

/** An awareness frame publishing one client's state (`null` says it left). */
export function awarenessFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  return encodeAwarenessFrame([{ clientId, clock, stateJson: JSON.stringify(state) }]);
}
