import { z } from "zod";
import { badRequest } from "./http.server.ts";
import { MAX_MARKDOWN_LENGTH, renderMarkdown } from "./markdown.server.ts";
import { waitForWriteLock } from "../../db/client.ts";
import { DatabaseUnavailable } from "./unavailable.server.ts";
import { takeWriteTurn } from "./write-turn.server.ts";

export type FieldErrors = Record<string, string>;

/**
 * Reads a urlencoded/multipart form into plain strings. A field sent twice or as a file is
 * not something our forms send, so it is a 400 rather than a guess.
 *
 * Then it waits for the write turn (docs/decisions/007). The `markdown` fields are rendered
 * before that: the model renders them again inside the turn, and finds the result ready
 * (renderMarkdown keeps its last few), so a long post does not hold up every other writer.
 */
export async function readForm(request: Request, options?: { markdown?: string[] }): Promise<Record<string, string>> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    badRequest("We couldn't read that form.");
  }
  // No prototype: a field named "constructor" or "__proto__" is just a field.
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of form) {
    if (typeof value !== "string" || key in values) badRequest(`The field “${key}” was not sent as one piece of text.`);
    values[key] = value;
  }
  for (const field of options?.markdown ?? []) {
    const text = values[field];
    if (text && text.length <= MAX_MARKDOWN_LENGTH) renderMarkdown(text);
  }
  // Every action reads its form before it writes anything.
  await takeWriteTurn();
  if (!(await waitForWriteLock())) throw new DatabaseUnavailable("the write lock was not free in time");
  return values;
}

export type Validated<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Runs a zod schema and flattens its issues to one message per field, for display beside it. */
export function validate<S extends z.ZodType>(schema: S, values: Record<string, string | undefined>): Validated<z.infer<S>> {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}
