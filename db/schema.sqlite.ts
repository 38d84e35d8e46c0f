// SQLite tables (the default engine). db/schema.ts hands the models these or the PostgreSQL twins
// in db/schema.pg.ts; drizzle-kit generates migrations/ from this file.
import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const roles = ["member", "moderator", "admin"] as const;
export type Role = (typeof roles)[number];

// Who may see a profile field: anyone, logged-in members, or only the member themself.
export const visibilities = ["everyone", "members", "nobody"] as const;
/** Who reads a board: everyone; everyone, but authors may keep a thread to members; members only. */
export const boardAccesses = ["everyone", "author-choice", "members"] as const;
export type BoardAccess = (typeof boardAccesses)[number];
export type Visibility = (typeof visibilities)[number];

// Content warnings (docs/decisions/028): the kinds an author picks from; "other" is in their own words.
export const warningKinds = ["self-harm", "graphic", "loss", "other"] as const;
export type WarningKind = (typeof warningKinds)[number];
/** A member's choice for a kind; a kind without one shows collapsed behind its label. */
export const warningChoices = ["show", "hide"] as const;

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  // Stored lower-case: usernames are unique case-insensitively and shown as stored.
  username: text("username").notNull().unique(),
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: roles }).notNull().default("member"),
  createdAt: createdAt(),
  // Moderation: a suspension ends sessions and blocks everything; silence is read-only.
  // A null "until" with a reason set means permanent.
  suspendedAt: integer("suspended_at", { mode: "timestamp_ms" }),
  suspendedUntil: integer("suspended_until", { mode: "timestamp_ms" }),
  suspendReason: text("suspend_reason"),
  silencedAt: integer("silenced_at", { mode: "timestamp_ms" }),
  silencedUntil: integer("silenced_until", { mode: "timestamp_ms" }),
  silenceReason: text("silence_reason"),
  // Profile and settings.
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
  reducedMotion: integer("reduced_motion", { mode: "boolean" }).notNull().default(false),
  timeZone: text("time_zone"),
  guidelinesAcceptedAt: integer("guidelines_accepted_at", { mode: "timestamp_ms" }),
  // When `email` was confirmed by a link sent to it (null: never; docs/decisions/036), and when a
  // mail server last refused it outright. Notification mail goes only to confirmed, unrefused addresses.
  emailVerifiedAt: integer("email_verified_at", { mode: "timestamp_ms" }),
  emailBouncedAt: integer("email_bounced_at", { mode: "timestamp_ms" }),
  // When the member's mail provider reported our mail as unwanted (docs/decisions/041): every kind
  // was turned to "site only" then, and the site says so until they choose again.
  emailComplainedAt: integer("email_complained_at", { mode: "timestamp_ms" }),
  // No notification mail from quietFrom:00 to quietUntil:00 in the member's time zone (equal: none);
  // what falls inside waits for the morning (docs/decisions/038).
  quietFrom: integer("quiet_from").notNull().default(22),
  quietUntil: integer("quiet_until").notNull().default(7),
  // Account deletion erases email and password hash in place; the row keeps posts attributable.
  deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
});

export const userConditions = sqliteTable(
  "user_conditions",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    boardId: integer("board_id")
      .notNull()
      .references(() => boards.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.boardId] })],
);

// lucia v3 sessions, kept by app/utils/session-store.server.ts (expires_at is unix seconds).
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
    // How the settings page names a session in its "Log out" forms: the id is the cookie's
    // secret and never leaves the server. Random, so it says nothing about the id.
    publicId: text("public_id").notNull().unique(),
    // For "Firefox on Linux": the browser's User-Agent at sign-in, cut to USER_AGENT_MAX.
    // Sessions from before these columns have no user agent and no sign-in time.
    userAgent: text("user_agent"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }),
    // Coarse on purpose: see touchSession in app/utils/auth.server.ts.
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const boards = sqliteTable("boards", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  position: integer("position").notNull().default(0),
  // Counters kept in the same transaction as the posts, so the home page needs no aggregates.
  threadCount: integer("thread_count").notNull().default(0),
  postCount: integer("post_count").notNull().default(0),
  lastPostAt: integer("last_post_at", { mode: "timestamp_ms" }),
  access: text("access", { enum: boardAccesses }).notNull().default("everyone"),
  // A member's first this-many posts here wait for a moderator (docs/decisions/034); 0 = never.
  reviewFirstPosts: integer("review_first_posts").notNull().default(0),
});

