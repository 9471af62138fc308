/**
 * The ceiling: a bare `ws` relay. Every frame goes to everyone else in the
 * same room (the URL path) untouched. It keeps the room's y-sync update
 * frames in memory and replays them to newcomers, the least a server must
 * do to hand a newcomer the document; it parses nothing beyond two bytes,
 * stores nothing on disk and checks nothing.
 */
import { WebSocketServer, type WebSocket } from "ws";
import { answerCollectRequests } from "./answer-gc.ts";

const port = Number(process.argv[2]);
const rooms = new Map<string, { sockets: Set<WebSocket>; log: Buffer[] }>();
const server = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false });

server.on("connection", (socket, request) => {
  const name = request.url ?? "/";
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = { sockets: new Set(), log: [] }));
  const members = room;
  for (const frame of members.log) socket.send(frame);
  members.sockets.add(socket);
  socket.on("message", (data: Buffer, isBinary) => {
    // y-sync update frames start with message type 0, sync type 2.
    if (isBinary && data[0] === 0 && data[1] === 2) members.log.push(data);
    for (const other of members.sockets) if (other !== socket) other.send(data, { binary: isBinary });
  });
  socket.on("close", () => {
    members.sockets.delete(socket);
    if (members.sockets.size === 0 && members.log.length === 0) rooms.delete(name);
  });
  socket.on("error", () => socket.terminate());
});
answerCollectRequests();
server.on("listening", () => process.send?.({ ready: true }));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
