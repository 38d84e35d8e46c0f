// The PostgreSQL twin of db/schema.sqlite.ts, kept in lockstep by tests/schema-drift.test.ts. Why each
// table and column exists is explained in db/schema.sqlite.ts; comments here cover PostgreSQL-only choices.
import { sql } from "drizzle-orm";
import { type AnyPgColumn, bigint, boolean, customType, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import {
  appealStatuses,
  type ArticleReference,
  boardAccesses,
  deliveries,
  digestPeriods,
  MAIL_DELAY_MS,
  mailKinds,
  notificationKinds,
  reactionKinds,
  reportReasons,
  roles,
  visibilities,
  warningChoices,
  warningKinds,
  webauthnPurposes,
} from "./schema.sqlite.ts";

// The named enum value lists are shared with the SQLite schema, so they cannot drift.
export {
  appealStatuses,
  boardAccesses,
  deliveries,
  digestPeriods,
  MAIL_DELAY_MS,
  mailKinds,
  notificationKinds,
  reactionKinds,
  reportReasons,
  roles,
  visibilities,
  warningChoices,
  warningKinds,
  webauthnPurposes,
};
export type { ArticleReference, BoardAccess, Delivery, NotificationPrefKind, Role, Visibility, WarningKind } from "./schema.sqlite.ts";

// Millisecond precision, like the SQLite integers: a microsecond now() would not survive the trip
// through a JS Date, and keyset pages compare created_at for equality.
const ms = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });
const createdAt = () => ms("created_at").notNull().defaultNow();
const id = () => integer("id").primaryKey().generatedByDefaultAsIdentity();
// A required reference on one line, where db/schema.sqlite.ts chains integer().notNull().references().
const ref = (name: string, target: () => AnyPgColumn, onDelete?: "cascade") => integer(name).notNull().references(target, { onDelete });

// JSON kept in a text column, as SQLite's text({ mode: "json" }) does: same storage, same row type.
const jsonText = customType<{ data: unknown; driverData: string }>({
  dataType: () => "text",
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => JSON.parse(value) as unknown,
});

export const users = pgTable("users", {
  id: id(),
  username: text("username").notNull().unique(),
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: roles }).notNull().default("member"),
  createdAt: createdAt(),
  suspendedAt: ms("suspended_at"),
  suspendedUntil: ms("suspended_until"),
  suspendReason: text("suspend_reason"),
  silencedAt: ms("silenced_at"),
  silencedUntil: ms("silenced_until"),
  silenceReason: text("silence_reason"),
  bioMarkdown: text("bio_markdown"),
  bioHtml: text("bio_html"),
  bioVisibility: text("bio_visibility", { enum: visibilities }).notNull().default("everyone"),
  conditionsVisibility: text("conditions_visibility", { enum: visibilities }).notNull().default("everyone"),
  joinedVisibility: text("joined_visibility", { enum: visibilities }).notNull().default("everyone"),
  theme: text("theme", { enum: ["system", "light", "dark", "night", "auto-night"] })
    .notNull()
    .default("system"),
  textSize: text("text_size", { enum: ["normal", "large", "larger"] })
    .notNull()
    .default("normal"),
  reducedMotion: boolean("reduced_motion").notNull().default(false),
  timeZone: text("time_zone"),
  guidelinesAcceptedAt: ms("guidelines_accepted_at"),
  emailVerifiedAt: ms("email_verified_at"),
  emailBouncedAt: ms("email_bounced_at"),
  emailComplainedAt: ms("email_complained_at"),
  quietFrom: integer("quiet_from").notNull().default(22),
  quietUntil: integer("quiet_until").notNull().default(7),
  deletedAt: ms("deleted_at"),
});

export const userConditions = pgTable(
  "user_conditions",
  {
    userId: ref("user_id", () => users.id, "cascade"),
    boardId: ref("board_id", () => boards.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.boardId] })],
);

