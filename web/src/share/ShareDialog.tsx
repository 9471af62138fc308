/**
 * Share: the room's link, and an iframe snippet for embedding it elsewhere,
 * built from options the person picks and previewed as a still (EmbedPreview).
 */
import {
  DEFAULT_EMBED_OPTIONS,
  LIMITS,
  cleanDisplayName,
  type EmbedMode,
  type EmbedOptions,
  type EmbedTheme,
} from "@edgeroom/shared";
import { useEffect, useRef, useState } from "react";
import { embedUrl, iframeSnippet, inviteText } from "../embed/embed-url.ts";
import { roomLabel, tabTitle } from "../room/room-label.ts";
import { useRoomName } from "../session/hooks.ts";
import { AllowedOriginsNotice } from "./AllowedOriginsNotice.tsx";
import { CopyButton } from "./CopyButton.tsx";
import { DialogButton } from "../app-shell/DialogButton.tsx";
import { EmbedPreview } from "./EmbedPreview.tsx";
import "./share-dialog.css";

const SHARE_ICON =
  "M12 15V3.5M7.5 8 12 3.5 16.5 8M5 12.5V19a1.5 1.5 0 0 0 1.5 1.5h11A1.5 1.5 0 0 0 19 19v-6.5";

export function ShareButton({ roomId }: { roomId: string }) {
  return (
    <DialogButton
      label="Share"
      icon={SHARE_ICON}
      dialog={(close) => <ShareDialog roomId={roomId} onClose={close} />}
    />
  );
}

function ShareDialog({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [options, setOptions] = useState<EmbedOptions>(DEFAULT_EMBED_OPTIONS);
  const [name, setName] = useState("");
  useEffect(() => {
    // React's development double-run of effects would otherwise open it twice.
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);

  const link = `${location.origin}/r/${encodeURIComponent(roomId)}`;
  const defaultName = cleanDisplayName(name);
  const url = embedUrl(location.origin, roomId, { ...options, name: defaultName || undefined });
  const roomName = useRoomName();
  const snippet = iframeSnippet(url, tabTitle(roomName));
  const invite = inviteText(roomLabel(roomName), link);
  const set = (change: Partial<EmbedOptions>): void => setOptions((o) => ({ ...o, ...change }));

  return (
    <dialog ref={dialog} className="share" aria-labelledby="share-title" onClose={onClose}>
      <div className="share-head">
        <h2 id="share-title">Share this room</h2>
        <button
          type="button"
          className="button icon"
          aria-label="Close"
          onClick={() => dialog.current?.close()}
        >
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      <div className="share-row">
        <label className="field share-grow">
          <span>Link</span>
          <input readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
        </label>
        <CopyButton text={link} label="Copy link" done="Link copied" />
      </div>
      <p className="share-invite">
        <span className="share-invite-text">{invite}</span>
        <CopyButton text={invite} label="Copy invitation" done="Invitation copied" />
      </p>
      <h3 className="share-subtitle">Embed in your site</h3>
      <div className="share-embed">
        <div className="share-options">
          <fieldset className="share-choice">
            <legend>Mode</legend>
            {(["edit", "view"] satisfies EmbedMode[]).map((mode) => (
              <label key={mode}>
                <input
                  type="radio"
                  name="embed-mode"
                  checked={options.mode === mode}
                  onChange={() => set({ mode })}
                />
                {mode === "edit" ? "Can edit" : "View only"}
              </label>
            ))}
          </fieldset>
          <label className="share-check">
            <input type="checkbox" checked={options.chat} onChange={(e) => set({ chat: e.target.checked })} />
            Show chat
          </label>
          <label className="field">
            <span>Theme</span>
            <select value={options.theme} onChange={(e) => set({ theme: e.target.value as EmbedTheme })}>
              <option value="auto">Follow the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
          <label className="field">
            <span>Default name</span>
            <input
              value={name}
              maxLength={LIMITS.maxNameLength}
              placeholder="Guest"
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label className="field">
            <span>Embed code</span>
            <textarea readOnly rows={4} value={snippet} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <CopyButton text={snippet} label="Copy embed code" done="Embed code copied" />
        </div>
        <figure className="share-preview">
          <EmbedPreview roomId={roomId} options={options} name={defaultName} />
          <figcaption>Preview, 400 × 300</figcaption>
        </figure>
      </div>
      <AllowedOriginsNotice />
    </dialog>
  );
}
