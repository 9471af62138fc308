/**
 * Hostile frames for the fuzz tests: mutations and truncations of real
 * frames, random bytes and text, mangled app messages, and the known
 * hostile Yjs updates, each drawn from a seeded PRNG.
 */
import { encodeSyncStep1, encodeSyncUpdate } from "@edgeroom/shared";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { HOSTILE_UPDATES, integer, manyTinyStructs, pick, type Random, helloFrame } from "@edgeroom/testkit";

export type FuzzFrame = Uint8Array | string;

const VALID_APP_MESSAGES: readonly string[] = [
  helloFrame({ user: { name: "Eve", color: "#112233" } }),
  JSON.stringify({ type: "chat-send", id: "fuzz-000001", text: "hi" }),
  JSON.stringify({ type: "chat-sync", after: 3 }),
  JSON.stringify({ type: "typing", active: true }),
  JSON.stringify({ type: "pointer", at: { pos: 3, dx: 1, dy: 2 } }),
  JSON.stringify({ type: "doc-check", hash: "0".repeat(64) }),
];

/** Frames no parser should accept, and updates that must be refused before Yjs sees them. */
export function knownHostileFrames(): FuzzFrame[] {
  const frames: FuzzFrame[] = [];
  for (const update of Object.values(HOSTILE_UPDATES)) {
    frames.push(encodeSyncUpdate(update), update);
  }
  frames.push(encodeSyncUpdate(manyTinyStructs(1_000_000)));
  frames.push(new Uint8Array(2 * 1024 * 1024 + 1));
  frames.push("x".repeat(2 * 1024 * 1024 + 1));
  // A sync step 1 declaring a billion clients.
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint8Array(e, new Uint8Array([255, 255, 255, 255, 3, 1, 1]));
  frames.push(encoding.toUint8Array(e));
  return frames;
}

/** One random hostile frame; `seen` holds recent well-formed frames to mutate. */
export function hostileFrame(random: Random, seen: readonly Uint8Array[]): FuzzFrame {
  const base = seen.length > 0 ? pick(random, seen) : encodeSyncStep1(new Y.Doc());
  switch (integer(random, 8)) {
    case 0:
    case 1:
      return mutate(random, base);
    case 2:
      return base.slice(0, integer(random, base.length));
    case 3:
      return randomBytes(random, random() < 0.01 ? 65_536 : integer(random, 64));
    case 4:
      // A real outer header with a random body, so the inner parsers are reached.
      return new Uint8Array([
        integer(random, 4),
        integer(random, 3),
        ...randomBytes(random, integer(random, 48)),
      ]);
    case 5:
      return encodeSyncUpdate(mutate(random, base.slice(3)));
    case 6:
      return mangleText(random, pick(random, VALID_APP_MESSAGES));
    default:
      return randomText(random);
  }
}

function mutate(random: Random, frame: Uint8Array): Uint8Array {
  const bytes = [...frame];
  const edits = 1 + integer(random, 4);
  for (let i = 0; i < edits; i++) {
    const at = integer(random, bytes.length + 1);
    const op = integer(random, 4);
    if (op === 0 && bytes.length > 0) bytes[at % bytes.length] = integer(random, 256);
    else if (op === 1) bytes.splice(at, 0, integer(random, 256));
    else if (op === 2) bytes.splice(at, 1 + integer(random, 4));
    // A varint continuation byte run turns a small count into a huge one.
    else bytes.splice(at, 0, 0xff, 0xff, 0xff, 0xff, integer(random, 128));
  }
  return Uint8Array.from(bytes);
}

function randomBytes(random: Random, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = integer(random, 256);
  return bytes;
}

function mangleText(random: Random, text: string): string {
  const chars = [...text];
  const edits = 1 + integer(random, 3);
  for (let i = 0; i < edits; i++) {
    const at = integer(random, chars.length + 1);
    if (random() < 0.5) chars.splice(at, 1);
    else chars.splice(at, 0, pick(random, ['"', "{", "}", ":", ",", "1", "-", "null", "\u0000", "é"]));
  }
  return random() < 0.3 ? chars.slice(0, integer(random, chars.length)).join("") : chars.join("");
}

function randomText(random: Random): string {
  let text = "";
  const length = integer(random, 80);
  for (let i = 0; i < length; i++) text += String.fromCharCode(integer(random, 0xd7ff));
  return random() < 0.5 ? text : `{"type":${JSON.stringify(text)}}`;
}