// lucia's session table: expires_at is unix seconds, past 2^31 in 2038, hence bigint.
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: ref("user_id", () => users.id, "cascade"),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    publicId: text("public_id").notNull().unique(),
    userAgent: text("user_agent"),
    createdAt: ms("created_at"),
    lastSeenAt: ms("last_seen_at"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const boards = pgTable("boards", {
  id: id(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  position: integer("position").notNull().default(0),
  threadCount: integer("thread_count").notNull().default(0),
  postCount: integer("post_count").notNull().default(0),
  lastPostAt: ms("last_post_at"),
  access: text("access", { enum: boardAccesses }).notNull().default("everyone"),
  reviewFirstPosts: integer("review_first_posts").notNull().default(0),
});

export const threads = pgTable(
  "threads",
  {
    id: id(),
    boardId: ref("board_id", () => boards.id),
    authorId: ref("author_id", () => users.id),
    title: text("title").notNull(),
    createdAt: createdAt(),
    lastPostAt: ms("last_post_at").notNull(),
    lastPosterId: integer("last_poster_id").references(() => users.id),
    postCount: integer("post_count").notNull().default(0),
    replyCount: integer("reply_count").notNull().default(0),
    pinPosition: integer("pin_position"),
    lockedAt: ms("locked_at"),
    lockReason: text("lock_reason"),
    removedAt: ms("removed_at"),
    removedById: integer("removed_by_id").references(() => users.id),
    removalReason: text("removal_reason"),
    membersOnly: boolean("members_only").notNull().default(false),
    heldAt: ms("held_at"),
  },
  (t) => [
    index("threads_board_activity_idx").on(t.boardId, t.lastPostAt),
    index("threads_board_listed_idx")
      .on(t.boardId, t.lastPostAt)
      .where(sql`${t.removedAt} is null and ${t.pinPosition} is null and ${t.heldAt} is null`),
    index("threads_author_idx").on(t.authorId, t.createdAt),
    index("threads_kept_to_members_idx")
      .on(t.boardId)
      .where(sql`${t.membersOnly} and ${t.removedAt} is null and ${t.pinPosition} is null and ${t.heldAt} is null`),
    index("threads_board_pinned_idx")
      .on(t.boardId, t.pinPosition)
      .where(sql`${t.pinPosition} is not null`),
  ],
);

export const posts = pgTable(
  "posts",
  {
    id: id(),
    threadId: ref("thread_id", () => threads.id),
    authorId: ref("author_id", () => users.id),
    number: integer("number").notNull(),
    bodyMarkdown: text("body_markdown").notNull(),
    bodyHtml: text("body_html").notNull(),
    createdAt: createdAt(),
    editedAt: ms("edited_at"),
    deletedAt: ms("deleted_at"),
    removedAt: ms("removed_at"),
    removedById: integer("removed_by_id").references(() => users.id),
    removalReason: text("removal_reason"),
    warningKind: text("warning_kind", { enum: warningKinds }),
    warningText: text("warning_text"),
    heldAt: ms("held_at"),
    returnReason: text("return_reason"),
  },
  (t) => [
    uniqueIndex("posts_thread_number_idx").on(t.threadId, t.number),
    index("posts_author_idx").on(t.authorId, t.createdAt),
    index("posts_held_idx")
      .on(t.heldAt)
      .where(sql`${t.heldAt} is not null`),
  ],
);

export const postRevisions = pgTable(
  "post_revisions",
  {
    id: id(),
    postId: ref("post_id", () => posts.id),
    title: text("title"),
    bodyMarkdown: text("body_markdown").notNull(),
    bodyHtml: text("body_html").notNull(),
    warningKind: text("warning_kind", { enum: warningKinds }),
    warningText: text("warning_text"),
    writtenAt: ms("written_at").notNull(),
    replacedAt: createdAt(),
  },
  (t) => [index("post_revisions_post_idx").on(t.postId)],
);

export const moderationLog = pgTable(
  "moderation_log",
  {
    id: id(),
    actorId: ref("actor_id", () => users.id),
    action: text("action").notNull(),
    targetType: text("target_type", { enum: ["thread", "post", "user", "article", "report", "evidence_note", "board", "tag", "message"] }).notNull(),
    targetId: integer("target_id").notNull(),
    subjectUserId: integer("subject_user_id").references(() => users.id),
    reason: text("reason"),
    privateNote: text("private_note"),
    createdAt: createdAt(),
  },
  (t) => [
    index("moderation_log_created_idx").on(t.createdAt),
    index("moderation_log_actor_idx").on(t.actorId, t.createdAt),
    index("moderation_log_action_idx").on(t.action, t.createdAt),
  ],
);

export const reports = pgTable(
  "reports",
  {
    id: id(),
    postId: ref("post_id", () => posts.id),
    reporterId: integer("reporter_id").references(() => users.id),
    reason: text("reason", { enum: reportReasons }).notNull(),
    note: text("note"),
    status: text("status", { enum: ["open", "resolved"] })
      .notNull()
      .default("open"),
    createdAt: createdAt(),
    resolvedById: integer("resolved_by_id").references(() => users.id),
    resolvedAt: ms("resolved_at"),
    resolution: text("resolution", { enum: ["removed", "dismissed", "suspended"] }),
  },
  (t) => [
    index("reports_status_idx").on(t.status, t.postId),
    uniqueIndex("reports_one_open_per_member_idx")
      .on(t.postId, t.reporterId)
      .where(sql`${t.status} = 'open'`),
  ],
);

export const articles = pgTable(
  "articles",
  {
    id: id(),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    bodyMarkdown: text("body_markdown").notNull(),
    bodyHtml: text("body_html").notNull(),
    references: jsonText("references").$type<ArticleReference[]>().notNull(),
    author: text("author").notNull(),
    reviewer: text("reviewer").notNull(),
    // YYYY-MM-DD text, as in SQLite (not date), so both dialects hand the models the same string.
    lastReviewedOn: text("last_reviewed_on").notNull(),
    nextReviewDueOn: text("next_review_due_on").notNull(),
    status: text("status", { enum: ["draft", "published", "archived"] })
      .notNull()
      .default("draft"),
    createdAt: createdAt(),
    updatedAt: ms("updated_at").notNull(),
    publishedAt: ms("published_at"),
  },
  (t) => [index("articles_status_idx").on(t.status, t.publishedAt)],
);

export const articleBoards = pgTable(
  "article_boards",
  {
    articleId: ref("article_id", () => articles.id, "cascade"),
    boardId: ref("board_id", () => boards.id),
    position: integer("position").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.boardId] }), index("article_boards_board_idx").on(t.boardId, t.position)],
);

