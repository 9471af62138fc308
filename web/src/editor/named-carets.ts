/**
 * Which people's carets show their name right now (by `personKey`), shared
 * by the caret plugin, which decides, and the pointer layer, which then
 * leaves those people's pointers without a name: one label per person.
 */
import { Facet } from "@codemirror/state";
import { createStore } from "zustand/vanilla";

export type NamedCaretsStore = ReturnType<typeof createNamedCarets>;

export function createNamedCarets() {
  return createStore<{ named: ReadonlySet<string> }>()(() => ({ named: new Set<string>() }));
}

/** The editor's store, so the pointer layer (given only the view) finds it. */
export const namedCaretsFacet = Facet.define<NamedCaretsStore, NamedCaretsStore | undefined>({
  combine: (stores) => stores[0],
});

export function sameKeys(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((key) => b.has(key));
}
