/** Types for size-budget.mjs (plain JavaScript so `pnpm size` runs on Node without a build step). */
export type Page = "landing" | "room" | "embed";

export interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

export interface BudgetRow {
  page: string;
  files: number;
  bytes: number;
  budget: number;
  ok: boolean;
}

export const BUDGETS: Record<Page, number>;
export const PAGE_CHUNKS: Record<Page, string[]>;
export function entryKey(manifest: Manifest): string;
export function staticClosure(manifest: Manifest, keys: string[]): Set<string>;
export function pageFiles(manifest: Manifest, htmlScripts?: string[]): Record<Page, string[]>;
export function scriptsInHtml(html: string): string[];
export function checkBudgets(
  pages: Record<string, string[]>,
  gzipSizeOf: (file: string) => number,
  budgets?: Record<string, number>,
): { rows: BudgetRow[]; over: string[] };
export function formatTable(rows: BudgetRow[]): string;