export const articleRevisions = pgTable(
  "article_revisions",
  {
    id: id(),
    articleId: ref("article_id", () => articles.id, "cascade"),
    editorId: integer("editor_id").references(() => users.id),
    snapshot: jsonText("snapshot").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("article_revisions_article_idx").on(t.articleId)],
);

export const threadArticles = pgTable(
  "thread_articles",
  {
    threadId: ref("thread_id", () => threads.id),
    articleId: ref("article_id", () => articles.id, "cascade"),
    addedById: integer("added_by_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.articleId] }), index("thread_articles_article_idx").on(t.articleId)],
);

export const evidenceNotes = pgTable(
  "evidence_notes",
  {
    id: id(),
    postId: ref("post_id", () => posts.id),
    authorId: ref("author_id", () => users.id),
    bodyMarkdown: text("body_markdown").notNull(),
    bodyHtml: text("body_html").notNull(),
    createdAt: createdAt(),
    updatedAt: ms("updated_at"),
  },
  (t) => [index("evidence_notes_post_idx").on(t.postId)],
);

export const reactions = pgTable(
  "reactions",
  {
    postId: ref("post_id", () => posts.id),
    kind: text("kind", { enum: reactionKinds }).notNull(),
    userId: ref("user_id", () => users.id, "cascade"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.kind, t.userId] }), index("reactions_user_idx").on(t.userId)],
);

export const follows = pgTable(
  "follows",
  {
    userId: ref("user_id", () => users.id, "cascade"),
    threadId: ref("thread_id", () => threads.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.threadId] }), index("follows_thread_idx").on(t.threadId)],
);

