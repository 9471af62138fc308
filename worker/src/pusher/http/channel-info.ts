/**
 * The `info` attributes a caller asks for (`subscription_count`,
 * `user_count`), read from the channel objects. `user_count` exists only on
 * presence channels.
 */
import { CHANNEL_INFO_ATTRIBUTES, type ChannelInfoAttribute } from "@edgeroom/shared/pusher";
import type { ChannelInfo } from "../channel-contract.ts";
import { isPresenceChannel } from "./channel-names.ts";
import { channelObject } from "./channel-objects.ts";
import { badRequest } from "./refusal.ts";

export type InfoAttributes = ReadonlySet<ChannelInfoAttribute>;

/** `info=a,b` as a set; an unknown attribute is a 400. */
export function parseInfo(info: string | null | undefined): InfoAttributes {
  const attributes = new Set<ChannelInfoAttribute>();
  for (const raw of (info ?? "").split(",")) {
    const name = raw.trim();
    if (name === "") continue;
    if (!(CHANNEL_INFO_ATTRIBUTES as readonly string[]).includes(name)) {
      throw badRequest(
        `Invalid info: ${JSON.stringify(name.slice(0, 40))}; ask for ${CHANNEL_INFO_ATTRIBUTES.join(", ")}.`,
      );
    }
    attributes.add(name as ChannelInfoAttribute);
  }
  return attributes;
}

/** The asked-for attributes of one channel's info; `user_count` only where the channel has users. */
export function pickInfo(
  channel: string,
  info: ChannelInfo,
  attributes: InfoAttributes,
): Record<string, number> {
  const picked: Record<string, number> = {};
  if (attributes.has("subscription_count")) picked["subscription_count"] = info.subscription_count;
  if (attributes.has("user_count") && isPresenceChannel(channel)) picked["user_count"] = info.user_count ?? 0;
  return picked;
}

/** Each channel's asked-for attributes, asking the channels at once. */
export async function infoOfChannels(
  env: Env,
  channels: readonly string[],
  attributes: InfoAttributes,
): Promise<Record<string, Record<string, number>>> {
  const infos = await Promise.all(channels.map((channel) => channelObject(env, channel).info()));
  return Object.fromEntries(
    channels.map((channel, i) => [channel, pickInfo(channel, infos[i]!, attributes)]),
  );
}
