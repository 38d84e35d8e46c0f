import { z } from "zod";
import {
  APPEAL_MAX,
  APPEAL_REPLY_MAX,
  BODY_MAX,
  CHECK_IN_MAX,
  EMAIL_MAX,
  PASSWORD_MAX,
  PASSWORD_MIN,
  RETURN_REASON_MAX,
  TITLE_MAX,
  TITLE_MIN,
  USERNAME_MAX,
  USERNAME_MIN,
  WARNING_TEXT_MAX,
} from "./limits.ts";
import { warningKinds, type WarningKind } from "../../db/schema.ts";
import { parseReferences } from "~/models/article-references.server.ts";
import { articleStatuses, PERSON_MAX, PIN_POSITION_MAX, SLUG_MAX, SUMMARY_MAX, type ArticleInput } from "~/models/articles.server.ts";
import { reactionKinds } from "~/models/reactions.server.ts";
import { isCommonPassword } from "./passwords.server.ts";

/**
 * Text a member typed, limit first: nothing else runs on a field longer than its limit. The raw
 * length is bounded before anything (each newline may arrive as \r\n, so at twice the limit);
 * then newlines become \n, one form, so the exact limit counts what people see.
 */
export const memberText = (max: number, tooLong: string) =>
  z
    .string()
    .max(2 * max, tooLong)
    .transform((s) => s.replace(/\r\n?/g, "\n"))
    .pipe(z.string().max(max, tooLong));

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(USERNAME_MIN, `Usernames are at least ${USERNAME_MIN} characters.`)
  .max(USERNAME_MAX, `Usernames are at most ${USERNAME_MAX} characters.`)
  .regex(/^[a-z0-9_-]+$/, "Use only letters a–z, numbers, _ and -.");

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX, "That email address is too long.")
  .pipe(z.email("Enter an email address like name@example.com."));

export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN, `Passwords are at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Passwords are at most ${PASSWORD_MAX} characters.`)
  .refine((p) => !isCommonPassword(p), "That password is one of the most common ones. Please choose another.");

export const signupSchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: newPasswordSchema,
});

export const loginSchema = z.object({
  identifier: z.string().trim().toLowerCase().min(1, "Enter your username or email.").max(EMAIL_MAX, "That is too long."),
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX, "That is too long."),
});

export const titleSchema = z
  .string()
  .trim()
  .min(TITLE_MIN, `Titles are at least ${TITLE_MIN} characters.`)
  .max(TITLE_MAX, `Titles are at most ${TITLE_MAX} characters.`);

const BODY_TOO_LONG = `This is too long: posts are at most ${BODY_MAX.toLocaleString("en")} characters. Your text is all still here, so you can shorten it.`;

export const bodySchema = memberText(BODY_MAX, BODY_TOO_LONG).refine((s) => s.trim().length > 0, "Write something before posting.");

const WARNING_TOO_LONG = `Keep your warning to ${WARNING_TEXT_MAX} characters: a few words that say what the post is about.`;
// Control characters, and the marks that reorder text, would let a label hide or disguise itself.
const HIDDEN_CHARACTERS = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** The composer's content warning (docs/decisions/028): a kind, "" for none, and for "other" the author's words. */
const warningFields = {
  warningKind: z.enum(["", ...warningKinds], "Choose a content warning from the list.").optional(),
  warningText: z
    .string()
    .max(2 * WARNING_TEXT_MAX, WARNING_TOO_LONG)
    .trim()
    .pipe(z.string().max(WARNING_TEXT_MAX, WARNING_TOO_LONG))
    .refine((s) => !HIDDEN_CHARACTERS.test(s), "Use letters, numbers and punctuation only: no line breaks or control characters.")
    .optional(),
};

type WarningInput = { warningKind?: WarningKind | ""; warningText?: string };

/** Own words go with "Other", and "Other" needs them. */
function checkWarning(v: WarningInput, ctx: z.RefinementCtx) {
  if (v.warningKind === "other" && !v.warningText) {
    ctx.addIssue({ code: "custom", path: ["warningText"], message: "Write a few words for your warning, or choose one from the list." });
  } else if (v.warningText && v.warningKind !== "other") {
    ctx.addIssue({
      code: "custom",
      path: ["warningText"],
      message: "Your own words are used only with “Other – in my own words”: choose it above, or clear this field.",
    });
  }
}

