import { and, desc, eq, inArray, type SQL } from "drizzle-orm";
import { db } from "../../db/client.ts";
import { articles, posts, threadTags, threads, users } from "../../db/schema.ts";
import { warnedExcerpt, warningLabel } from "../utils/content-warnings.ts";
import { getBoard, requireReadableBoard } from "./boards.server.ts";
import { getTag } from "./tags.server.ts";
import { canReadPostText, threadOpenSql } from "./visibility.server.ts";

export const FEED_ENTRIES = 20;

/*
 * Atom (RFC 4287) written by hand rather than with the `feed` package: that package puts
 * titles and HTML in CDATA sections without splitting a "]]>" inside them, and passes control
 * characters through, so a thread titled "]]><x>" would break the document. Here every text
 * and attribute is escaped, and characters XML 1.0 forbids are dropped.
 */

// Characters XML 1.0 does not allow anywhere in a document (even escaped).
const XML_INVALID = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

export function escapeXml(value: string) {
  return value.replace(XML_INVALID, "").replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch]!);
}

type Entry = {
  id: string;
  title: string;
  link: string;
  published: Date;
  updated: Date;
  author: string;
  /** Sanitized HTML from markdown.server.ts (stored), sent escaped as type="html". */
  contentHtml?: string | null;
  summary?: string | null;
};

type FeedInput = { id: string; title: string; subtitle?: string; selfUrl: string; pageUrl: string; updated: Date; entries: Entry[] };

function renderAtom(feed: FeedInput) {
  const el = (name: string, text: string, attrs = "") => `<${name}${attrs}>${escapeXml(text)}</${name}>`;
  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">`,
    `  ${el("id", feed.id)}`,
    `  ${el("title", feed.title)}`,
    ...(feed.subtitle ? [`  ${el("subtitle", feed.subtitle)}`] : []),
    `  ${el("updated", feed.updated.toISOString())}`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(feed.pageUrl)}"/>`,
    `  <author><name>Unclench</name></author>`,
    `  <generator>Unclench</generator>`,
  ];
  for (const entry of feed.entries) {
    lines.push(
      `  <entry>`,
      `    ${el("id", entry.id)}`,
      `    ${el("title", entry.title)}`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(entry.link)}"/>`,
      `    ${el("published", entry.published.toISOString())}`,
      `    ${el("updated", entry.updated.toISOString())}`,
      `    <author>${el("name", entry.author)}</author>`,
      ...(entry.summary ? [`    ${el("summary", entry.summary)}`] : []),
      ...(entry.contentHtml ? [`    ${el("content", entry.contentHtml, ' type="html"')}`] : []),
      `  </entry>`,
    );
  }
  lines.push(`</feed>`, "");
  return lines.join("\n");
}

/** Stable entry ids that survive a change of host name (RFC 4151 tag URIs). */
function tag(origin: string, specific: string) {
  const host = new URL(origin).hostname;
  return `tag:${host},2025:${specific}`;
}

/** A board's newest threads as a visitor sees them (visibility.server.ts), the opening post as content where its words show. */
export async function boardFeed(slug: string, origin: string) {
  const board = requireReadableBoard(null, await getBoard(slug));
  return renderAtom({
    id: tag(origin, `board:${board.slug}`),
    title: `${board.name} — Unclench`,
    subtitle: board.description,
    selfUrl: `${origin}/boards/${board.slug}/feed`,
    pageUrl: `${origin}/boards/${board.slug}`,
    ...(await threadEntries(origin, eq(threads.boardId, board.id))),
  });
}

/** The newest threads with a tag, across boards, as a visitor sees them. */
export async function tagFeed(slug: string, origin: string) {
  const found = await getTag(slug);
  const tagged = inArray(threads.id, db.select({ id: threadTags.threadId }).from(threadTags).where(eq(threadTags.tagId, found.id)));
  return renderAtom({
    id: tag(origin, `tag:${found.slug}`),
    title: `${found.name} — Unclench`,
    subtitle: `New threads tagged ${found.name}.`,
    selfUrl: `${origin}/tags/${found.slug}/feed`,
    pageUrl: `${origin}/tags/${found.slug}`,
    ...(await threadEntries(origin, tagged)),
  });
}

async function threadEntries(origin: string, which: SQL) {
  const rows = await db
    .select({
      id: threads.id,
      title: threads.title,
      createdAt: threads.createdAt,
      author: users.username,
      bodyHtml: posts.bodyHtml,
      editedAt: posts.editedAt,
      authorId: threads.authorId,
      postRemovedAt: posts.removedAt,
      postDeletedAt: posts.deletedAt,
      postHeldAt: posts.heldAt,
      warningKind: posts.warningKind,
      warningText: posts.warningText,
    })
    .from(threads)
    .innerJoin(users, eq(users.id, threads.authorId))
    .leftJoin(posts, and(eq(posts.threadId, threads.id), eq(posts.number, 1)))
    .where(and(which, threadOpenSql(null)))
    .orderBy(desc(threads.createdAt), desc(threads.id))
    .limit(FEED_ENTRIES);
  const entries: Entry[] = rows.map((t) => {
    const hidden = !canReadPostText(null, { authorId: t.authorId, deletedAt: t.postDeletedAt, removedAt: t.postRemovedAt, heldAt: t.postHeldAt });
    return {
      id: tag(origin, `thread:${t.id}`),
      title: t.title,
      link: `${origin}/threads/${t.id}`,
      published: t.createdAt,
      updated: (!hidden && t.editedAt) || t.createdAt,
      author: t.author,
      // A feed reader can't hold words behind a label: a warned post is its label, read on the site.
      contentHtml: hidden || t.warningKind ? null : t.bodyHtml,
      summary: !hidden && t.warningKind ? warnedExcerpt(warningLabel(t.warningKind, t.warningText)) : null,
    };
  });
  return { entries, updated: latest(entries) };
}

/** Newly published articles (drafts and archived ones never appear). */
export async function articlesFeed(origin: string) {
  const rows = await db
    .select({
      slug: articles.slug,
      title: articles.title,
      summary: articles.summary,
      author: articles.author,
      publishedAt: articles.publishedAt,
      updatedAt: articles.updatedAt,
    })
    .from(articles)
    .where(eq(articles.status, "published"))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(FEED_ENTRIES);
  const entries: Entry[] = rows.map((a) => ({
    id: tag(origin, `article:${a.slug}`),
    title: a.title,
    link: `${origin}/articles/${a.slug}`,
    published: a.publishedAt ?? a.updatedAt,
    updated: a.updatedAt,
    author: a.author,
    summary: a.summary,
  }));
  return renderAtom({
    id: tag(origin, "articles"),
    title: "Articles — Unclench",
    subtitle: "Reviewed articles about cramps, spasms and spasticity.",
    selfUrl: `${origin}/articles/feed`,
    pageUrl: `${origin}/articles`,
    updated: latest(entries),
    entries,
  });
}

function latest(entries: Entry[]) {
  // An empty feed still needs an <updated>; a fixed date keeps the document stable for caches.
  return entries.reduce((max, e) => (e.updated > max ? e.updated : max), new Date(0));
}
