// The Worker's bindings, as wrangler.toml declares them.
declare namespace Cloudflare {
  interface Env {
    // eslint-disable-next-line @typescript-eslint/consistent-type-imports -- a global declaration file cannot use `import type`
    Room: DurableObjectNamespace<import("./durable/room-server.ts").Room>;
    // eslint-disable-next-line @typescript-eslint/consistent-type-imports -- as above
    PusherChannel: DurableObjectNamespace<import("./pusher/channel/pusher-channel.ts").PusherChannel>;
    // eslint-disable-next-line @typescript-eslint/consistent-type-imports -- as above
    PusherDirectory: DurableObjectNamespace<import("./pusher/directory/pusher-directory.ts").PusherDirectory>;
    ASSETS: Fetcher;
    SNAPSHOTS: R2Bucket;
    /**
     * Edgeroom's own public origins (scheme, host, port), separated by spaces or commas: pages from
     * these may open room sockets. Compared with `Origin`, never with `Host` (wrangler.toml `[vars]`).
     */
    PUBLIC_ORIGINS?: string;
    /** Origins allowed to frame Edgeroom and open its sockets, separated by spaces or commas (wrangler.toml `[vars]`). */
    EMBED_ALLOWED_ORIGINS?: string;
    /** Signs and verifies room tokens (HS256); a Worker secret (`wrangler secret put ROOM_TOKEN_SECRET`). */
    ROOM_TOKEN_SECRET?: string;
    /**
     * Optional URL of the site's room-token endpoint: the `/r/<id>` page asks `GET <url>?room=<id>`
     * with the visitor's cookies for a room token (text/plain JWT), so private rooms open at their
     * own link. Read by the page from `/embed-config.json` (wrangler.toml `[vars]`, or `--var`).
     */
    ROOM_TOKEN_ENDPOINT?: string;
    /**
     * The HTTP API's bearer secret (`Authorization: Bearer <secret>` on `/api/v1`); a Worker secret
     * (`wrangler secret put EDGEROOM_API_SECRET`, `.dev.vars` locally). Unset: every API call is 401 `api-disabled`.
     */
    EDGEROOM_API_SECRET?: string;
    /** Where the room sends its webhooks (Standard Webhooks); unset: none are sent (wrangler.toml `[vars]`). */
    WEBHOOK_URL?: string;
    /** Signs webhooks: `whsec_` and base64 (a Worker secret, `wrangler secret put WEBHOOK_SECRET`). */
    WEBHOOK_SECRET?: string;
    /** The Pusher app's id (`/apps/<id>/…`); with the key and secret set, the Pusher server is on (docs/pusher.md). */
    PUSHER_APP_ID?: string;
    /** The Pusher app's key: clients connect to `/app/<key>`. */
    PUSHER_APP_KEY?: string;
    /** The Pusher app's secret (a Worker secret): channel and user auth, HTTP API signatures, webhook signatures. */
    PUSHER_APP_SECRET?: string;
    /** Pages (origins, separated by spaces) that may open Pusher sockets besides Edgeroom's own and its embedders. */
    PUSHER_ALLOWED_ORIGINS?: string;
    /** Where Pusher-format webhooks go; unset or empty: none are sent. */
    PUSHER_WEBHOOK_URL?: string;
    /** "1" only under the benchmark (`wrangler dev --var EDGEROOM_BENCH:1`); unset in production. */
    EDGEROOM_BENCH?: string;
    /**
     * "local" serves the room inspector at `/__inspect/<room>` to loopback hosts (`pnpm start` sets it
     * with `--var EDGEROOM_INSPECT:local`); unset in production, where only the API secret opens it.
     */
    EDGEROOM_INSPECT?: string;
  }
}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the global `Env` partyserver and workers-types expect
interface Env extends Cloudflare.Env {}
