/**
 * The hooks a channel object calls (ChannelHooks in channel-contract.ts),
 * put together from the parts that listen: webhooks, the directory of
 * occupied channels, and the bridge to Edgeroom rooms. Each part adds itself
 * here as it is built (issue 19).
 */
import { bridgeHooks } from "./bridge/bridge-hooks.ts";
import type { ChannelHooks } from "./channel-contract.ts";

export function createChannelHooks(env: Env, ctx: DurableObjectState, channel: string): ChannelHooks {
  const bridge = bridgeHooks(env, ctx, channel);
  return {
    occupied() {
      bridge.occupied();
    },
    vacated() {
      bridge.vacated();
    },
    memberAdded() {},
    memberRemoved() {},
    clientEvent() {},
    async alarm() {},
  };
}