export const threads = sqliteTable(
  "threads",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    boardId: integer("board_id")
      .notNull()
      .references(() => boards.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    createdAt: createdAt(),
    lastPostAt: integer("last_post_at", { mode: "timestamp_ms" }).notNull(),
    lastPosterId: integer("last_poster_id").references(() => users.id),
    // postCount numbers posts (it never goes down, so pages stay stable);
    // replyCount is what members see (visible replies only).
    postCount: integer("post_count").notNull().default(0),
    replyCount: integer("reply_count").notNull().default(0),
    // Pinned threads come first on their board, ordered by pin_position (null = not pinned).
    pinPosition: integer("pin_position"),
    lockedAt: integer("locked_at", { mode: "timestamp_ms" }),
    lockReason: text("lock_reason"),
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
    removedById: integer("removed_by_id").references(() => users.id),
    removalReason: text("removal_reason"),
    // The author kept it to members (in a board whose access is "author-choice").
    membersOnly: integer("members_only", { mode: "boolean" }).notNull().default(false),
    // Its opening post waits for a moderator: listed nowhere, and not there for anyone but its author and staff.
    heldAt: integer("held_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("threads_board_activity_idx").on(t.boardId, t.lastPostAt),
    // The board list: visible, unpinned threads by latest activity.
    index("threads_board_listed_idx")
      .on(t.boardId, t.lastPostAt)
      .where(sql`${t.removedAt} is null and ${t.pinPosition} is null and ${t.heldAt} is null`),
    index("threads_author_idx").on(t.authorId, t.createdAt),
    index("threads_kept_to_members_idx")
      .on(t.boardId)
      .where(sql`${t.membersOnly} and ${t.removedAt} is null and ${t.pinPosition} is null and ${t.heldAt} is null`),
    // The board's pinned threads, in order, without scanning the board.
    index("threads_board_pinned_idx")
      .on(t.boardId, t.pinPosition)
      .where(sql`${t.pinPosition} is not null`),
  ],
);

export const posts = sqliteTable(
  "posts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    threadId: integer("thread_id")
      .notNull()
      .references(() => threads.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    // 1-based position in the thread: page N is a range scan on (thread_id, number).
    number: integer("number").notNull(),
    bodyMarkdown: text("body_markdown").notNull(),
    bodyHtml: text("body_html").notNull(),
    createdAt: createdAt(),
    editedAt: integer("edited_at", { mode: "timestamp_ms" }),
    deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
    removedById: integer("removed_by_id").references(() => users.id),
    removalReason: text("removal_reason"),
    // Set by the author (or a moderator, logged): the body shows collapsed behind this label.
    warningKind: text("warning_kind", { enum: warningKinds }),
    // The author's own words for the label, only with "other" (WARNING_TEXT_MAX).
    warningText: text("warning_text"),
    // Waiting for a moderator since (or returned, with returnReason): shown only to its author and staff.
    // A held reply's number is below 1, outside every page, until approval numbers it (docs/decisions/034).
    heldAt: integer("held_at", { mode: "timestamp_ms" }),
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

// Every earlier version of a post (and of the thread title, for opening posts).
export const postRevisions = sqliteTable(
  "post_revisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id),
    title: text("title"),
    bodyMarkdown: text("body_markdown").notNull(),
    bodyHtml: text("body_html").notNull(),
    // The content warning this version had.
    warningKind: text("warning_kind", { enum: warningKinds }),
    warningText: text("warning_text"),
    // When this version was written (the post's creation or a previous edit).
    writtenAt: integer("written_at", { mode: "timestamp_ms" }).notNull(),
    replacedAt: createdAt(),
  },
  (t) => [index("post_revisions_post_idx").on(t.postId)],
);

// Every moderator action, written in the same transaction as the change.
export const moderationLog = sqliteTable(
  "moderation_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    actorId: integer("actor_id")
      .notNull()
      .references(() => users.id),
    action: text("action").notNull(),
    targetType: text("target_type", { enum: ["thread", "post", "user", "article", "report", "evidence_note", "board", "tag", "message"] }).notNull(),
    targetId: integer("target_id").notNull(),
    // The user the action concerns (author of the post, the suspended member…).
    subjectUserId: integer("subject_user_id").references(() => users.id),
    reason: text("reason"),
    // Staff-only detail: never shown on /transparency.
    privateNote: text("private_note"),
    createdAt: createdAt(),
  },
  (t) => [
    index("moderation_log_created_idx").on(t.createdAt),
    index("moderation_log_actor_idx").on(t.actorId, t.createdAt),
    index("moderation_log_action_idx").on(t.action, t.createdAt),
  ],
);

export const reportReasons = ["spam", "harassment", "misinformation", "at-risk", "other"] as const;

export const reports = sqliteTable(
  "reports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id),
    // Null when the system raised it (e.g. self-harm language in a new post).
    reporterId: integer("reporter_id").references(() => users.id),
    reason: text("reason", { enum: reportReasons }).notNull(),
    note: text("note"),
    status: text("status", { enum: ["open", "resolved"] })
      .notNull()
      .default("open"),
    createdAt: createdAt(),
    resolvedById: integer("resolved_by_id").references(() => users.id),
    resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
    resolution: text("resolution", { enum: ["removed", "dismissed", "suspended"] }),
  },
  (t) => [
    index("reports_status_idx").on(t.status, t.postId),
    uniqueIndex("reports_one_open_per_member_idx")
      .on(t.postId, t.reporterId)
      .where(sql`${t.status} = 'open'`),
  ],
);

