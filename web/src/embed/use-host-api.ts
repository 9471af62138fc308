/**
 * React side of the host page API: host commands become embed settings (or,
 * for `send-event`, custom events in the room), and the room's presence, new
 * chat messages, custom events and token refusals become events.
 */
import { type EmbedMode, type EmbedOptions, type EmbedTheme, type HostCommand } from "@edgeroom/shared";
import { useEffect, useRef, useState } from "react";
import type { RoomSession } from "../session/room-session.ts";
import { HostBridge } from "./host-bridge.ts";
import { relayCustomEvents } from "./host-custom-events.ts";
import { relayToHost } from "./host-events.ts";

export interface EmbedSettings {
  name: string | undefined;
  color: string | undefined;
  theme: EmbedTheme;
  mode: EmbedMode;
  token: string | undefined;
}

function applyCommand(settings: EmbedSettings, command: HostCommand): EmbedSettings {
  switch (command.type) {
    case "set-user":
      return { ...settings, name: command.name ?? settings.name, color: command.color ?? settings.color };
    case "set-theme":
      return { ...settings, theme: command.theme };
    case "set-mode":
      return { ...settings, mode: command.mode };
    case "set-token":
      return { ...settings, token: command.token };
    case "send-event":
      // Not a setting: the room session sends it (see host-custom-events.ts).
      return settings;
  }
}

export function useHostApi(
  roomId: string,
  options: EmbedOptions,
): { settings: EmbedSettings; bridge: HostBridge | undefined } {
  const [settings, setSettings] = useState<EmbedSettings>({
    name: undefined,
    color: undefined,
    theme: options.theme,
    mode: options.mode,
    token: undefined,
  });
  const [bridge, setBridge] = useState<HostBridge>();
  useEffect(() => {
    const created = new HostBridge((command) => setSettings((s) => applyCommand(s, command)));
    let live = true;
    void created.connect().then((open) => {
      if (!live || !open) return;
      setBridge(created);
      created.send({ type: "ready", room: roomId, mode: options.mode });
      if (options.auth === "token") created.send({ type: "token-needed", reason: "required" });
    });
    return () => {
      live = false;
      created.destroy();
      setBridge(undefined);
    };
  }, [roomId, options]);
  return { settings, bridge };
}

/**
 * Tells the host who is here, what was said, which custom events arrived and
 * when the room wants a (new) token; sends the host's custom events unless
 * the embed is view-only.
 */
export function useHostEvents(
  bridge: HostBridge | undefined,
  session: RoomSession | undefined,
  readOnly: boolean,
): void {
  const readOnlyNow = useRef(readOnly);
  useEffect(() => {
    readOnlyNow.current = readOnly;
  });
  useEffect(() => {
    if (!bridge || !session) return;
    const stopRoom = relayToHost(bridge, session.connection);
    const stopEvents = relayCustomEvents(bridge, session.events, () => readOnlyNow.current);
    return () => {
      stopRoom();
      stopEvents();
    };
  }, [bridge, session]);
}
