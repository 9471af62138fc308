/** The room's document: read as text, markdown or a Yjs update; written as a Yjs update or as text. */
import {
  ApiErrorCode,
  DocumentQuerySchema,
  DocumentTextWriteSchema,
  DocumentWrittenSchema,
  type DocumentFormat,
} from "@edgeroom/shared";
import { ApiRefusal, bodyResponse, outcomeResponse } from "./api-response.ts";
import { defineRoute } from "./route.ts";

const MEDIA_TYPES: Record<DocumentFormat, string> = {
  text: "text/plain; charset=utf-8",
  markdown: "text/markdown; charset=utf-8",
  yjs: "application/octet-stream",
};

export const getDocumentRoute = defineRoute({
  method: "GET",
  path: "/rooms/{room}/document",
  operationId: "getDocument",
  summary: "Read the document",
  description:
    "`text` and `markdown` give the text the editor shows (as `text/plain` or `text/markdown`); `yjs` gives the whole state as one Yjs update.",
  query: DocumentQuerySchema,
  responses: {
    200: {
      description: "The document in the format asked for.",
      media: {
        "text/plain": { type: "string" },
        "text/markdown": { type: "string" },
        "application/octet-stream": { type: "string", contentMediaType: "application/octet-stream" },
      },
    },
  },
  handle: async ({ room, query }) => {
    const document = await (await room()).apiDocument(query.format);
    return bodyResponse(document, MEDIA_TYPES[query.format]);
  },
});

export const writeDocumentRoute = defineRoute({
  method: "POST",
  path: "/rooms/{room}/document",
  operationId: "writeDocument",
  summary: "Write to the document",
  description:
    'An `application/octet-stream` body is a Yjs update, applied as a server change; a JSON body `{ "text", "mode": "append" | "replace" }` is applied as the smallest change that makes it so. Stored before the answer, relayed to everyone in the room.',
  body: {
    json: DocumentTextWriteSchema,
    binary: "A Yjs update (Y.encodeStateAsUpdate or an incremental update).",
  },
  responses: { 200: { description: "Stored; the document's size now.", json: DocumentWrittenSchema } },
  errors: [ApiErrorCode.documentTooLarge, ApiErrorCode.tooCostly],
  handle: async ({ room, json, bytes }) => {
    if (bytes) {
      if (bytes.byteLength === 0)
        throw new ApiRefusal(ApiErrorCode.badRequest, "body: must be a Yjs update, not empty");
      return outcomeResponse(await (await room()).apiWriteUpdate(bytes));
    }
    return outcomeResponse(await (await room()).apiWriteText(json!));
  },
});
