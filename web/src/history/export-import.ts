/** Downloading the document (Markdown or a Yjs update) and importing a Yjs update into an empty room. */
import { checkUpdate, CLIENT_TUNING, DOCUMENT_TEXT, LIMITS } from "@edgeroom/shared";
import * as Y from "yjs";
import type { RoomConnection } from "../connection/room-connection.ts";
import { formatBytes } from "./format.ts";

export function downloadMarkdown(connection: RoomConnection, roomId: string): void {
  download(new Blob([connection.text.toString()], { type: "text/markdown" }), `${roomId}.md`);
}

export function downloadYjsUpdate(connection: RoomConnection, roomId: string): void {
  const update = Y.encodeStateAsUpdate(connection.doc);
  download(
    new Blob([update as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }),
    `${roomId}.yjs`,
  );
}

/** Applies a Yjs update file to an empty document; returns why not, or undefined on success. */
export async function importYjsUpdate(connection: RoomConnection, file: File): Promise<string | undefined> {
  if (connection.text.length > 0) return "Import works only into an empty document.";
  if (file.size > LIMITS.maxFrameBytes) {
    return `That file is ${formatBytes(file.size)}; the largest import is ${formatBytes(LIMITS.maxFrameBytes)}.`;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const problem = checkUpdate(bytes, LIMITS.maxSyncEntries);
  if (problem) return `That file is not a Yjs update (${problem}).`;
  // Check on a scratch copy first, so a file of some other Yjs app cannot half-change the room.
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, bytes);
    if (scratch.getText(DOCUMENT_TEXT).length === 0) return "That file holds no document text.";
  } catch (error) {
    return `That file could not be read as a Yjs update (${error instanceof Error ? error.message : String(error)}).`;
  } finally {
    scratch.destroy();
  }
  connection.importState(bytes);
  return undefined;
}

function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  // Let the browser start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), CLIENT_TUNING.downloadUrlLifetimeMs);
}