export type ArticleReference = {
  authors: string;
  title: string;
  source: string;
  year: number;
  doi?: string;
  pmid?: string;
  url?: string;
};

export const articles = sqliteTable(
  "articles",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    bodyMarkdown: text("body_markdown").notNull(),
    bodyHtml: text("body_html").notNull(),
    references: text("references", { mode: "json" }).$type<ArticleReference[]>().notNull(),
    author: text("author").notNull(),
    reviewer: text("reviewer").notNull(),
    // Calendar dates (YYYY-MM-DD): a review is due on a day, not at an instant.
    lastReviewedOn: text("last_reviewed_on").notNull(),
    nextReviewDueOn: text("next_review_due_on").notNull(),
    status: text("status", { enum: ["draft", "published", "archived"] })
      .notNull()
      .default("draft"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("articles_status_idx").on(t.status, t.publishedAt)],
);

export const articleBoards = sqliteTable(
  "article_boards",
  {
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    boardId: integer("board_id")
      .notNull()
      .references(() => boards.id),
    position: integer("position").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.boardId] }), index("article_boards_board_idx").on(t.boardId, t.position)],
);

export const articleRevisions = sqliteTable(
  "article_revisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    editorId: integer("editor_id").references(() => users.id),
    // The whole earlier version, as it was.
    snapshot: text("snapshot", { mode: "json" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("article_revisions_article_idx").on(t.articleId)],
);

// "Related reading": an article linked to a thread by a moderator.
export const threadArticles = sqliteTable(
  "thread_articles",
  {
    threadId: integer("thread_id")
      .notNull()
      .references(() => threads.id),
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    addedById: integer("added_by_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.articleId] }), index("thread_articles_article_idx").on(t.articleId)],
);

export const evidenceNotes = sqliteTable(
  "evidence_notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    bodyMarkdown: text("body_markdown").notNull(),
    bodyHtml: text("body_html").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("evidence_notes_post_idx").on(t.postId)],
);

export const reactionKinds = ["helpful", "me-too", "support"] as const;

export const reactions = sqliteTable(
  "reactions",
  {
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id),
    kind: text("kind", { enum: reactionKinds }).notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.kind, t.userId] }), index("reactions_user_idx").on(t.userId)],
);

export const follows = sqliteTable(
  "follows",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    threadId: integer("thread_id")
      .notNull()
      .references(() => threads.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.threadId] }), index("follows_thread_idx").on(t.threadId)],
);

// Boards a member watches: each new thread there notifies them (app/models/board-watches.server.ts).
// The second index serves "who watches this board" when a thread starts.
export const boardWatches = sqliteTable(
  "board_watches",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    boardId: integer("board_id")
      .notNull()
      .references(() => boards.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.boardId] }), index("board_watches_board_idx").on(t.boardId)],
);

// How a member hears about each kind of notification (docs/decisions/038); a kind with no row has
// its default. `updatedAt` voids unsubscribe links issued before the last change of that kind.
export const notificationKinds = ["replies", "mentions", "followed", "watched", "moderation", "messages"] as const;
export type NotificationPrefKind = (typeof notificationKinds)[number];
export const deliveries = ["now", "daily", "weekly", "site"] as const;
export type Delivery = (typeof deliveries)[number];
export const mailPreferences = sqliteTable(
  "mail_preferences",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    delivery: text("delivery", { enum: deliveries }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

// When each member's daily and weekly digest is next due (docs/decisions/039). A row exists only
// while some kind is delivered in that period; the sweep finds due rows by the next_at index.
// `since` starts the window the next digest covers: the last one's time, or when the schedule began.
export const digestPeriods = ["daily", "weekly"] as const;
export type DigestPeriod = (typeof digestPeriods)[number];
export const mailDigests = sqliteTable(
  "mail_digests",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    period: text("period", { enum: digestPeriods }).notNull(),
    nextAt: integer("next_at", { mode: "timestamp_ms" }).notNull(),
    since: integer("since", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.period] }), index("mail_digests_next_idx").on(t.nextAt)],
);

