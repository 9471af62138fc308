/**
 * The server owns identity: connection ids are the room's own, a person's
 * public id cannot be claimed by copying it, and one person holds only so
 * many sockets. Each test is an attack that worked when partyserver took the
 * connection id from the client's `_pk` query parameter.
 */
import { CLOSE_REASONS, CloseCode, LIMITS, publicPersonId, readAwarenessUser } from "@edgeroom/shared";
import { afterEach, describe, expect, it } from "vitest";
import { connectToRoom, openSocket, type ConnectOptions } from "../support/connect.ts";
import { type HeadlessClient, signRoomToken } from "@edgeroom/testkit";

let open: HeadlessClient[] = [];
const track = (client: HeadlessClient): HeadlessClient => (open.push(client), client);
const connect = async (room: string, options?: ConnectOptions) => track(await connectToRoom(room, options));
afterEach(() => {
  for (const client of open) client.socket.close(1000, "test over");
  open = [];
});

const ada = { name: "Ada", color: "#1971c2" };
const eve = { name: "Eve", color: "#225588" };
const watcherUser = { name: "Wat", color: "#2f9e44" };

function awarenessUserOf(client: HeadlessClient, clientId: number) {
  const entry = client.awareness.get(clientId);
  return entry ? readAwarenessUser(JSON.parse(entry.stateJson)) : undefined;
}

describe("connection ids", () => {
  it("a copycat with the victim's _pk cannot overwrite, remove or mute the victim", async () => {
    const room = "copycat-room";
    const watcher = await connect(room, { user: watcherUser });
    const victim = await connect(room, { user: ada, query: "_pk=victim-connection" });
    victim.setAwareness(101, 1, { user: { ...ada }, status: "active" });
    await watcher.until(() => awarenessUserOf(watcher, 101)?.name === "Ada");

    const copycat = await connect(room, { user: eve, query: "_pk=victim-connection" });
    // Overwriting the victim's awareness client: the room knows the copycat is another socket.
    copycat.setAwareness(101, 5, { user: { ...eve }, status: "active" });
    // Flooding under the shared id used to spend the victim's budget too.
    for (let i = 0; i < LIMITS.rateLimits.document.burst + 20; i++) copycat.text.insert(0, "x");
    copycat.socket.close(1000, "gone");
    await copycat.closed;

    // Leaving used to remove everything the shared id owned: the victim vanished from presence.
    await victim.type("still here");
    await watcher.until(() => watcher.text.toString().endsWith("still here"));
    expect(awarenessUserOf(watcher, 101)?.name).toBe("Ada");
    expect(victim.app.some((m) => m.type === "doc-reject")).toBe(false);
  });

  it("ids others see (typing keys) are the room's, not the client's", async () => {
    const room = "typing-key-room";
    const watcher = await connect(room, { user: watcherUser });
    const typist = await connect(room, { user: ada, query: "_pk=chosen-by-client" });
    typist.sendApp({ type: "typing", active: true });
    await watcher.until(() => watcher.app.some((m) => m.type === "typing" && m.active));
    const event = watcher.app.find((m) => m.type === "typing");
    expect(event?.type === "typing" && event.key).not.toBe("chosen-by-client");
  });

  it(
    `counts sockets that share a _pk against capacity (${LIMITS.maxConnectionsPerRoom})`,
    { timeout: 60_000 },
    async () => {
      const room = "shared-pk-capacity";
      // In batches: one at a time, a room's worth of sockets takes longer than a test may.
      for (let i = 0; i < LIMITS.maxConnectionsPerRoom; i += 50) {
        const batch = Math.min(50, LIMITS.maxConnectionsPerRoom - i);
        await Promise.all(
          Array.from({ length: batch }, () => connect(room, { hello: false, query: "_pk=same-for-all" })),
        );
      }
      const refused = track(await openSocket(room, { hello: false, query: "_pk=same-for-all" }));
      expect(await refused.closed).toEqual({
        code: CloseCode.roomFull,
        reason: CLOSE_REASONS[CloseCode.roomFull].reason,
      });
    },
  );
});

describe("person ids", () => {
  it("publishes only the hash of a browser's secret id, whatever id its awareness claims", async () => {
    const room = "person-id-room";
    const watcher = await connect(room, { user: watcherUser });
    const victimPublic = publicPersonId("victim-secret-1");
    const victim = await connect(room, { user: ada, person: "victim-secret-1" });
    victim.setAwareness(201, 1, { user: { ...ada, id: "anything-else-1" } });
    await watcher.until(() => awarenessUserOf(watcher, 201) !== undefined);
    expect(awarenessUserOf(watcher, 201)?.id).toBe(victimPublic);

    // Copying the public id from presence gets the copycat nothing: its awareness carries its own.
    const copycat = await connect(room, { user: eve, person: "copycat-secret" });
    copycat.setAwareness(202, 1, { user: { ...eve, id: victimPublic } });
    await watcher.until(() => awarenessUserOf(watcher, 202) !== undefined);
    expect(awarenessUserOf(watcher, 202)?.id).toBe(publicPersonId("copycat-secret"));
    // A socket that named no person in hello (a stock client) publishes no person id at all.
    const stock = await connect(room, { hello: false });
    stock.setAwareness(203, 1, { user: { ...eve, id: victimPublic } });
    await watcher.until(() => awarenessUserOf(watcher, 203) !== undefined);
    expect(awarenessUserOf(watcher, 203)?.id).toBeUndefined();
  });

  it(`lets one person hold ${LIMITS.maxSocketsPerPerson} sockets, then closes more with 4006`, async () => {
    const room = "person-cap-room";
    for (let i = 0; i < LIMITS.maxSocketsPerPerson; i++) {
      await connect(room, { user: ada, person: "many-tabs-secret" });
    }
    const ninth = track(await openSocket(room, { user: ada, person: "many-tabs-secret" }));
    expect((await ninth.closed).code).toBe(CloseCode.tooManySockets);
    // Someone else still gets in, and a freed place can be taken again.
    await connect(room, { user: eve, person: "someone-else-1" });
    open[0]?.socket.close(1000, "closing a tab");
    await expect
      .poll(
        async () => {
          const retry = track(await openSocket(room, { user: ada, person: "many-tabs-secret" }));
          return Promise.race([retry.synced.then(() => "in"), retry.closed.then(() => "closed")]);
        },
        { timeout: 5_000 },
      )
      .toBe("in");
  });

  it("counts a token's sub the same way", async () => {
    const room = "token-cap-room";
    const token = await signRoomToken({ room, sub: "host-user-42" });
    for (let i = 0; i < LIMITS.maxSocketsPerPerson; i++) await connect(room, { token });
    const extra = track(await openSocket(room, { token }));
    expect((await extra.closed).code).toBe(CloseCode.tooManySockets);
  });
});
