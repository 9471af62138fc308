/**
 * `POST /apps/<id>/events` and `POST /apps/<id>/batch_events`: each event
 * goes to every subscriber of its channels through the channel objects'
 * `publish`, less the socket named by `socket_id`. Everything is checked
 * before anything is sent, so a refused call publishes nothing.
 */
import { BatchBodySchema, PUSHER_HTTP_LIMITS, TriggerBodySchema } from "@edgeroom/shared/pusher";
import type { PublishedEvent } from "../channel-contract.ts";
import { infoOfChannels, parseInfo, pickInfo } from "./channel-info.ts";
import { channelNameProblem } from "./channel-names.ts";
import { channelObject } from "./channel-objects.ts";
import { parseJsonBody } from "./parse-body.ts";
import { badRequest, PusherRefusal, pusherJson } from "./refusal.ts";

const encoder = new TextEncoder();

export async function triggerEvent(env: Env, body: Uint8Array): Promise<Response> {
  const trigger = parseJsonBody(body, TriggerBodySchema);
  const channels = trigger.channels ?? (trigger.channel === undefined ? [] : [trigger.channel]);
  if (new Set(channels).size !== channels.length)
    throw badRequest("Invalid body: channels lists a name twice.");
  for (const channel of channels) checkChannel(channel);
  checkDataSize(trigger.data);
  const attributes = parseInfo(trigger.info);

  const event = publishedEvent(trigger.name, trigger.data, trigger.socket_id);
  await Promise.all(channels.map((channel) => channelObject(env, channel).publish([event])));
  if (attributes.size === 0) return pusherJson({});
  return pusherJson({ channels: await infoOfChannels(env, channels, attributes) });
}

export async function triggerBatch(env: Env, body: Uint8Array): Promise<Response> {
  const { batch } = parseJsonBody(body, BatchBodySchema);
  const attributes = batch.map((event) => {
    checkChannel(event.channel);
    checkDataSize(event.data);
    return parseInfo(event.info);
  });

  // One publish per channel, with its events in batch order, so a channel sees them as the caller listed them.
  const byChannel = new Map<string, PublishedEvent[]>();
  for (const event of batch) {
    const events = byChannel.get(event.channel) ?? [];
    events.push(publishedEvent(event.name, event.data, event.socket_id));
    byChannel.set(event.channel, events);
  }
  await Promise.all([...byChannel].map(([channel, events]) => channelObject(env, channel).publish(events)));
  if (attributes.every((asked) => asked.size === 0)) return pusherJson({});
  const infos = await Promise.all(
    batch.map((event, i) =>
      attributes[i]?.size ? channelObject(env, event.channel).info() : Promise.resolve(undefined),
    ),
  );
  return pusherJson({
    batch: batch.map((event, i) => {
      const info = infos[i];
      const asked = attributes[i];
      return info && asked ? pickInfo(event.channel, info, asked) : {};
    }),
  });
}

function publishedEvent(name: string, data: string, socketId: string | undefined): PublishedEvent {
  return socketId === undefined ? { event: name, data } : { event: name, data, exceptSocketId: socketId };
}

function checkChannel(channel: string): void {
  const problem = channelNameProblem(channel, { serverToUser: true });
  if (problem) throw badRequest(problem);
}

function checkDataSize(data: string): void {
  const limit = PUSHER_HTTP_LIMITS.maxEventDataBytes;
  if (encoder.encode(data).byteLength > limit) {
    throw new PusherRefusal(413, `Payload too large: an event's data is at most ${limit} bytes.`);
  }
}
