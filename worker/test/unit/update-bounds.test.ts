/**
 * The room's first line of defence (shared/src/update-bounds.ts) against the test kit's hostile
 * updates. It lives with the room because shared cannot depend on the test kit, which is built on shared.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { checkStateVectorBounds, checkUpdate, checkUpdateBounds, LIMITS } from "@edgeroom/shared";
import {
  clientInTwoGroups,
  costlyContent,
  HOSTILE_UPDATES,
  jsonContent,
  manyTinyStructs,
} from "@edgeroom/testkit";

/** A document using every kind of content Yjs encodes, so the walk is checked against all of them. */
function everyKindOfContent(): Y.Doc {
  const doc = new Y.Doc();
  const text = doc.getText("content");
  text.insert(0, "Hello wörld 🌍");
  text.format(0, 5, { bold: true });
  text.insertEmbed(3, { image: "x.png" });
  text.delete(1, 2);
  const map = doc.getMap("meta");
  map.set("n", 1);
  map.set("nested", new Y.Map());
  map.set("bytes", new Uint8Array([1, 2, 3]));
  const list = doc.getArray("list");
  list.insert(0, [1, "two", { three: [3] }, null, true, 2.5]);
  list.delete(1, 1);
  const xml = doc.getXmlFragment("xml");
  const element = new Y.XmlElement("p");
  element.setAttribute("class", "x");
  element.insert(0, [new Y.XmlText("hi")]);
  xml.insert(0, [element]);
  map.set("hook", new Y.XmlHook("hook"));
  return doc;
}

describe("checkUpdateBounds", () => {
  it("accepts every update Yjs writes, including deletions and every content kind", () => {
    const doc = everyKindOfContent();
    expect(checkUpdateBounds(Y.encodeStateAsUpdate(doc))).toBeUndefined();
    expect(checkUpdateBounds(Y.encodeStateAsUpdate(new Y.Doc()))).toBeUndefined();
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    peer.on("update", (u: Uint8Array) => updates.push(u));
    peer.getText("content").insert(2, "more");
    peer.getArray("list").delete(0, 2);
    peer.getMap("meta").delete("n");
    for (const update of updates) expect(checkUpdateBounds(update)).toBeUndefined();
    const diff = Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc));
    expect(checkUpdateBounds(diff)).toBeUndefined();
  });

  it("refuses every truncation of a valid update", () => {
    const update = Y.encodeStateAsUpdate(everyKindOfContent());
    for (let length = 0; length < update.length; length++) {
      expect(checkUpdateBounds(update.slice(0, length))).toBeDefined();
    }
  });

  it("refuses each hostile update before Yjs decodes it", () => {
    for (const [name, update] of Object.entries(HOSTILE_UPDATES)) {
      expect(checkUpdateBounds(update), name).toMatch(/out of bounds|malformed|trailing/);
      expect(checkUpdate(update), name).toBeDefined();
    }
  });

  it("accepts exactly the entry budget and refuses one more", () => {
    expect(checkUpdateBounds(manyTinyStructs(LIMITS.maxUpdateEntries))).toBeUndefined();
    expect(checkUpdateBounds(manyTinyStructs(LIMITS.maxUpdateEntries + 1))).toMatch(/more than/);
  });
});

describe("checkUpdateBounds: work hidden inside one entry", () => {
  it("counts every value nested in ContentAny and refuses subdocuments", () => {
    const costly = costlyContent();
    for (const [name, update] of Object.entries(costly)) {
      if (name === "one ContentAny object with 20,000 keys") continue;
      expect(checkUpdateBounds(update), name).toMatch(/more than|subdocuments/);
    }
    expect(checkUpdateBounds(costly["one ContentAny object with 20,000 keys"]!)).toMatch(/more than/);
    expect(checkUpdateBounds(costly["one subdocument"]!)).toMatch(/subdocuments are not supported/);
    // Nested values under the budget still pass.
    const small = new Y.Doc();
    small.getArray("list").insert(0, [{ a: [1, 2, { b: "c" }] }, Array.from({ length: 500 }, (_, i) => i)]);
    expect(checkUpdateBounds(Y.encodeStateAsUpdate(small))).toBeUndefined();
  });

  it("counts the values inside a ContentJSON text", () => {
    expect(checkUpdateBounds(jsonContent(`[${"0,".repeat(20_000)}0]`))).toMatch(/more than/);
    expect(checkUpdateBounds(jsonContent('{"a":[1,2,3]}'))).toBeUndefined();
  });

  it("refuses a client that appears in two groups", () => {
    expect(checkUpdateBounds(clientInTwoGroups())).toMatch(/two groups/);
  });
});

describe("checkStateVectorBounds", () => {
  it("accepts real state vectors and refuses absurd ones", () => {
    expect(checkStateVectorBounds(Y.encodeStateVector(everyKindOfContent()))).toBeUndefined();
    expect(checkStateVectorBounds(new Uint8Array([255, 255, 255, 255, 15, 1, 1]))).toMatch(/declares/);
    expect(checkStateVectorBounds(new Uint8Array([1, 5, 255, 255, 255, 255, 15]))).toMatch(/clock/);
  });
});
