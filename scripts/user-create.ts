// Creates an account from the command line, e.g. the first admin:
//   npm run user:create -- --username alice --email alice@example.org --admin
// The password is read from the UNCLENCH_PASSWORD environment variable, or asked for.
import { parseArgs } from "node:util";
import { createInterface } from "node:readline/promises";
import { eq } from "drizzle-orm";
import { closeDatabase, db, migrateDatabase } from "../db/client.ts";
import { users } from "../db/schema.ts";
import { seed } from "../db/seed.ts";
import { createUser } from "../app/models/users.server.ts";
import { signupSchema } from "../app/utils/schemas.server.ts";

const { values } = parseArgs({
  options: {
    username: { type: "string" },
    email: { type: "string" },
    admin: { type: "boolean", default: false },
    moderator: { type: "boolean", default: false },
  },
});

async function ask(question: string) {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  const answer = await rl.question(question);
  rl.close();
  return answer;
}

await migrateDatabase();
await seed();
const username = values.username ?? (await ask("Username: "));
const email = values.email ?? (await ask("Email: "));
const password = process.env.UNCLENCH_PASSWORD ?? (await ask("Password (8+ characters): "));
const parsed = signupSchema.safeParse({ username, email, password });
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`${issue.path.join(".")}: ${issue.message}`);
  process.exit(1);
}
const role = values.admin ? "admin" : values.moderator ? "moderator" : "member";
const created = await createUser(parsed.data, role);
if (!created.ok) {
  for (const [field, message] of Object.entries(created.errors)) console.error(`${field}: ${message}`);
  process.exit(1);
}
const [row] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, created.user.id)).limit(1);
console.log(`Created ${row?.role} “${created.user.username}” (id ${row?.id}).`);
await closeDatabase();
