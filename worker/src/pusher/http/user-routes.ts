/**
 * `POST /apps/<id>/users/<user>/terminate_connections`: every connection
 * signed in as that user holds `#server-to-user-<user>`, whose channel
 * object closes them all (4009, which tells pusher-js not to reconnect).
 */
import { TerminateBodySchema } from "@edgeroom/shared/pusher";
import { SERVER_TO_USER_PREFIX, userIdProblem } from "./channel-names.ts";
import { channelObject } from "./channel-objects.ts";
import { parseJsonBody } from "./parse-body.ts";
import { badRequest, pusherJson } from "./refusal.ts";

export async function terminateUserConnections(
  env: Env,
  userId: string,
  body: Uint8Array,
): Promise<Response> {
  const problem = userIdProblem(userId);
  if (problem) throw badRequest(problem);
  if (body.byteLength > 0) parseJsonBody(body, TerminateBodySchema);
  await channelObject(env, `${SERVER_TO_USER_PREFIX}${userId}`).terminate();
  return pusherJson({});
}
