/**
 * The Hocuspocus peer as its docs set it up, on 127.0.0.1 with no
 * extensions: documents live in memory and nothing is written to disk, so
 * it does less work per update than Edgeroom, which stores every update
 * before relaying it.
 */
import { Server } from "@hocuspocus/server";
import { answerCollectRequests } from "./answer-gc.ts";

const port = Number(process.argv[2]);
const server = new Server({ port, address: "127.0.0.1", quiet: true, stopOnSignals: true });
await server.listen();
answerCollectRequests();
process.send?.({ ready: true });
