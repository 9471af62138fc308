import { CLIENT_TUNING, documentHash, LIMITS, parseYFrame } from "@edgeroom/shared";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { DocCheckClient } from "../src/connection/doc-check-client.ts";
import { paceReconnects, reconnectDelays, type ReconnectDelays } from "../src/connection/reconnect-policy.ts";

describe("reconnect delays", () => {
  it("back off to about a minute while the tab is hidden, and stay short while visible", () => {
    for (const r of [0, 0.5, 0.999]) {
      const visible = reconnectDelays(false, () => r);
      const hidden = reconnectDelays(true, () => r);
      expect(visible.maxReconnectionDelay).toBe(CLIENT_TUNING.visibleRetryMaxMs);
      expect(hidden.maxReconnectionDelay).toBeGreaterThanOrEqual(LIMITS.hiddenRetryMs / 2);
      expect(hidden.minReconnectionDelay).toBeGreaterThan(visible.minReconnectionDelay);
    }
  });

  it("start each tab from its own delay", () => {
    expect(reconnectDelays(false, () => 0).minReconnectionDelay).not.toBe(
      reconnectDelays(false, () => 0.9).minReconnectionDelay,
    );
  });
});

describe("pacing reconnects by visibility", () => {
  it("slows a socket down when its tab is hidden and speeds it up when it comes back", () => {
    const page = Object.assign(new EventTarget(), { visibilityState: "visible" as DocumentVisibilityState });
    const applied: ReconnectDelays[] = [];
    const stop = paceReconnects({ updateProperties: (o) => applied.push(o) }, page, () => 0.5);
    page.visibilityState = "hidden";
    page.dispatchEvent(new Event("visibilitychange"));
    page.visibilityState = "visible";
    page.dispatchEvent(new Event("visibilitychange"));
    expect(applied.map((o) => o.maxReconnectionDelay)).toEqual([
      LIMITS.hiddenRetryMs,
      CLIENT_TUNING.visibleRetryMaxMs,
    ]);
    stop();
    page.dispatchEvent(new Event("visibilitychange"));
    expect(applied).toHaveLength(2);
  });
});

describe("the divergence check", () => {
  afterEach(() => vi.useRealTimers());

  function setup(synced = true) {
    vi.useFakeTimers();
    const doc = new Y.Doc();
    doc.getText("content").insert(0, "hello");
    const sent: { app: unknown[]; binary: Uint8Array[] } = { app: [], binary: [] };
    const client = new DocCheckClient(
      doc,
      {
        sendApp: (m) => (sent.app.push(m), true),
        sendBinary: (b) => sent.binary.push(b),
        isSynced: () => synced,
      },
      1000,
    );
    return { doc, client, sent };
  }

  it("sends the document's hash now and then, only while synced", () => {
    const { doc, client, sent } = setup();
    vi.advanceTimersByTime(2500);
    expect(sent.app).toEqual([
      { type: "doc-check", hash: documentHash(doc) },
      { type: "doc-check", hash: documentHash(doc) },
    ]);
    client.destroy();
    const offline = setup(false);
    vi.advanceTimersByTime(5000);
    expect(offline.sent.app).toEqual([]);
    offline.client.destroy();
  });

  it("asks for what it lacks on a mismatch, and reports a match", () => {
    const { client, sent } = setup();
    let matched = 0;
    client.onMatch = () => (matched += 1);
    client.receive(false);
    const frame = sent.binary[0] ? parseYFrame(sent.binary[0]) : undefined;
    expect(frame?.ok && frame.value.kind).toBe("sync-step1");
    client.receive(true);
    expect(matched).toBe(1);
    client.destroy();
  });

  it("while the room confirms the document unchanged, checks only every tenth time; a change checks at once", () => {
    const { doc, client, sent } = setup();
    vi.advanceTimersByTime(1000);
    expect(sent.app).toHaveLength(1);
    client.receive(true);
    vi.advanceTimersByTime(1000 * (LIMITS.docCheckIdleEvery - 1));
    expect(sent.app).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(sent.app).toHaveLength(2);
    client.receive(true);
    doc.getText("content").insert(0, "more ");
    vi.advanceTimersByTime(1000);
    expect(sent.app).toHaveLength(3);
    // A mismatch forgets the confirmation: checks go out every time until the room confirms again.
    client.receive(false);
    vi.advanceTimersByTime(2000);
    expect(sent.app).toHaveLength(5);
    client.destroy();
  });

  it("coalesces checks asked for soon into one", () => {
    const { client, sent } = setup();
    client.checkSoon(200);
    client.checkSoon(200);
    client.checkSoon(200);
    vi.advanceTimersByTime(300);
    expect(sent.app).toHaveLength(1);
    client.destroy();
  });
});
