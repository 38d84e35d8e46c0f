import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const roles = ["member", "moderator", "admin"] as const;
export type Role = (typeof roles)[number];

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  // Stored lower-case: usernames are unique case-insensitively and shown as stored.
  username: text("username").notNull().unique(),
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: roles }).notNull().default("member"),
  createdAt: createdAt(),
});

// lucia v3 session table (shape required by @lucia-auth/adapter-drizzle; expires_at is unix seconds).
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
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
  },
  (t) => [index("threads_board_activity_idx").on(t.boardId, t.lastPostAt)],
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
  },
  (t) => [
    uniqueIndex("posts_thread_number_idx").on(t.threadId, t.number),
    index("posts_author_idx").on(t.authorId, t.createdAt),
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
    // When this version was written (the post's creation or a previous edit).
    writtenAt: integer("written_at", { mode: "timestamp_ms" }).notNull(),
    replacedAt: createdAt(),
  },
  (t) => [index("post_revisions_post_idx").on(t.postId)],
);

export type User = typeof users.$inferSelect;
export type Board = typeof boards.$inferSelect;
export type Thread = typeof threads.$inferSelect;
export type Post = typeof posts.$inferSelect;
