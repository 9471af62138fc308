// The Pusher Channels protocol (version 7) as Edgeroom speaks it (docs/pusher.md); issue 19.
export * from "./channel-name.ts";
export * from "./client-frames.ts";
export * from "./error-codes.ts";
export * from "./http-api.ts";
export * from "./internal-frames.ts";
export * from "./limits.ts";
export * from "./member-data.ts";
export * from "./server-frames.ts";
