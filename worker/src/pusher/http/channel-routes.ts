/**
 * The channel queries: `GET /apps/<id>/channels` (the directory's occupied
 * channels), `GET /apps/<id>/channels/<name>` and
 * `GET /apps/<id>/channels/<presence-…>/users` (the channel object's own
 * counts and members, which are the truth; the directory follows them).
 */
import { PUSHER_HTTP_LIMITS } from "@edgeroom/shared/pusher";
import { infoOfChannels, parseInfo, pickInfo } from "./channel-info.ts";
import { channelNameProblem, isPresenceChannel } from "./channel-names.ts";
import { channelObject, directoryObject } from "./channel-objects.ts";
import { badRequest, pusherJson } from "./refusal.ts";

export async function listChannels(env: Env, appId: string, query: URLSearchParams): Promise<Response> {
  const prefix = query.get("filter_by_prefix") ?? "";
  if (prefix.length > 200) throw badRequest("Invalid filter_by_prefix: at most 200 characters.");
  const attributes = parseInfo(query.get("info"));
  if (attributes.has("user_count") && !isPresenceChannel(prefix)) {
    throw badRequest("Invalid info: user_count needs filter_by_prefix starting with presence-.");
  }
  const listing = await directoryObject(env, appId).list(prefix);
  if (listing.more) {
    throw badRequest(
      `Too many channels: over ${PUSHER_HTTP_LIMITS.maxListedChannels} are occupied under this prefix; narrow filter_by_prefix.`,
    );
  }
  if (attributes.size === 0) {
    return pusherJson({ channels: Object.fromEntries(listing.channels.map((name) => [name, {}])) });
  }
  if (listing.channels.length > PUSHER_HTTP_LIMITS.maxChannelsWithInfo) {
    throw badRequest(
      `Too many channels for info: over ${PUSHER_HTTP_LIMITS.maxChannelsWithInfo} match; narrow filter_by_prefix or leave out info.`,
    );
  }
  return pusherJson({ channels: await infoOfChannels(env, listing.channels, attributes) });
}

export async function channelInfo(env: Env, channel: string, query: URLSearchParams): Promise<Response> {
  checkChannel(channel);
  const attributes = parseInfo(query.get("info"));
  if (attributes.has("user_count") && !isPresenceChannel(channel)) {
    throw badRequest("Invalid info: user_count is only for presence channels.");
  }
  const info = await channelObject(env, channel).info();
  return pusherJson({ occupied: info.occupied, ...pickInfo(channel, info, attributes) });
}

export async function channelUsers(env: Env, channel: string): Promise<Response> {
  checkChannel(channel);
  if (!isPresenceChannel(channel))
    throw badRequest("Invalid channel: users are listed for presence channels only.");
  const users = await channelObject(env, channel).users();
  return pusherJson({ users: users.map((id) => ({ id })) });
}

function checkChannel(channel: string): void {
  const problem = channelNameProblem(channel, { serverToUser: false });
  if (problem) throw badRequest(problem);
}
