import { excluded, oneAtATime, transaction } from "./client.ts";
import { boards } from "./schema.ts";
import { seedArticleData, staleArticleHtml } from "./seed-articles.ts";
import { seedTags } from "../app/models/tags.server.ts";

export const seedBoards = [
  {
    slug: "ms-spasticity",
    name: "MS spasticity & spasms",
    description: "Stiffness, spasms and tight muscles with multiple sclerosis: what helps, what doesn't, and how you cope.",
  },
  {
    slug: "fibromyalgia",
    name: "Fibromyalgia",
    description: "Widespread pain, cramps, fatigue and fibro fog. Share what gets you through the day.",
  },
  {
    slug: "neuropathy",
    name: "Neuropathy & nerve-related cramps",
    description: "Cramps and twitches from nerve conditions: peripheral neuropathy, ALS/MND, spinal cord injury and more.",
  },
  {
    slug: "night-leg-cramps",
    name: "Night & leg cramps",
    description: "Waking up with a calf or foot in a knot? Stretches, routines and stories from the small hours.",
  },
  {
    slug: "medications",
    name: "Medications & side effects",
    description: "Experiences with baclofen, tizanidine, gabapentin and others, and medicines that cause cramps. Peer experience, not medical advice.",
  },
  {
    slug: "introductions",
    name: "Introductions & general",
    description: "New here? Say hello. Everyday life with cramps and spasms, and anything that fits nowhere else.",
  },
];

const SEED_LOCK = 7_465_002;

/**
 * Idempotent: safe on every start. Names and descriptions follow this file; counters are kept.
 * Seed articles are only added when missing (see seedArticleData). One transaction: a start
 * never leaves boards without their articles.
 */
export async function seed() {
  const stale = await staleArticleHtml();
  await transaction(async (tx) => {
    // Two servers starting together on one empty database: one seeds, the other then finds it done.
    await oneAtATime(tx, SEED_LOCK);
    for (const [position, board] of seedBoards.entries()) {
      await tx
        .insert(boards)
        .values({ ...board, position })
        .onConflictDoUpdate({
          target: boards.slug,
          set: { name: excluded(boards.name), description: excluded(boards.description), position: excluded(boards.position) },
        });
    }
    await seedArticleData(tx, stale);
    await seedTags(tx);
  });
}
