/** The room's chat: read in pages by sequence, post as a bot (idempotent by message id). */
import { ChatPageSchema, ChatPostedSchema, ChatPostSchema, ChatQuerySchema, LIMITS } from "@edgeroom/shared";
import { jsonResponse } from "./api-response.ts";
import { defineRoute } from "./route.ts";

export const getChatRoute = defineRoute({
  method: "GET",
  path: "/rooms/{room}/chat",
  operationId: "getChat",
  summary: "Read chat messages",
  description: `Up to \`limit\` (default and most ${LIMITS.apiChatPageMax}) messages after sequence \`after\` (default 0: from the oldest kept), oldest first.`,
  query: ChatQuerySchema,
  responses: { 200: { description: "A page of messages.", json: ChatPageSchema } },
  handle: async ({ room, query }) =>
    jsonResponse(await (await room()).apiChat(query.after ?? 0, query.limit ?? LIMITS.apiChatPageMax)),
});

export const postChatRoute = defineRoute({
  method: "POST",
  path: "/rooms/{room}/chat",
  operationId: "postChat",
  summary: "Post a chat message as a bot",
  description:
    "Stored with the next sequence number and shown in the room with `author.bot` set to `author.id`. Posting the same `id` again stores nothing and answers with the message stored the first time (200 instead of 201).",
  body: { json: ChatPostSchema },
  responses: {
    201: { description: "Stored.", json: ChatPostedSchema },
    200: { description: "This id was stored before: the original message.", json: ChatPostedSchema },
  },
  handle: async ({ room, json }) => {
    const { message, stored } = await (await room()).apiPostChat(json!);
    return jsonResponse({ message }, stored ? 201 : 200);
  },
});