/** The parsed warning: null for none; text only for "other". */
const toWarning = ({ warningKind, warningText }: WarningInput) =>
  warningKind ? { kind: warningKind, text: warningKind === "other" ? (warningText ?? null) : null } : null;

export const threadSchema = z
  .object({ title: titleSchema, body: bodySchema, ...warningFields })
  .superRefine(checkWarning)
  .transform(({ title, body, ...warning }) => ({ title, body, warning: toWarning(warning) }));
export const replySchema = z
  .object({ body: bodySchema, ...warningFields })
  .superRefine(checkWarning)
  .transform(({ body, ...warning }) => ({ body, warning: toWarning(warning) }));
/** A content warning on its own: a moderator's form on /posts/:id/moderate. */
export const warningSchema = z
  .object(warningFields)
  .superRefine(checkWarning)
  .transform((warning) => ({ warning: toWarning(warning) }));

/**
 * The composer's fields by length alone, whatever the button: checked before a preview, a draft,
 * the dosing nudge or the post, so none of that work ever runs on an oversized text.
 */
export const composerLengthSchema = z.object({
  title: z.string().trim().max(TITLE_MAX, `Titles are at most ${TITLE_MAX} characters.`).optional(),
  body: memberText(BODY_MAX, BODY_TOO_LONG).optional(),
  warningText: z.string().trim().max(WARNING_TEXT_MAX, WARNING_TOO_LONG).optional(),
});

// ——— Moderation ———
/** A reason from the list; "other" needs the moderator's own words. */
const reasonSchema = <K extends string>(keys: readonly [K, ...K[]], choose: string) =>
  z
    .object({
      reason: z.enum(keys, choose),
      detail: z.string().trim().max(300, "Keep the detail under 300 characters.").optional(),
    })
    .refine((v) => v.reason !== "other" || (v.detail?.length ?? 0) > 0, {
      path: ["detail"],
      message: "Say briefly why, so the author understands.",
    });

export const removalSchema = reasonSchema(["spam", "harassment", "misinformation", "off-topic", "personal-information", "other"], "Choose a reason.");
export const restoreSchema = reasonSchema(["mistake", "edited", "other"], "Choose why you're restoring it.");

export const lockSchema = z.object({
  reason: z.string().trim().min(3, "Say briefly why the thread is locked.").max(300, "Keep the reason under 300 characters."),
});

export const restrictionSchema = z.object({
  duration: z.enum(["1d", "3d", "7d", "14d", "30d", "90d", "365d", "permanent"], "Choose how long."),
  reason: z.string().trim().min(3, "Give a reason; the member will see it.").max(500, "Keep the reason under 500 characters."),
});

export const reportSchema = z.object({
  reason: z.enum(["spam", "harassment", "misinformation", "at-risk", "other"], "Choose a reason."),
  note: z.string().trim().max(1000, "Keep the note under 1,000 characters.").optional(),
});

// ——— Appeals ———
/** A suspended member's request for review; the token comes from their suspension notice. */
export const appealSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{10,100}$/, "This form is missing its key. Please log in again to get a fresh form."),
  appeal: memberText(APPEAL_MAX, `Keep it under ${APPEAL_MAX.toLocaleString("en")} characters.`).refine(
    (s) => s.trim().length > 0,
    "Write a few words for the moderators before sending.",
  ),
});

/** A moderator's decision on a request for review: both answers need a reply to the member. */
export const appealDecisionSchema = z.object({
  intent: z.enum(["grant", "deny"], "Choose whether to lift or keep the suspension."),
  reply: memberText(APPEAL_REPLY_MAX, `Keep the reply under ${APPEAL_REPLY_MAX.toLocaleString("en")} characters.`).pipe(
    z.string().trim().min(3, "Write a reply; the member will read it."),
  ),
});

