/**
 * The hooks a channel object calls (ChannelHooks in channel-contract.ts),
 * put together from the parts that listen: webhooks, the directory of
 * occupied channels, and the bridge to Edgeroom rooms. Each part adds itself
 * here as it is built (issue 19).
 */
import type { ChannelHooks } from "./channel-contract.ts";

export function createChannelHooks(_env: Env, _ctx: DurableObjectState, _channel: string): ChannelHooks {
  return {
    occupied() {},
    vacated() {},
    memberAdded() {},
    memberRemoved() {},
    clientEvent() {},
    async alarm() {},
  };
}
