/**
 * The few Node built-ins the docs-link test reads files with. `shared/` is
 * runtime-neutral (the Worker and the browser import it) and has no
 * `@types/node`; declaring these four modules here keeps Node's globals out
 * of `src/` and the lockfile unchanged.
 */
declare module "node:fs" {
  export function existsSync(path: string): boolean;
  export function readFileSync(path: string, encoding: "utf8"): string;
  export function readdirSync(path: string): string[];
  export function statSync(path: string): { isDirectory(): boolean };
}

declare module "node:path" {
  export function dirname(path: string): string;
  export function join(...paths: string[]): string;
  export function relative(from: string, to: string): string;
}

declare module "node:url" {
  export function fileURLToPath(url: string): string;
}

interface ImportMeta {
  /** The module's own `file:` URL, as Node and Vitest set it. */
  readonly url: string;
}