/** A moderator's check-in with a member whose post was flagged at risk (app/models/check-ins.server.ts). */
export const checkInSchema = z.object({
  message: memberText(CHECK_IN_MAX, `Keep the message under ${CHECK_IN_MAX.toLocaleString("en")} characters.`).pipe(
    z.string().trim().min(1, "Write a message; only the member will read it."),
  ),
});

/** Why a moderator returns a held post to its author (app/models/review.server.ts): only the author reads it. */
export const returnSchema = z.object({
  reason: memberText(RETURN_REASON_MAX, `Keep the note under ${RETURN_REASON_MAX.toLocaleString("en")} characters.`).pipe(
    z.string().trim().min(3, "Say what the author should change; only they will read it."),
  ),
});

// ——— Schemas used by route actions and loaders (kept server-side so zod never ships to the browser) ———
export const notificationActionSchema = z.discriminatedUnion("intent", [
  // "open" marks read and goes to the post; "read" marks read and stays on this list.
  z.object({
    intent: z.enum(["open", "read"]),
    id: z
      .string()
      .regex(/^[1-9]\d{0,15}$/)
      .transform(Number),
    page: z.string().optional(),
  }),
  z.object({ intent: z.literal("read-all") }),
]);

// A repeated or missing parameter is read as its first value or as empty: any address is a page.
export const searchParamsSchema = z.object({ q: z.string().catch(""), board: z.string().catch(""), tag: z.string().catch("") });

export const deleteAccountSchema = z.object({
  posts: z.enum(["keep", "remove"], { error: "Choose what should happen to your posts." }),
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX, "That is too long."),
});

// A profile's own forms: Mute / Unmute and Block / Unblock.
export const profileActionSchema = z.object({ intent: z.enum(["mute", "unmute", "block", "unblock"]) });

// /settings/blocked: one member's Unblock or Unmute (a deleted account's name is longer than a username).
export const unblockOrUnmuteSchema = z.object({ intent: z.enum(["unblock", "unmute"]), username: z.string().trim().min(1).max(64) });

// A member's saved posts: Unsave and "Save it again" on /saved.
export const savedSchema = z.object({
  intent: z.enum(["save", "unsave"]),
  postId: z.coerce.number().int().positive(),
  page: z.coerce.number().int().positive().catch(1),
});

// Save or Unsave under a post.
export const saveSchema = z.object({ intent: z.enum(["save", "unsave"]) });

/** The reaction bar's buttons: `add=helpful` or `remove=helpful`. */
export const reactSchema = z.union([
  z.object({ add: z.enum(reactionKinds) }).transform(({ add }) => ({ intent: "add" as const, kind: add })),
  z.object({ remove: z.enum(reactionKinds) }).transform(({ remove }) => ({ intent: "remove" as const, kind: remove })),
]);

export const followSchema = z.object({
  intent: z.enum(["follow", "unfollow"]),
  // The thread page the button was on, so the member stays where they were.
  page: z
    .string()
    .regex(/^[1-9]\d{0,5}$/)
    .optional(),
});

// "Watch this board" on a board page, and Stop watching on /settings/watching (the board's address).
export const watchSchema = z.object({ intent: z.enum(["watch", "unwatch"]) });
export const unwatchSchema = z.object({ intent: z.literal("unwatch"), board: z.string().trim().min(1).max(100) });

// ——— Articles ———
// Slugs that would collide with the library's own addresses (/articles/new, /articles/feed).
const RESERVED_SLUGS = new Set(["new", "feed"]);

/** The address an article gets from its title when the editor leaves it empty. */
export function slugify(title: string) {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/g, "");
}

