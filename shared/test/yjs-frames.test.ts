import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  encodeAwarenessFrame,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  LIMITS,
  parseYFrame,
  YMessageType,
} from "../src/index.ts";

function docWith(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText("content").insert(0, text);
  return doc;
}

function rawFrame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

describe("parseYFrame", () => {
  it("reads back every frame kind it writes", () => {
    const doc = docWith("hi");
    const update = Y.encodeStateAsUpdate(doc);
    expect(parseYFrame(encodeSyncStep1(doc))).toMatchObject({ ok: true, value: { kind: "sync-step1" } });
    expect(parseYFrame(encodeSyncStep2(doc))).toMatchObject({ ok: true, value: { kind: "sync-step2" } });
    expect(parseYFrame(encodeSyncUpdate(update))).toMatchObject({
      ok: true,
      value: { kind: "sync-update", update },
    });
    const entry = { clientId: 1, clock: 2, stateJson: '{"user":{"name":"A","color":"#112233"}}' };
    expect(parseYFrame(encodeAwarenessFrame([entry]))).toMatchObject({
      ok: true,
      value: { kind: "awareness", entries: [entry] },
    });
    expect(parseYFrame(encodeQueryAwareness())).toEqual({ ok: true, value: { kind: "query-awareness" } });
  });

  it("rejects every truncation of a valid update frame without throwing", () => {
    const frame = encodeSyncUpdate(Y.encodeStateAsUpdate(docWith("a longer piece of text")));
    for (let length = 0; length < frame.length; length++) {
      expect(parseYFrame(frame.slice(0, length)).ok).toBe(false);
    }
  });

  it("rejects unknown types, trailing bytes and oversized frames", () => {
    expect(parseYFrame(new Uint8Array([7]))).toMatchObject({ ok: false, error: "unknown message type 7" });
    const trailing = new Uint8Array([...encodeQueryAwareness(), 0]);
    expect(parseYFrame(trailing)).toMatchObject({ ok: false, error: "trailing bytes after message" });
    expect(parseYFrame(new Uint8Array(LIMITS.maxFrameBytes + 1))).toMatchObject({ ok: false });
  });

  it("rejects awareness states that are not JSON objects or are too large", () => {
    const withState = (stateJson: string) =>
      rawFrame((e) => {
        encoding.writeVarUint(e, YMessageType.awareness);
        encoding.writeVarUint8Array(
          e,
          rawFrame((inner) => {
            encoding.writeVarUint(inner, 1);
            encoding.writeVarUint(inner, 5);
            encoding.writeVarUint(inner, 1);
            encoding.writeVarString(inner, stateJson);
          }),
        );
      });
    expect(parseYFrame(withState("{nope")).ok).toBe(false);
    expect(parseYFrame(withState("[1,2]")).ok).toBe(false);
    expect(
      parseYFrame(withState(JSON.stringify({ big: "x".repeat(LIMITS.maxAwarenessStateBytes) }))).ok,
    ).toBe(false);
    expect(parseYFrame(withState("null")).ok).toBe(true);
  });

  it("rejects an update whose structs are garbage", () => {
    const garbage = rawFrame((e) => {
      encoding.writeVarUint(e, YMessageType.sync);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, new Uint8Array([5, 200, 200, 200, 200, 15, 1, 2]));
    });
    expect(parseYFrame(garbage)).toMatchObject({ ok: false });
  });
});
