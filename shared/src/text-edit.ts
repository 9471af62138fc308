/**
 * The smallest single edit that turns one text into another: keep the common
 * start and end, replace the middle. Used wherever a whole text is written
 * over the live document (a restored version, the HTTP API's `replace`), so
 * others' cursors and concurrent edits outside the middle stay in place.
 */
export interface TextEdit {
  index: number;
  deleteCount: number;
  insert: string;
}

export function minimalEdit(current: string, target: string): TextEdit | undefined {
  if (current === target) return undefined;
  let start = 0;
  const shorter = Math.min(current.length, target.length);
  while (start < shorter && current[start] === target[start]) start++;
  let end = 0;
  while (end < shorter - start && current[current.length - 1 - end] === target[target.length - 1 - end])
    end++;
  // Never split a surrogate pair: a lone half would be stored as a broken character.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(current.charCodeAt(current.length - end))) end--;
  return {
    index: start,
    deleteCount: current.length - start - end,
    insert: target.slice(start, target.length - end),
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
