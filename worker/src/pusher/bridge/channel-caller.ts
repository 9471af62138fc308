/**
 * Carries out the room's bridge calls (room/pusher-bridge.ts) on the
 * channel objects, one after another: a later member list must never
 * overtake an earlier one, nor a chat message the one before it. A call
 * that fails is logged and the next one still goes; a failed member list
 * is sent whole with the next change.
 */
import type { ChannelRpc } from "../channel-contract.ts";
import type { BridgeCall } from "../../room/pusher-bridge.ts";

export class ChannelCaller {
  readonly #env: Env;
  readonly #keepAlive: (work: Promise<unknown>) => void;
  readonly #membersFailed: () => void;
  readonly #label: string;
  #queue: Promise<void> = Promise.resolve();

  /** `keepAlive` holds the object up until the calls are done (`ctx.waitUntil`); `label` names the room in logs. */
  constructor(
    env: Env,
    keepAlive: (work: Promise<unknown>) => void,
    membersFailed: () => void,
    label: string,
  ) {
    this.#env = env;
    this.#keepAlive = keepAlive;
    this.#membersFailed = membersFailed;
    this.#label = label;
  }

  send(calls: readonly BridgeCall[]): void {
    if (calls.length === 0) return;
    for (const call of calls) {
      this.#queue = this.#queue
        .then(() => this.#call(call))
        .catch((error: unknown) => {
          if (call.kind === "set-members") this.#membersFailed();
          console.error(
            `Edgeroom: room ${this.#label} could not reach Pusher channel ${call.channel}:`,
            error,
          );
        });
    }
    this.#keepAlive(this.#queue);
  }

  async #call(call: BridgeCall): Promise<void> {
    const channel = channelStub(this.#env, call.channel);
    if (call.kind === "set-members") await channel.setRoomMembers(call.members);
    else await channel.publish(call.events);
  }
}

function channelStub(env: Env, channel: string): Pick<ChannelRpc, "setRoomMembers" | "publish"> {
  return env.PusherChannel.getByName(channel);
}
