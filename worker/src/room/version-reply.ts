/** What a socket that asked for a saved version is told, for every way reading it can end. */
import { ErrorCode, type ServerAppMessage } from "@edgeroom/shared";
import type { VersionAnswer } from "../snapshots/version-reader.ts";

export function versionReply(at: number, answer: VersionAnswer): ServerAppMessage {
  switch (answer.kind) {
    case "text":
      return { type: "version", at, text: answer.text };
    case "not-found":
      return { type: "error", code: ErrorCode.versionNotFound, message: "no saved version has that time" };
    case "busy":
      return {
        type: "error",
        code: ErrorCode.rateLimited,
        message: "wait for the version you asked for before asking for another",
      };
    case "failed":
      return {
        type: "error",
        code: ErrorCode.versionsUnavailable,
        message: "could not read that version just now",
      };
  }
}
