import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "./client.ts";
import { boards } from "./schema.ts";

describe("the connection reuses prepared statements", () => {
  it("hands back the statement it prepared before for the same SQL", () => {
    const source = "select slug from boards order by position";
    expect(db.$client.prepare(source)).toBe(db.$client.prepare(source));
  });

  it("hands it back in its default mode after drizzle used it for raw rows", () => {
    // Drizzle reads a select with named fields through stmt.raw() (rows as arrays)...
    const query = db.select({ slug: boards.slug }).from(boards).where(eq(boards.slug, "fibromyalgia"));
    expect(query.get()).toEqual({ slug: "fibromyalgia" });
    // ...and the same text prepared again must give rows as objects, as it did the first time.
    const statement = db.$client.prepare(query.toSQL().sql);
    expect(statement.get(...query.toSQL().params)).toEqual({ slug: "fibromyalgia" });
  });
});