export const boardWatches = pgTable(
  "board_watches",
  {
    userId: ref("user_id", () => users.id, "cascade"),
    boardId: ref("board_id", () => boards.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.boardId] }), index("board_watches_board_idx").on(t.boardId)],
);

export const mailPreferences = pgTable(
  "mail_preferences",
  {
    userId: ref("user_id", () => users.id, "cascade"),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    delivery: text("delivery", { enum: deliveries }).notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

export const mailDigests = pgTable(
  "mail_digests",
  {
    userId: ref("user_id", () => users.id, "cascade"),
    period: text("period", { enum: digestPeriods }).notNull(),
    nextAt: ms("next_at").notNull(),
    since: ms("since").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.period] }), index("mail_digests_next_idx").on(t.nextAt)],
);

export const tags = pgTable("tags", {
  id: id(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const threadTags = pgTable(
  "thread_tags",
  {
    threadId: ref("thread_id", () => threads.id, "cascade"),
    tagId: ref("tag_id", () => tags.id, "cascade"),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.tagId] }), index("thread_tags_tag_idx").on(t.tagId, t.threadId)],
);

export const savedPosts = pgTable(
  "saved_posts",
  {
    userId: ref("user_id", () => users.id, "cascade"),
    postId: ref("post_id", () => posts.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.postId] }), index("saved_posts_user_created_idx").on(t.userId, t.createdAt, t.postId)],
);

export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    userId: ref("user_id", () => users.id, "cascade"),
    kind: text("kind", { enum: ["reply", "quote", "mention", "moderation", "message", "thread"] }).notNull(),
    actorId: integer("actor_id").references(() => users.id),
    threadId: integer("thread_id").references(() => threads.id),
    postId: integer("post_id").references(() => posts.id),
    conversationId: integer("conversation_id").references(() => conversations.id),
    text: text("text"),
    createdAt: createdAt(),
    readAt: ms("read_at"),
    mailDueAt: ms("mail_due_at").$defaultFn(() => new Date(Date.now() + MAIL_DELAY_MS)),
    mailedAt: ms("mailed_at"),
  },
  (t) => [
    index("notifications_user_idx").on(t.userId, t.id),
    index("notifications_mail_due_idx")
      .on(t.mailDueAt)
      .where(sql`${t.mailDueAt} is not null`),
    index("notifications_unread_idx")
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
    uniqueIndex("notifications_once_per_post_idx")
      .on(t.userId, t.postId)
      .where(sql`${t.postId} is not null and ${t.kind} != 'moderation'`),
    uniqueIndex("notifications_one_unread_conversation_idx")
      .on(t.userId, t.conversationId)
      .where(sql`${t.kind} = 'message' and ${t.readAt} is null`),
  ],
);

export const threadReads = pgTable(
  "thread_reads",
  {
    userId: ref("user_id", () => users.id, "cascade"),
    threadId: ref("thread_id", () => threads.id),
    lastReadNumber: integer("last_read_number").notNull(),
    updatedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.threadId] })],
);

export const mutes = pgTable(
  "mutes",
  {
    userId: ref("user_id", () => users.id, "cascade"),
    mutedUserId: ref("muted_user_id", () => users.id, "cascade"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.mutedUserId] })],
);

export const blocks = pgTable(
  "blocks",
  {
    userId: ref("user_id", () => users.id, "cascade"),
    blockedUserId: ref("blocked_user_id", () => users.id, "cascade"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.blockedUserId] }), index("blocks_blocked_idx").on(t.blockedUserId)],
);

export const conversations = pgTable("conversations", {
  id: id(),
  subject: text("subject").notNull(),
  startedById: ref("started_by_id", () => users.id),
  createdAt: createdAt(),
  lastMessageAt: ms("last_message_at").notNull(),
  messageCount: integer("message_count").notNull().default(0),
});