function isCalendarDate(value: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** An article editor field as sent: a missing one reads as empty, and newlines become \n. */
const editorText = z
  .string()
  .prefault("")
  .transform((s) => s.replace(/\r\n?/g, "\n"));
const personSchema = (missing: string) => editorText.pipe(z.string().trim().min(1, missing).max(PERSON_MAX, `At most ${PERSON_MAX} characters.`));
const reviewDateSchema = (missing: string) => editorText.pipe(z.string().trim().refine(isCalendarDate, missing));

/** The checked board pins (`pin-<board slug>=on`), each with the place typed beside it (`order-<board slug>`). */
function pinsOf(values: Record<string, unknown>) {
  return Object.entries(values).flatMap(([key, value]) => {
    const boardSlug = /^pin-([a-z0-9-]{1,64})$/.exec(key)?.[1];
    if (!boardSlug || value !== "on") return [];
    const orderKey = `order-${boardSlug}`;
    return [{ boardSlug, orderKey, order: String(values[orderKey] ?? "").trim() }];
  });
}

/**
 * The article editor (app/components/article-editor.tsx). An empty address is made from the
 * title; pins name boards by slug, and the model checks that those boards exist.
 */
export const articleSchema = z
  .looseObject({
    title: editorText.pipe(titleSchema),
    slug: editorText.pipe(
      z
        .string()
        .trim()
        .toLowerCase()
        .refine((s) => !s || /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s), "Use only letters a–z, numbers and single hyphens, like “night-cramps”.")
        .max(SLUG_MAX, `The address is at most ${SLUG_MAX} characters.`),
    ),
    summary: editorText.pipe(
      z
        .string()
        .trim()
        .min(1, "Write a short summary.")
        .max(SUMMARY_MAX, { error: (issue) => `The summary is at most ${SUMMARY_MAX} characters (it has ${String(issue.input).length}).` }),
    ),
    body: editorText.pipe(
      z
        .string()
        .refine((s) => s.trim().length > 0, "Write the article before saving.")
        .max(BODY_MAX, `Articles are at most ${BODY_MAX.toLocaleString("en")} characters.`),
    ),
    references: editorText.transform((text, ctx) => {
      const parsed = parseReferences(text);
      if (parsed.ok) return parsed.references;
      ctx.issues.push({ code: "custom", message: parsed.error, input: text });
      return z.NEVER;
    }),
    author: personSchema("Say who wrote the article."),
    reviewer: personSchema("Give the reviewer's name and credential."),
    lastReviewedOn: reviewDateSchema("Enter the date of the last review (year, month and day)."),
    nextReviewDueOn: reviewDateSchema("Enter the date the next review is due (year, month and day)."),
    status: z.enum(articleStatuses, "Choose draft, published or archived."),
  })
  .superRefine(
    (v, ctx) => {
      const slug = v.slug || slugify(v.title);
      // No address and no usable title: the title's own message says what to fix.
      if (!slug && titleSchema.safeParse(v.title).success) {
        ctx.addIssue({ code: "custom", path: ["slug"], message: "Type an address made of letters a–z, numbers and hyphens." });
      } else if (RESERVED_SLUGS.has(slug)) {
        ctx.addIssue({ code: "custom", path: ["slug"], message: `“${slug}” is used by the site itself; please choose another address.` });
      }
      if (isCalendarDate(v.lastReviewedOn) && isCalendarDate(v.nextReviewDueOn) && v.nextReviewDueOn <= v.lastReviewedOn) {
        ctx.addIssue({ code: "custom", path: ["nextReviewDueOn"], message: "The next review must be due after the last review." });
      }
      for (const pin of pinsOf(v)) {
        if (pin.order && !/^[1-9]\d{0,2}$/.test(pin.order)) {
          ctx.addIssue({
            code: "custom",
            path: [pin.orderKey],
            message: `Use a whole number from 1 to ${PIN_POSITION_MAX}, or leave it empty to add at the end.`,
          });
        }
      }
    },
    // Also when a field failed: every mistake in the form is reported at once.
    { when: () => true },
  )
  .transform((v): ArticleInput => ({
    title: v.title,
    slug: v.slug || slugify(v.title),
    summary: v.summary,
    body: v.body,
    references: v.references,
    author: v.author,
    reviewer: v.reviewer,
    lastReviewedOn: v.lastReviewedOn,
    nextReviewDueOn: v.nextReviewDueOn,
    status: v.status,
    pins: pinsOf(v).map(({ boardSlug, order }) => ({ boardSlug, position: order ? Number(order) : null })),
  }));
