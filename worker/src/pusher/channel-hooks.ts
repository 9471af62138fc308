/**
 * The hooks a channel object calls (ChannelHooks in channel-contract.ts),
 * put together from the parts that listen: webhooks, the directory of
 * occupied channels (webhooks/), and the bridge to Edgeroom rooms (bridge/).
 */
import { bridgeHooks } from "./bridge/bridge-hooks.ts";
import type { ChannelHooks } from "./channel-contract.ts";
import { PusherAppHooks } from "./webhooks/pusher-app-hooks.ts";

export function createChannelHooks(env: Env, ctx: DurableObjectState, channel: string): ChannelHooks {
  const bridge = bridgeHooks(env, ctx, channel);
  // The directory of occupied channels and Pusher-format webhooks; it owns the alarm.
  const app = new PusherAppHooks(env, ctx, channel);
  return {
    occupied() {
      app.occupied();
      bridge.occupied();
    },
    vacated() {
      app.vacated();
      bridge.vacated();
    },
    memberAdded: (userId) => app.memberAdded(userId),
    memberRemoved: (userId) => app.memberRemoved(userId),
    clientEvent: (event) => app.clientEvent(event),
    alarm: () => app.alarm(),
  };
}
