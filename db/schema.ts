// The tables the models use, for the engine this process runs on (db/dialect.ts). Both schemas
// give the same row types (tests/schema-drift.test.ts), so the models are typed against SQLite's
// and the PostgreSQL tables stand in for them at runtime; the query builders are the same shape.
import { usesPostgres } from "./dialect.ts";
import * as pg from "./schema.pg.ts";
import * as sqliteSchema from "./schema.sqlite.ts";

export {
  appealStatuses,
  boardAccesses,
  deliveries,
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
export type {
  Article,
  ArticleReference,
  Board,
  BoardAccess,
  Delivery,
  MailKind,
  NotificationPrefKind,
  Post,
  Role,
  Thread,
  User,
  Visibility,
  WarningKind,
} from "./schema.sqlite.ts";

const chosen = (usesPostgres() ? pg : sqliteSchema) as unknown as typeof sqliteSchema;

export const {
  users,
  userConditions,
  sessions,
  boards,
  threads,
  posts,
  postRevisions,
  moderationLog,
  reports,
  articles,
  articleBoards,
  articleRevisions,
  threadArticles,
  evidenceNotes,
  reactions,
  follows,
  boardWatches,
  mailPreferences,
  savedPosts,
  tags,
  threadTags,
  notifications,
  threadReads,
  mutes,
  blocks,
  conversations,
  conversationMembers,
  messages,
  messageReports,
  conversationAccessLog,
  warningPreferences,
  drafts,
  pendingDrafts,
  appeals,
  appealTokens,
  passwordResets,
  rateLimits,
  passkeys,
  webauthnChallenges,
  mailOutbox,
  emailConfirmations,
  siteSecrets,
} = chosen;