// The moderators' curated list of symptoms and treatments, and up to five per thread
// (app/models/tags.server.ts). The second index serves a tag's threads across boards (its feed).
export const tags = sqliteTable("tags", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const threadTags = sqliteTable(
  "thread_tags",
  {
    threadId: integer("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    tagId: integer("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.tagId] }), index("thread_tags_tag_idx").on(t.tagId, t.threadId)],
);

// Posts a member saved to find again. The primary key makes saving idempotent and answers "which
// of these posts has the viewer saved" for a thread page; the second index serves /saved, newest
// first (post_id breaks ties, so the order and the pages are stable without a sort).
export const savedPosts = sqliteTable(
  "saved_posts",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.postId] }), index("saved_posts_user_created_idx").on(t.userId, t.createdAt, t.postId)],
);

export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // "reply" is one unread row per member per thread, grouping its new replies (docs/decisions/037).
    kind: text("kind", { enum: ["reply", "quote", "mention", "moderation", "message", "thread"] }).notNull(),
    actorId: integer("actor_id").references(() => users.id),
    threadId: integer("thread_id").references(() => threads.id),
    postId: integer("post_id").references(() => posts.id),
    // A private conversation's notice: its words are never copied here (docs/decisions/033).
    conversationId: integer("conversation_id").references(() => conversations.id),
    text: text("text"),
    createdAt: createdAt(),
    readAt: integer("read_at", { mode: "timestamp_ms" }),
    // When the mail sweep looks at this row (null: done), and when it went out in a mail
    // (docs/decisions/038). A regrouped reply row keeps both from the row it replaces.
    mailDueAt: integer("mail_due_at", { mode: "timestamp_ms" }).$defaultFn(() => new Date(Date.now() + MAIL_DELAY_MS)),
    mailedAt: integer("mailed_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("notifications_user_idx").on(t.userId, t.id),
    index("notifications_mail_due_idx")
      .on(t.mailDueAt)
      .where(sql`${t.mailDueAt} is not null`),
    index("notifications_unread_idx")
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
    // One notification per member per post: a reply that also mentions you is one event.
    uniqueIndex("notifications_once_per_post_idx")
      .on(t.userId, t.postId)
      .where(sql`${t.postId} is not null and ${t.kind} != 'moderation'`),
    // One unread notice per member per conversation, however many messages arrive.
    uniqueIndex("notifications_one_unread_conversation_idx")
      .on(t.userId, t.conversationId)
      .where(sql`${t.kind} = 'message' and ${t.readAt} is null`),
  ],
);

// The last post number each member has read in each thread.
export const threadReads = sqliteTable(
  "thread_reads",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    threadId: integer("thread_id")
      .notNull()
      .references(() => threads.id),
    lastReadNumber: integer("last_read_number").notNull(),
    updatedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.threadId] })],
);

