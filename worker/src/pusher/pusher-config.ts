/**
 * The Pusher app this Worker serves, from its configuration: the id and key
 * (vars) and the secret (a Worker secret). The Pusher server is off unless
 * all three are set: `/app/…` and `/apps/…` then answer 404 as any unknown path.
 */
import { parseAllowedOrigins, socketOrigins } from "../access/allowed-origins.ts";

export interface PusherConfig {
  appId: string;
  key: string;
  secret: string;
  /** Where Pusher-format webhooks go; undefined: none are sent. */
  webhookUrl: string | undefined;
}

export function readPusherConfig(env: Env): PusherConfig | undefined {
  const appId = env.PUSHER_APP_ID?.trim() ?? "";
  const key = env.PUSHER_APP_KEY?.trim() ?? "";
  const secret = env.PUSHER_APP_SECRET ?? "";
  if (appId === "" || key === "" || secret === "") return undefined;
  const webhookUrl = env.PUSHER_WEBHOOK_URL?.trim() || undefined;
  return { appId, key, secret, webhookUrl };
}

/** Pages that may open Pusher sockets: Edgeroom's own origins, its embedders, and `PUSHER_ALLOWED_ORIGINS`. */
export function pusherSocketOrigins(env: Env): string[] {
  return [
    ...socketOrigins(env),
    ...parseAllowedOrigins(env.PUSHER_ALLOWED_ORIGINS, "PUSHER_ALLOWED_ORIGINS"),
  ];
}
