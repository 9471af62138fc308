/**
 * The objects the HTTP API talks to: a channel's `PusherChannel` (by name)
 * through the contract's `ChannelRpc`, and the app's `PusherDirectory`.
 */
import type { ChannelRpc } from "../channel-contract.ts";
import type { DirectoryRpc } from "../directory/pusher-directory.ts";

export function channelObject(env: Env, channel: string): ChannelRpc {
  // Typed by the contract rather than by the class, so this side depends on the contract alone.
  return env.PusherChannel.getByName(channel) as unknown as ChannelRpc;
}

export function directoryObject(env: Env, appId: string): DirectoryRpc {
  return env.PusherDirectory.getByName(appId);
}
