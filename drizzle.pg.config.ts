import { defineConfig } from "drizzle-kit";

// PostgreSQL twin of drizzle.config.ts: `npm run db:generate:pg` writes migrations/pg from db/schema.pg.ts.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.pg.ts",
  out: "./migrations/pg",
  dbCredentials: { url: process.env.DATABASE_URL ?? "" },
});
