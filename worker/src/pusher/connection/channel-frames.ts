/**
 * Frames from a channel object on an internal link: forwarded to the client
 * as they are, except control frames (channel-contract.ts), which are the
 * Worker's to act on and never reach a client.
 */
import { INTERNAL_EVENT_PREFIX, TERMINATE_EVENT } from "../channel-contract.ts";

// The channel object writes every frame with JSON.stringify({ event, … }), event first, so control
// frames are recognised without parsing every frame the channel fans out.
const CONTROL_FRAME_START = `{"event":"${INTERNAL_EVENT_PREFIX}`;
const TERMINATE_FRAME_START = `{"event":${JSON.stringify(TERMINATE_EVENT)},`;

export type ChannelFrame = { kind: "forward"; text: string } | { kind: "terminate" } | { kind: "ignore" };

export function readChannelFrame(data: string | ArrayBuffer): ChannelFrame {
  if (typeof data !== "string") return { kind: "ignore" };
  if (!data.startsWith(CONTROL_FRAME_START)) return { kind: "forward", text: data };
  return data.startsWith(TERMINATE_FRAME_START) ? { kind: "terminate" } : { kind: "ignore" };
}
