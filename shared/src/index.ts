export * from "./app-messages.ts";
export * from "./awareness-user.ts";
export * from "./close-codes.ts";
export * from "./limits.ts";
export * from "./yjs-frames.ts";
export * from "./heartbeat.ts";
export * from "./room-token.ts";
export * from "./embed-messages.ts";
