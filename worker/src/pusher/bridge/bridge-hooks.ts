/**
 * The channel object's side of the bridge: when a bridged channel
 * (bridged-channel.ts) becomes occupied or vacated, its room hears of it
 * (`pusherBridge`, RoomBridgeRpc in channel-contract.ts), one call after
 * another so a vacated never overtakes the occupied before it. A channel
 * whose name is not a room's never addresses one (that would create it).
 */
import type { ChannelHooks } from "../channel-contract.ts";
import { bridgedChannel } from "./bridged-channel.ts";

export type BridgeHooks = Pick<ChannelHooks, "occupied" | "vacated">;

const NOT_BRIDGED: BridgeHooks = { occupied() {}, vacated() {} };

export function bridgeHooks(env: Env, ctx: DurableObjectState, channel: string): BridgeHooks {
  const bridged = bridgedChannel(channel);
  if (!bridged?.ok) return NOT_BRIDGED;
  let queue: Promise<void> = Promise.resolve();
  const tell = (occupied: boolean) => {
    queue = queue
      .then(() => env.Room.getByName(bridged.room).pusherBridge(channel, occupied))
      .catch((error: unknown) => {
        console.error(`Edgeroom: Pusher channel ${channel} could not reach its room:`, error);
      });
    ctx.waitUntil(queue);
  };
  return { occupied: () => tell(true), vacated: () => tell(false) };
}
