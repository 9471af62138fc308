/**
 * Runs a shared schema (shared/src/api.ts) over untrusted input. Valibot
 * schemas carry the Standard Schema interface (`~standard`), used here
 * because the Worker does not depend on valibot itself; a failure becomes a
 * 400 whose message names the field and says what is wrong with it.
 */
import { ApiErrorCode } from "@edgeroom/shared";
import { ApiRefusal } from "./api-response.ts";

interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** The part of a valibot schema this file uses. */
export interface ApiSchema<Output = unknown> {
  readonly "~standard": {
    readonly validate: (
      value: unknown,
    ) =>
      | { readonly value: Output; readonly issues?: undefined }
      | { readonly issues: readonly StandardIssue[] }
      | Promise<unknown>;
    readonly types?: { readonly output: Output } | undefined;
  };
}

export type SchemaOutput<S> = S extends ApiSchema<infer O> ? O : never;

/** `what` names the input when an issue has no path of its own (`body`, `query`, `room`). */
export function validate<S extends ApiSchema>(schema: S, value: unknown, what: string): SchemaOutput<S> {
  const result = schema["~standard"].validate(value);
  // Every API schema is synchronous; a promise here would be a programming error.
  if (result instanceof Promise) throw new Error("API schemas must be synchronous");
  if ("issues" in result && result.issues) {
    throw new ApiRefusal(ApiErrorCode.badRequest, describeIssue(result.issues[0], what));
  }
  return (result as { value: SchemaOutput<S> }).value;
}

/** Valibot's messages may quote the value received, so a huge one is cut. */
const MAX_MESSAGE = 300;

function describeIssue(issue: StandardIssue | undefined, what: string): string {
  const keys = (issue?.path ?? []).map((item) => String(typeof item === "object" ? item.key : item));
  const message = `${keys.length > 0 ? keys.join(".") : what}: ${issue?.message ?? "invalid"}`;
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}
