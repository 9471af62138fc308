/**
 * The hooks a channel object calls (ChannelHooks in channel-contract.ts),
 * put together from the parts that listen: webhooks, the directory of
 * occupied channels, and the bridge to Edgeroom rooms. Each part adds itself
 * here as it is built (issue 19).
 */
import type { ChannelHooks } from "./channel-contract.ts";
import { PusherAppHooks } from "./webhooks/pusher-app-hooks.ts";

export function createChannelHooks(env: Env, ctx: DurableObjectState, channel: string): ChannelHooks {
  // The directory of occupied channels and Pusher-format webhooks.
  return new PusherAppHooks(env, ctx, channel);
}
