/** Test kit for every package's tests and the benchmark; runs in Node and in workerd. Node-only pieces: `./node.ts`. */
export * from "./frames.ts";
export * from "./framing.ts";
export * from "./headless-client.ts";
export * from "./hostile-structs.ts";
export * from "./hostile-updates.ts";
export * from "./prng.ts";
export * from "./sim-network.ts";
export * from "./socket-like.ts";
export * from "./test-config.ts";
export * from "./tokens.ts";
