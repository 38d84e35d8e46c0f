// `npm run db:migrate`: apply migrations and the idempotent seed without starting the server.
import { closeDatabase, databasePath, migrateDatabase } from "./client.ts";
import { usesPostgres } from "./dialect.ts";
import { seed } from "./seed.ts";

await migrateDatabase();
await seed();
await closeDatabase();
// The URL may hold a password: name the database only.
const where = usesPostgres() ? `the PostgreSQL database ${new URL(process.env.DATABASE_URL!).pathname.slice(1)}` : databasePath();
console.log(`Migrated and seeded ${where}`);
