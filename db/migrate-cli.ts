// `npm run db:migrate`: apply migrations and the idempotent seed without starting the server.
import { closeDatabase, databasePath, migrateDatabase } from "./client.ts";
import { seed } from "./seed.ts";

await migrateDatabase();
await seed();
await closeDatabase();
console.log(`Migrated and seeded ${databasePath()}`);
