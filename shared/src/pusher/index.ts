// The Pusher Channels protocol (version 7) as Edgeroom speaks it (docs/pusher.md); issue 19.
export * from "./http-api.ts";
