/**
 * The heartbeat: a fixed text frame the room answers with a fixed reply
 * through workerd's WebSocket auto-response, so it costs nothing while the
 * room hibernates, and the time of the last answer tells the room a socket
 * is alive. Not JSON, so it never reaches the app-lane parser.
 */
export const HEARTBEAT_PING = "ping";
export const HEARTBEAT_PONG = "pong";