export const conversationMembers = pgTable(
  "conversation_members",
  {
    conversationId: ref("conversation_id", () => conversations.id),
    userId: ref("user_id", () => users.id),
    addedById: integer("added_by_id").references(() => users.id),
    joinedAt: ms("joined_at").notNull().defaultNow(),
    lastMessageId: integer("last_message_id").notNull().default(0),
    lastMessageAt: ms("last_message_at").notNull(),
    lastReadMessageId: integer("last_read_message_id").notNull().default(0),
    leftAt: ms("left_at"),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.userId] }),
    index("conversation_members_inbox_idx")
      .on(t.userId, t.lastMessageAt, t.conversationId)
      .where(sql`${t.leftAt} is null`),
    index("conversation_members_unread_idx")
      .on(t.userId)
      .where(sql`${t.leftAt} is null and ${t.lastMessageId} > ${t.lastReadMessageId}`),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: id(),
    conversationId: ref("conversation_id", () => conversations.id),
    authorId: ref("author_id", () => users.id),
    bodyMarkdown: text("body_markdown").notNull(),
    bodyHtml: text("body_html").notNull(),
    createdAt: createdAt(),
    removedAt: ms("removed_at"),
    removedById: integer("removed_by_id").references(() => users.id),
    removalReason: text("removal_reason"),
    deletedAt: ms("deleted_at"),
  },
  (t) => [index("messages_conversation_idx").on(t.conversationId, t.id), index("messages_author_idx").on(t.authorId, t.createdAt)],
);

export const messageReports = pgTable(
  "message_reports",
  {
    id: id(),
    messageId: ref("message_id", () => messages.id),
    conversationId: ref("conversation_id", () => conversations.id),
    reporterId: ref("reporter_id", () => users.id),
    reason: text("reason", { enum: reportReasons }).notNull(),
    note: text("note"),
    status: text("status", { enum: ["open", "resolved"] })
      .notNull()
      .default("open"),
    createdAt: createdAt(),
    resolvedById: integer("resolved_by_id").references(() => users.id),
    resolvedAt: ms("resolved_at"),
    resolution: text("resolution", { enum: ["removed", "dismissed"] }),
  },
  (t) => [
    index("message_reports_open_idx")
      .on(t.messageId)
      .where(sql`${t.status} = 'open'`),
    index("message_reports_conversation_idx").on(t.conversationId, t.id),
    uniqueIndex("message_reports_one_open_per_member_idx")
      .on(t.messageId, t.reporterId)
      .where(sql`${t.status} = 'open'`),
  ],
);

