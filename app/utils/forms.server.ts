import { z } from "zod";
import { badRequest } from "./http.server.ts";

export type FieldErrors = Record<string, string>;

/**
 * Reads a urlencoded/multipart form into plain strings. A field sent twice or as a file is
 * not something our forms send, so it is a 400 rather than a guess. NUL characters are dropped:
 * no one types them, nothing shows them, and PostgreSQL cannot store them in text.
 */
export async function readForm(request: Request): Promise<Record<string, string>> {
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
    values[key] = value.replaceAll("\u0000", "");
  }
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

/**
 * A "Show password" press sent without JavaScript (ShowPasswordButton): null for any other post.
 * The form comes back with what was typed, the named password fields included, and nothing is done.
 */
export function passwordToggle(values: Record<string, string>, passwordFields: string[]) {
  if (values.intent !== "show-password" && values.intent !== "hide-password") return null;
  return { showPassword: values.intent === "show-password", typed: Object.fromEntries(passwordFields.map((field) => [field, values[field] ?? ""])) };
}
