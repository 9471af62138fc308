/**
 * The options of `/embed/<roomId>`, read from its query string (and written
 * back by the share dialog). A value that does not parse falls back to its
 * default rather than breaking someone's page.
 */
import * as v from "valibot";
import { cleanDisplayName } from "./awareness-user.ts";
import { EmbedModeSchema, EmbedThemeSchema, type EmbedMode, type EmbedTheme } from "./embed-messages.ts";

export interface EmbedOptions {
  mode: EmbedMode;
  chat: boolean;
  theme: EmbedTheme;
  /** The display name until the host sets one. */
  name: string | undefined;
  /** `token`: connect only once the host sent a room token (`set-token`), for private rooms. */
  auth: "none" | "token";
}

export const DEFAULT_EMBED_OPTIONS: EmbedOptions = {
  mode: "edit",
  chat: true,
  theme: "auto",
  name: undefined,
  auth: "none",
};

function pick<T>(schema: v.GenericSchema<unknown, T>, raw: string | null, fallback: T): T {
  const result = v.safeParse(schema, raw);
  return result.success ? result.output : fallback;
}

/** Anything with `get`, such as `URLSearchParams` (this package stays free of DOM types). */
export interface QueryParams {
  get(name: string): string | null;
}

export function parseEmbedOptions(params: QueryParams): EmbedOptions {
  const name = cleanDisplayName(params.get("name") ?? "");
  return {
    mode: pick(EmbedModeSchema, params.get("mode"), DEFAULT_EMBED_OPTIONS.mode),
    chat: params.get("chat") !== "0",
    theme: pick(EmbedThemeSchema, params.get("theme"), DEFAULT_EMBED_OPTIONS.theme),
    name: name || undefined,
    auth: params.get("auth") === "token" ? "token" : "none",
  };
}

/** The query of an embed URL: only the options that differ from the defaults. */
export function embedQuery(options: EmbedOptions): Array<[string, string]> {
  const query: Array<[string, string]> = [];
  if (options.mode !== DEFAULT_EMBED_OPTIONS.mode) query.push(["mode", options.mode]);
  if (!options.chat) query.push(["chat", "0"]);
  if (options.theme !== DEFAULT_EMBED_OPTIONS.theme) query.push(["theme", options.theme]);
  if (options.name) query.push(["name", options.name]);
  if (options.auth === "token") query.push(["auth", "token"]);
  return query;
}
