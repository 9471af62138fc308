/** The Node-only part of the kit (sockets from `ws`, child processes): workerd tests import `@edgeroom/testkit` alone. */
export * from "./open-client.ts";
export * from "./start-server.ts";
