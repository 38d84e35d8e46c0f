import Database from "better-sqlite3";
import { eq, like } from "drizzle-orm";
import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import { bestEffort, databasePath, db, isUnavailable, transaction } from "./client.ts";
import { usesPostgres } from "./dialect.ts";
import { rateLimits } from "./schema.ts";

// rate_limits is a plain key/value table nothing else in this file touches.
const keys = async () => (await db.select({ key: rateLimits.key }).from(rateLimits).where(like(rateLimits.key, "t:%"))).map((r) => r.key).sort();
const put = (key: string) => transaction((tx) => tx.insert(rateLimits).values({ key, points: 1 }));
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

/**
 * Another process's hold on the lock a write needs: a second connection in an open write
 * transaction (SQLite: the database's write lock; PostgreSQL: rate_limits locked against writes).
 */
async function holdLock() {
  if (usesPostgres()) {
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    await other.query("begin");
    await other.query("lock table rate_limits in exclusive mode");
    await other.query("insert into rate_limits (key, points) values ('t:uncommitted', 1)");
    return async () => {
      await other.query("rollback");
      await other.end();
    };
  }
  const other = new Database(databasePath());
  other.exec("BEGIN IMMEDIATE");
  other.prepare("insert into rate_limits (key, points) values ('t:uncommitted', 1)").run();
  return async () => {
    other.exec("ROLLBACK");
    other.close();
  };
}

async function failure(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

beforeEach(async () => {
  await transaction((tx) => tx.delete(rateLimits).where(like(rateLimits.key, "t:%")));
});

describe("transaction()", () => {
  it("commits every statement together, or none of them when the work fails", async () => {
    await transaction(async (tx) => {
      await tx.insert(rateLimits).values({ key: "t:a", points: 1 });
      await tx.insert(rateLimits).values({ key: "t:b", points: 1 });
    });
    const error = await failure(
      transaction(async (tx) => {
        await tx.insert(rateLimits).values({ key: "t:c", points: 1 });
        throw new Error("changed my mind");
      }),
    );
    expect(error.message).toBe("changed my mind");
    expect(await keys()).toEqual(["t:a", "t:b"]);
  });

  // On PostgreSQL transactions run side by side and meet at row locks (docs/decisions/020).
  it.skipIf(usesPostgres())("runs this process's transactions one after another, even when their work awaits", async () => {
    const order: string[] = [];
    const first = transaction(async (tx) => {
      order.push("first begins");
      await tick();
      await tx.insert(rateLimits).values({ key: "t:first", points: 1 });
      order.push("first ends");
    });
    const second = transaction(async (tx) => {
      order.push("second begins");
      const [seen] = await tx.select().from(rateLimits).where(eq(rateLimits.key, "t:first"));
      order.push(seen ? "second sees first" : "second sees nothing");
    });
    await Promise.all([first, second]);
    expect(order).toEqual(["first begins", "first ends", "second begins", "second sees first"]);
  });

  it("waits for another process's lock without stopping the event loop, then writes", async () => {
    const release = await holdLock();
    const writing = put("t:after-wait");
    let ticks = 0;
    for (let i = 0; i < 5; i++, ticks++) await tick();
    await release();
    await writing;
    expect(ticks).toBe(5);
    expect(await keys()).toEqual(["t:after-wait"]);
  });

  it("gives up with an 'unavailable' error when the lock stays taken", async () => {
    const release = await holdLock();
    try {
      const error = await failure(put("t:never"));
      expect(isUnavailable(error)).toBe(true);
    } finally {
      await release();
    }
    expect(await keys()).toEqual([]);
  }, 15_000);

  it.runIf(usesPostgres())(
    "runs a unit of work again when PostgreSQL aborts it to break a deadlock",
    async () => {
      await put("t:x");
      await put("t:y");
      let attempts = 0;
      let locked = 0;
      let bothLocked!: () => void;
      const gate = new Promise<void>((resolve) => (bothLocked = resolve));
      // Each takes one row, waits until the other has taken the other row, then wants that one too.
      const swap = (first: string, second: string) =>
        transaction(async (tx) => {
          attempts++;
          await tx.update(rateLimits).set({ points: 2 }).where(eq(rateLimits.key, first));
          if (++locked === 2) bothLocked();
          await gate;
          await tx.update(rateLimits).set({ points: 2 }).where(eq(rateLimits.key, second));
        });
      await Promise.all([swap("t:x", "t:y"), swap("t:y", "t:x")]);
      expect(attempts).toBe(3);
      const rows = await db.select().from(rateLimits).where(like(rateLimits.key, "t:%"));
      expect(rows.map((r) => [r.key, r.points]).sort()).toEqual([
        ["t:x", 2],
        ["t:y", 2],
      ]);
    },
    15_000,
  );

  it("refuses a transaction opened inside another: the inner work must use the outer tx", async () => {
    const error = await failure(transaction(() => put("t:nested")));
    expect(error.message).toMatch(/inside a transaction/);
    expect(await keys()).toEqual([]);
  });
});

describe("the module-level db", () => {
  it("reads without waiting for a write in progress, and without seeing it", async () => {
    const release = await holdLock();
    try {
      expect(await keys()).toEqual([]);
    } finally {
      await release();
    }
  });

  it("refuses writes, which belong in a transaction", async () => {
    const error = await failure(Promise.resolve().then(() => db.insert(rateLimits).values({ key: "t:direct", points: 1 })));
    expect(error.message).toMatch(/writes go through transaction/);
    expect(await keys()).toEqual([]);
  });

  it("refuses a read inside a transaction, which would miss the transaction's own writes", async () => {
    const error = await failure(
      transaction(async (tx) => {
        await tx.insert(rateLimits).values({ key: "t:unseen", points: 1 });
        return keys();
      }),
    );
    expect(error.message).toMatch(/inside a transaction/);
  });

  it("may be read by work a transaction left behind, once it has committed", async () => {
    let later!: Promise<string[]>;
    await transaction(async (tx) => {
      await tx.insert(rateLimits).values({ key: "t:committed", points: 1 });
      later = tick().then(keys);
    });
    expect(await later).toEqual(["t:committed"]);
  });
});

describe("bestEffort()", () => {
  it("writes when the lock is free", async () => {
    await bestEffort((tx) => tx.insert(rateLimits).values({ key: "t:marker", points: 1 }));
    expect(await keys()).toEqual(["t:marker"]);
  });

  it("skips at once, without an error, while another process holds the lock", async () => {
    const release = await holdLock();
    try {
      await bestEffort((tx) => tx.insert(rateLimits).values({ key: "t:skipped", points: 1 }));
    } finally {
      await release();
    }
    expect(await keys()).toEqual([]);
  });

  // SQLite's process-wide write turn; PostgreSQL has none to skip for.
  it.skipIf(usesPostgres())("skips while this process is in the middle of a transaction", async () => {
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const writing = transaction(async (tx) => {
      entered();
      await tick();
      await tx.insert(rateLimits).values({ key: "t:main", points: 1 });
    });
    await inside;
    await bestEffort((tx) => tx.insert(rateLimits).values({ key: "t:skipped", points: 1 }));
    await writing;
    expect(await keys()).toEqual(["t:main"]);
  });
});
