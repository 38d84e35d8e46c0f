// The forms of private conversations (app/routes/messages.*), each field's length checked first.
import { z } from "zod";
import { validate } from "./forms.server.ts";
import { MESSAGE_MAX, RECIPIENTS_FIELD_MAX, SUBJECT_MAX } from "./messages.ts";
import { memberText, reportSchema } from "./schemas.server.ts";

const MESSAGE_TOO_LONG = `This is too long: messages are at most ${MESSAGE_MAX.toLocaleString("en")} characters. Your text is all still here, so you can shorten it.`;
// Control characters, and the marks that reorder text, would let a subject hide or disguise itself.
const HIDDEN_CHARACTERS = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export const messageBodySchema = memberText(MESSAGE_MAX, MESSAGE_TOO_LONG).refine((s) => s.trim().length > 0, "Write something before sending.");

/**
 * Usernames as typed: separated by commas or spaces, an @ in front allowed, any case. Only the
 * shape is checked here; who they are (and whether they may be written to) is the model's rule.
 */
const peopleSchema = (missing: string) =>
  z
    .string()
    .max(RECIPIENTS_FIELD_MAX, "That's more names than a conversation can hold.")
    .transform((s) => [
      ...new Set(
        s
          .split(/[\s,;]+/)
          .map((name) => name.replace(/^@/, "").toLowerCase())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().regex(/^[a-z0-9_-]{1,24}$/, "Usernames have only letters a–z, numbers, _ and -. Check the names and try again.")).min(1, missing));

export const newConversationSchema = z.object({
  to: peopleSchema("Write the username of at least one member."),
  subject: z
    .string()
    .max(2 * SUBJECT_MAX, `Keep the subject to ${SUBJECT_MAX} characters.`)
    .trim()
    .min(1, "Give the conversation a subject: a few words.")
    .max(SUBJECT_MAX, `Keep the subject to ${SUBJECT_MAX} characters.`)
    .refine((s) => !HIDDEN_CHARACTERS.test(s), "Use letters, numbers and punctuation only: no line breaks or control characters."),
  body: messageBodySchema,
});

export const replyMessageSchema = z.object({ body: messageBodySchema });

export const addPeopleSchema = z.object({ people: peopleSchema("Write the username of someone to add.") });

/** The same reasons and note as a post's report. */
export const messageReportSchema = reportSchema;

/** Lengths alone, before a preview or any other work on the text. */
export const messageLengthSchema = z.object({
  subject: z
    .string()
    .max(2 * SUBJECT_MAX, `Keep the subject to ${SUBJECT_MAX} characters.`)
    .optional(),
  body: memberText(MESSAGE_MAX, MESSAGE_TOO_LONG).optional(),
  to: z.string().max(RECIPIENTS_FIELD_MAX, "That's more names than a conversation can hold.").optional(),
});

/** A message form's fields over their limits, or null. Costs no more than reading them. */
export function messageLengthErrors(values: { subject?: string; body?: string; to?: string }) {
  const lengths = validate(messageLengthSchema, values);
  return lengths.ok ? null : lengths.errors;
}