export const mutes = sqliteTable(
  "mutes",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    mutedUserId: integer("muted_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.mutedUserId] })],
);

// A block is stronger than a mute: no messages, mentions or replies between the two (decision 032).
export const blocks = sqliteTable(
  "blocks",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    blockedUserId: integer("blocked_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.blockedUserId] }), index("blocks_blocked_idx").on(t.blockedUserId)],
);

// Private conversations (docs/decisions/033, app/models/conversations.server.ts). Counters are kept
// in the message's transaction; each member's row carries the newest message's id and time, so the
// inbox and the header's unread count read one index of one table.
export const conversations = sqliteTable("conversations", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  subject: text("subject").notNull(),
  startedById: integer("started_by_id")
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
  lastMessageAt: integer("last_message_at", { mode: "timestamp_ms" }).notNull(),
  messageCount: integer("message_count").notNull().default(0),
});

export const conversationMembers = sqliteTable(
  "conversation_members",
  {
    conversationId: integer("conversation_id")
      .notNull()
      .references(() => conversations.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    // Who brought them in later; null for everyone the conversation started with.
    addedById: integer("added_by_id").references(() => users.id),
    joinedAt: integer("joined_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    lastMessageId: integer("last_message_id").notNull().default(0),
    lastMessageAt: integer("last_message_at", { mode: "timestamp_ms" }).notNull(),
    lastReadMessageId: integer("last_read_message_id").notNull().default(0),
    // Leaving is for good: the conversation is gone from their list and pages, and nobody can add them back.
    leftAt: integer("left_at", { mode: "timestamp_ms" }),
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

export const messages = sqliteTable(
  "messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    conversationId: integer("conversation_id")
      .notNull()
      .references(() => conversations.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    bodyMarkdown: text("body_markdown").notNull(),
    bodyHtml: text("body_html").notNull(),
    createdAt: createdAt(),
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
    removedById: integer("removed_by_id").references(() => users.id),
    removalReason: text("removal_reason"),
    // Erased by its author, alone or with their account (the words are gone, the row keeps the place).
    deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("messages_conversation_idx").on(t.conversationId, t.id), index("messages_author_idx").on(t.authorId, t.createdAt)],
);

// A participant's report of a message: the only way a moderator may read a conversation.
export const messageReports = sqliteTable(
  "message_reports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    messageId: integer("message_id")
      .notNull()
      .references(() => messages.id),
    conversationId: integer("conversation_id")
      .notNull()
      .references(() => conversations.id),
    reporterId: integer("reporter_id")
      .notNull()
      .references(() => users.id),
    reason: text("reason", { enum: reportReasons }).notNull(),
    note: text("note"),
    status: text("status", { enum: ["open", "resolved"] })
      .notNull()
      .default("open"),
    createdAt: createdAt(),
    resolvedById: integer("resolved_by_id").references(() => users.id),
    resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
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

// Every time a moderator opened a reported conversation: who, when, after which report.
export const conversationAccessLog = sqliteTable(
  "conversation_access_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    conversationId: integer("conversation_id")
      .notNull()
      .references(() => conversations.id),
    moderatorId: integer("moderator_id")
      .notNull()
      .references(() => users.id),
    reportId: integer("report_id")
      .notNull()
      .references(() => messageReports.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("conversation_access_log_conversation_idx").on(t.conversationId, t.createdAt),
    index("conversation_access_log_moderator_idx").on(t.moderatorId, t.conversationId, t.createdAt),
    index("conversation_access_log_created_idx").on(t.createdAt),
  ],
);

// A member's choice per kind of content warning (always show, always hide); no row means collapsed.
export const warningPreferences = sqliteTable(
  "warning_preferences",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: warningKinds }).notNull(),
    choice: text("choice", { enum: warningChoices }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

// Server-side drafts. key is "thread:<board slug>", "reply:<thread id>", "edit:<post id>",
// "message:<conversation id>" or "message:new" (also "message:new:<username>", from a profile).
export const drafts = sqliteTable(
  "drafts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    title: text("title"),
    body: text("body").notNull(),
    // The content warning chosen in the form, kept with the text.
    warningKind: text("warning_kind", { enum: warningKinds }),
    warningText: text("warning_text"),
    // A new private message's "To" field, as typed (null for every other form).
    recipients: text("recipients"),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("drafts_user_key_idx").on(t.userId, t.key)],
);

// Text posted after a session expired, held for one hour until its writer logs in again.
// Keyed by the sha-256 of a random token (the token itself travels only in the login URL);
// single use. There is no user yet, so it cannot live in `drafts`.
export const pendingDrafts = sqliteTable(
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

// A suspended member's request for review. `suspendedAt` names the suspension it is about (the
// member's suspended_at when they asked), so a later suspension can be appealed afresh. One open
// appeal per suspension; the appeal text is between the member and moderators, never on the
// public log.
export const appealStatuses = ["open", "granted", "denied"] as const;

export const appeals = sqliteTable(
  "appeals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    suspendedAt: integer("suspended_at", { mode: "timestamp_ms" }).notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: appealStatuses }).notNull().default("open"),
    createdAt: createdAt(),
    decidedById: integer("decided_by_id").references(() => users.id),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    // The moderator's answer, shown to the member on their suspension notice.
    reply: text("reply"),
  },
  (t) => [
    // The moderators' queue (oldest first) and the header's count.
    index("appeals_open_idx")
      .on(t.createdAt)
      .where(sql`${t.status} = 'open'`),
    // The member's latest appeal for their current suspension.
    index("appeals_user_idx").on(t.userId, t.suspendedAt, t.id),
    uniqueIndex("appeals_one_open_per_suspension_idx")
      .on(t.userId, t.suspendedAt)
      .where(sql`${t.status} = 'open'`),
  ],
);

// The suspended member has no session (suspension ends them all), so logging in with the right
// password hands the notice one of these: random, single use, one hour; only its sha-256 is stored.
export const appealTokens = sqliteTable(
  "appeal_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("appeal_tokens_user_idx").on(t.userId), index("appeal_tokens_expires_idx").on(t.expiresAt)],
);

// "Forgot your password?" links. Only the sha-256 of the token is stored (the token itself travels
// only in the email); each works once, for an hour, and only a member's newest link works.
export const passwordResets = sqliteTable(
  "password_resets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("password_resets_user_idx").on(t.userId)],
);

// Rate-limit counters (rate-limiter-flexible's Drizzle store): "<limiter>:<key>", points used in
// the window, and when the window ends. In the database so a restart or a second server does not
// hand anyone a fresh allowance.
export const rateLimits = sqliteTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: integer("expire", { mode: "timestamp_ms" }),
});

// A member's passkeys (WebAuthn credentials, docs/decisions/029). The id is the credential id
// (base64url) the authenticator chose; public_key is its COSE key. counter is the signature count
// (32-bit unsigned, so bigint on PostgreSQL); transports a comma list; name "Chrome on Linux".
export const passkeys = sqliteTable(
  "passkeys",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    publicKey: blob("public_key", { mode: "buffer" }).notNull(),
    counter: integer("counter").notNull().default(0),
    transports: text("transports").notNull().default(""),
    name: text("name").notNull(),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("passkeys_user_idx").on(t.userId)],
);

export const webauthnPurposes = ["register", "login"] as const;

// Challenges handed out for adding a passkey or logging in with one: in the database, since the
// answer may reach another app server. Single use, five minutes; a login's has no member yet.
export const webauthnChallenges = sqliteTable(
  "webauthn_challenges",
  {
    id: text("id").primaryKey(),
    challenge: text("challenge").notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: webauthnPurposes }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("webauthn_challenges_expires_idx").on(t.expiresAt)],
);

// How long a notification waits before the mail sweep considers it: one read on the site in the
// meantime means no mail, and replies that come together go out together (docs/decisions/038).
// NOTIFICATION_MAIL_DELAY_SECONDS, default five minutes.
const mailDelaySeconds = Number(process.env.NOTIFICATION_MAIL_DELAY_SECONDS || 300);
export const MAIL_DELAY_MS = (Number.isFinite(mailDelaySeconds) && mailDelaySeconds >= 0 ? mailDelaySeconds : 300) * 1000;
export const mailKinds = ["password-reset", "email-confirm", "email-change-notice", "notification", "digest"] as const;
export type MailKind = (typeof mailKinds)[number];

// The durable mail outbox (docs/decisions/035): a message is written in the transaction of the event
// that causes it, then a worker claims it (claim_token, until lease_until), sends it and marks it
// sent, or retries after send_after. `key` names it for good: its Message-ID and its .eml file.
// The text and html are emptied once it is sent or has failed: a reset link lives here only until then.
export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull().unique(),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    recipient: text("recipient").notNull(),
    kind: text("kind", { enum: mailKinds }).notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    createdAt: createdAt(),
    sendAfter: integer("send_after", { mode: "timestamp_ms" }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    claimToken: text("claim_token"),
    leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    failedAt: integer("failed_at", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    // The signed one-click unsubscribe address (RFC 8058) sent as List-Unsubscribe, for mail a member can turn off.
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

// Links that confirm an email address (docs/decisions/036): the address they confirm (the member's
// own, or the one they are changing to), only the token's sha-256, 48 hours, single use; only the
// newest link a member was sent works.
export const emailConfirmations = sqliteTable(
  "email_confirmations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    address: text("address").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("email_confirmations_user_idx").on(t.userId)],
);

// Secrets every app server must share, made once by whichever needs one first (insert if absent,
// then read): the key that signs unsubscribe links when UNSUBSCRIBE_SECRET is unset (docs/decisions/040).
export const siteSecrets = sqliteTable("site_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
});

export type User = typeof users.$inferSelect;
export type Board = typeof boards.$inferSelect;
export type Thread = typeof threads.$inferSelect;
export type Post = typeof posts.$inferSelect;
export type Article = typeof articles.$inferSelect;
