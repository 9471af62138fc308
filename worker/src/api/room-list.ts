/**
 * `GET /api/v1/rooms`: the rooms that have saved versions, read from the
 * R2 listing alone (keys `rooms/<room>/snapshots/<ms>.yjs`, see
 * durable/snapshot-archive.ts), so listing wakes no Durable Object. A
 * delimiter of "/" makes each room one entry, however many versions it has.
 */
import {
  ApiErrorCode,
  isValidRoomId,
  LIMITS,
  RoomListQuerySchema,
  RoomListSchema,
  type RoomList,
} from "@edgeroom/shared";
import { ApiRefusal, jsonResponse } from "./api-response.ts";
import { defineRoute } from "./route.ts";

const ROOMS_PREFIX = "rooms/";

export async function listRooms(
  bucket: R2Bucket,
  prefix: string,
  cursor: string | undefined,
): Promise<RoomList> {
  const options: R2ListOptions = {
    prefix: ROOMS_PREFIX + prefix,
    delimiter: "/",
    limit: LIMITS.apiRoomsPageSize,
  };
  if (cursor !== undefined) options.cursor = cursor;
  let page: R2Objects;
  try {
    page = await bucket.list(options);
  } catch (error) {
    // R2 refuses a cursor it did not give; without one, a failure is R2's and stays a 500.
    if (cursor === undefined) throw error;
    throw new ApiRefusal(ApiErrorCode.badRequest, "cursor: must be a cursor this endpoint answered with");
  }
  const rooms = page.delimitedPrefixes
    .map((roomPrefix) => roomPrefix.slice(ROOMS_PREFIX.length, -1))
    .filter(isValidRoomId)
    .map((room) => ({ room }));
  return { rooms, cursor: page.truncated ? page.cursor : null };
}

export const listRoomsRoute = defineRoute({
  method: "GET",
  path: "/rooms",
  operationId: "listRooms",
  summary: "List rooms that have saved versions",
  description: `Rooms whose names start with \`prefix\`, in name order, ${LIMITS.apiRoomsPageSize} at most per page; pass \`cursor\` from one page to get the next. A room appears once its first version is saved to R2 and disappears when it is deleted.`,
  query: RoomListQuerySchema,
  responses: { 200: { description: "A page of rooms.", json: RoomListSchema } },
  handle: async ({ env, query }) =>
    jsonResponse(await listRooms(env.SNAPSHOTS, query.prefix ?? "", query.cursor)),
});