export const conversationAccessLog = pgTable(
  "conversation_access_log",
  {
    id: id(),
    conversationId: ref("conversation_id", () => conversations.id),
    moderatorId: ref("moderator_id", () => users.id),
    reportId: ref("report_id", () => messageReports.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("conversation_access_log_conversation_idx").on(t.conversationId, t.createdAt),
    index("conversation_access_log_moderator_idx").on(t.moderatorId, t.conversationId, t.createdAt),
    index("conversation_access_log_created_idx").on(t.createdAt),
  ],
);

export const warningPreferences = pgTable(
  "warning_preferences",
  {
    userId: ref("user_id", () => users.id, "cascade"),
    kind: text("kind", { enum: warningKinds }).notNull(),
    choice: text("choice", { enum: warningChoices }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

export const drafts = pgTable(
  "drafts",
  {
    id: id(),
    userId: ref("user_id", () => users.id, "cascade"),
    key: text("key").notNull(),
    title: text("title"),
    body: text("body").notNull(),
    warningKind: text("warning_kind", { enum: warningKinds }),
    warningText: text("warning_text"),
    // A new private message's "To" field, as typed (null for every other form).
    recipients: text("recipients"),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [uniqueIndex("drafts_user_key_idx").on(t.userId, t.key)],
);

export const pendingDrafts = pgTable(
  "pending_drafts",
  {
    tokenHash: text("token_hash").primaryKey(),
    key: text("key").notNull(),
    title: text("title"),
    body: text("body").notNull(),
    warningKind: text("warning_kind", { enum: warningKinds }),
    warningText: text("warning_text"),
    recipients: text("recipients"),
    createdAt: createdAt(),
  },
  (t) => [index("pending_drafts_created_idx").on(t.createdAt)],
);

export const appeals = pgTable(
  "appeals",
  {
    id: id(),
    userId: ref("user_id", () => users.id, "cascade"),
    suspendedAt: ms("suspended_at").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: appealStatuses }).notNull().default("open"),
    createdAt: createdAt(),
    decidedById: integer("decided_by_id").references(() => users.id),
    decidedAt: ms("decided_at"),
    reply: text("reply"),
  },
  (t) => [
    index("appeals_open_idx")
      .on(t.createdAt)
      .where(sql`${t.status} = 'open'`),
    index("appeals_user_idx").on(t.userId, t.suspendedAt, t.id),
    uniqueIndex("appeals_one_open_per_suspension_idx")
      .on(t.userId, t.suspendedAt)
      .where(sql`${t.status} = 'open'`),
  ],
);

export const appealTokens = pgTable(
  "appeal_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: ref("user_id", () => users.id, "cascade"),
    expiresAt: ms("expires_at").notNull(),
  },
  (t) => [index("appeal_tokens_user_idx").on(t.userId), index("appeal_tokens_expires_idx").on(t.expiresAt)],
);

export const passwordResets = pgTable(
  "password_resets",
  {
    id: id(),
    userId: ref("user_id", () => users.id, "cascade"),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    expiresAt: ms("expires_at").notNull(),
    usedAt: ms("used_at"),
  },
  (t) => [index("password_resets_user_idx").on(t.userId)],
);

export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: ms("expire"),
});

// Binary in bytea, read back by node-postgres as a Buffer, as better-sqlite3 reads SQLite's blob.
const bytes = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

export const passkeys = pgTable(
  "passkeys",
  {
    id: text("id").primaryKey(),
    userId: ref("user_id", () => users.id, "cascade"),
    publicKey: bytes("public_key").notNull(),
    // A signature count runs to 2^32 - 1, past integer.
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports").notNull().default(""),
    name: text("name").notNull(),
    createdAt: createdAt(),
    lastUsedAt: ms("last_used_at"),
  },
  (t) => [index("passkeys_user_idx").on(t.userId)],
);

export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    id: text("id").primaryKey(),
    challenge: text("challenge").notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: webauthnPurposes }).notNull(),
    expiresAt: ms("expires_at").notNull(),
  },
  (t) => [index("webauthn_challenges_expires_idx").on(t.expiresAt)],
);

export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: id(),
    key: text("key").notNull().unique(),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    recipient: text("recipient").notNull(),
    kind: text("kind", { enum: mailKinds }).notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    createdAt: createdAt(),
    sendAfter: ms("send_after").notNull(),
    attempts: integer("attempts").notNull().default(0),
    claimToken: text("claim_token"),
    leaseUntil: ms("lease_until"),
    sentAt: ms("sent_at"),
    failedAt: ms("failed_at"),
    lastError: text("last_error"),
    unsubscribeUrl: text("unsubscribe_url"),
  },
  (t) => [
    index("mail_outbox_pending_idx")
      .on(t.sendAfter)
      .where(sql`${t.sentAt} is null and ${t.failedAt} is null`),
    index("mail_outbox_created_idx").on(t.createdAt),
    index("mail_outbox_user_idx").on(t.userId),
  ],
);

export const emailConfirmations = pgTable(
  "email_confirmations",
  {
    id: id(),
    userId: ref("user_id", () => users.id, "cascade"),
    address: text("address").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    expiresAt: ms("expires_at").notNull(),
    usedAt: ms("used_at"),
  },
  (t) => [index("email_confirmations_user_idx").on(t.userId)],
);

export const siteSecrets = pgTable("site_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
});

export type User = typeof users.$inferSelect;
export type Board = typeof boards.$inferSelect;
export type Thread = typeof threads.$inferSelect;
export type Post = typeof posts.$inferSelect;
export type Article = typeof articles.$inferSelect;
