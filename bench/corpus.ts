// Deterministic text for the benchmark forum: a seeded PRNG, member names, thread titles and
// markdown bodies that read like this community (so search and page sizes are realistic).
// Shared by bench/seed.ts (writes it) and bench/run.ts (logs in, searches for it).

/** Every bench member has this password, so the reply loop can log in as anyone. */
export const BENCH_PASSWORD = "bench-password-not-for-production";
export const BENCH_EMAIL_DOMAIN = "bench.example.org";

/** Terms most bodies contain, and terms that appear in exactly one pooled body each. */
export const COMMON_TERMS = ["cramp", "night", "stretch", "magnesium", "sleep"];
export const RARE_TERMS = ["dantrolene", "myokymia", "hypnopompic", "isokinetic", "tetany", "electromyography"];

/**
 * Who writes: member i of n is drawn as floor(n * u^AUTHOR_SKEW), so a few members write a lot
 * (the usual forum long tail). The bench draws its reply authors the same way.
 */
export const AUTHOR_SKEW = 2.2;

/** mulberry32: tiny, fast, and the same sequence on every machine for a given seed. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next() {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number) {
    return this.next() < p;
  }
  /** Exponential with the given mean. */
  exp(mean: number) {
    return -Math.log(1 - this.next()) * mean;
  }
}

const ADJECTIVES = [
  "quiet",
  "steady",
  "gentle",
  "brave",
  "sleepy",
  "warm",
  "patient",
  "sunny",
  "calm",
  "hopeful",
  "tired",
  "kind",
  "slow",
  "bright",
  "soft",
  "wry",
];
const NOUNS = ["fern", "otter", "willow", "heron", "maple", "pebble", "river", "badger", "lark", "moss", "cedar", "finch", "tide", "harbor", "meadow", "wren"];

/** Unique for every i (the number), valid for the signup rules (a-z, 0-9, at most 24 chars). */
export function usernameFor(i: number) {
  return `${ADJECTIVES[i % ADJECTIVES.length]}${NOUNS[Math.floor(i / ADJECTIVES.length) % NOUNS.length]}${i}`;
}

const PARTS = ["calf", "foot", "hamstring", "thigh", "toes", "hand", "back", "neck", "shoulder", "arch of my foot", "shin"];
const TIMES = [
  "at 3 a.m.",
  "every night",
  "after walking",
  "in the morning",
  "during physio",
  "when I sit too long",
  "after a hot shower",
  "on cold days",
  "in the evening",
];
const MEDS = ["baclofen", "tizanidine", "gabapentin", "pregabalin", "magnesium", "quinine", "diazepam", "vitamin D", "amitriptyline", "CBD oil"];
const CONDITIONS = [
  "MS spasticity",
  "fibromyalgia",
  "neuropathy",
  "night cramps",
  "leg cramps",
  "spasms",
  "restless legs",
  "stiffness",
  "nerve pain",
  "fibro flares",
];
const HELPERS = [
  "a heat pad",
  "gentle stretching",
  "a warm bath",
  "drinking more water",
  "a foam roller",
  "compression socks",
  "a short walk",
  "yoga",
  "a massage ball",
  "magnesium spray",
  "pointing my toes up",
];
const FEELINGS = ["exhausted", "frustrated", "hopeful", "relieved", "worn out", "anxious", "grateful", "stuck"];
const PLACES = ["park", "library", "market", "beach", "garden centre", "café on the corner", "shops"];
const PEOPLE = ["partner", "sister", "neighbour", "daughter", "son", "best friend", "GP", "husband", "wife"];
const PLANTS = ["tomatoes", "lavender", "sweet peas", "strawberries", "sunflowers"];
const SOURCES = ["magazine", "newsletter", "podcast", "library book", "support group leaflet"];
const SEASONS = ["winter", "late autumn", "the hot summer", "early spring"];
const DURATIONS = ["two weeks", "a month", "six months", "a year", "three years", "a decade", "since spring"];

const SENTENCES: Array<(r: Rng) => string> = [
  (r) => `My ${r.pick(PARTS)} cramps up ${r.pick(TIMES)} and it takes ages to let go.`,
  (r) => `I've been on ${r.pick(MEDS)} for ${r.pick(DURATIONS)} and the cramps are a little better.`,
  (r) => `Has anyone tried ${r.pick(HELPERS)} for ${r.pick(CONDITIONS)}?`,
  (r) => `What helps me most is ${r.pick(HELPERS)} before bed, then a slow stretch of the ${r.pick(PARTS)}.`,
  (r) => `Honestly I feel ${r.pick(FEELINGS)} today; the ${r.pick(PARTS)} spasm woke me ${r.pick(TIMES)}.`,
  (r) => `My neurologist suggested ${r.pick(MEDS)}, but I'm worried about the side effects.`,
  (r) => `The first week on ${r.pick(MEDS)} made me sleepy, and that eased after a while.`,
  (r) => `Stretching the ${r.pick(PARTS)} against a wall for thirty seconds stops most cramps for me.`,
  (r) => `I keep a glass of water and ${r.pick(HELPERS)} by the bed for the bad nights.`,
  (r) => `With ${r.pick(CONDITIONS)} the worst part is not knowing when the next spasm will come.`,
  (r) => `Thank you all for sharing, it helps to know I'm not the only one with ${r.pick(CONDITIONS)}.`,
  (r) => `My physio showed me how to ease the ${r.pick(PARTS)} slowly instead of forcing it.`,
  (r) => `Cold weather makes my ${r.pick(CONDITIONS)} much worse, so I layer up and move often.`,
  (r) => `I track my cramps in a diary; they cluster ${r.pick(TIMES)}.`,
  () => `Sleep is the hardest part: one cramp and I'm awake for hours.`,
  () => `Please ask your doctor or pharmacist before changing any dose, this is just my experience.`,
  (r) => `After ${r.pick(DURATIONS)} of trial and error, ${r.pick(HELPERS)} is what finally stuck.`,
  (r) => `Some days the spasms are mild, other days my ${r.pick(PARTS)} locks completely.`,
  () => `I found that caffeine late in the day makes the night cramps worse.`,
  (r) => `Sending you a gentle hug, I know how ${r.pick(FEELINGS)} those nights leave you.`,
];

// Everyday talk without the topic words: most of a real post is this, which keeps the common
// search terms at realistic densities (in a fifth to a half of posts) instead of in every post.
const EVERYDAY: Array<(r: Rng) => string> = [
  (r) => `We went to the ${r.pick(PLACES)} yesterday and I managed the whole afternoon.`,
  (r) => `My ${r.pick(PEOPLE)} has been wonderful about driving me to appointments.`,
  (r) => `I started a little garden this year, mostly herbs and ${r.pick(PLANTS)}.`,
  () => `Work has been hard lately; my manager is understanding but the commute wears me out.`,
  () => `Welcome! You'll find people here who really get it.`,
  (r) => `I read about this in a ${r.pick(SOURCES)} and thought of this thread.`,
  (r) => `Does anyone else find that ${r.pick(SEASONS)} is the hardest time of year?`,
  (r) => `Small wins: I walked to the ${r.pick(PLACES)} and back without stopping.`,
  () => `I'm trying to be kinder to myself on the slow days.`,
  (r) => `Our ${r.pick(PEOPLE)} sent a card and it made my week.`,
  () => `I keep notes on my phone so I remember what to ask at the next appointment.`,
  (r) => `The waiting list for the clinic is ${r.pick(DURATIONS)} here, which is frustrating.`,
  (r) => `I've been listening to audiobooks in the evenings; ${r.pick(SOURCES)} recommendations welcome.`,
  () => `It helps to pace myself: one big task a day and plenty of rest in between.`,
  () => `Thank you for the kind replies, I read every one of them.`,
  (r) => `My ${r.pick(PEOPLE)} doesn't really understand, but they try.`,
  () => `I finally found shoes that are comfortable enough for a full day.`,
  () => `The weather changed again and my whole body noticed.`,
  (r) => `I have an appointment with a new specialist in ${r.pick(DURATIONS)}.`,
  () => `Some mornings I need an hour before I can get going.`,
];

function sentence(r: Rng) {
  let s = r.pick(r.chance(0.2) ? SENTENCES : EVERYDAY)(r);
  // A little emphasis, the way members write.
  if (r.chance(0.06)) s = s.replace(/(\w+ \w+)([.?])$/, "**$1**$2");
  else if (r.chance(0.05)) s = s.replace(/^(\w+ \w+)/, "*$1*");
  return s;
}

function paragraph(r: Rng) {
  const n = r.int(1, 4);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(sentence(r));
  return out.join(" ");
}

function block(r: Rng) {
  const roll = r.next();
  if (roll < 0.1) return Array.from({ length: r.int(2, 5) }, () => `- ${r.pick(HELPERS)} ${r.pick(TIMES)}`).join("\n");
  if (roll < 0.14) return Array.from({ length: r.int(2, 4) }, (_, i) => `${i + 1}. ${sentence(r)}`).join("\n");
  if (roll < 0.2) return `> ${sentence(r)}`;
  if (roll < 0.24) return `[This leaflet on ${r.pick(CONDITIONS)}](https://example.org/leaflets/${r.int(1, 500)}) explained it well.`;
  if (roll < 0.26) return `## What helped me`;
  return paragraph(r);
}

/** A markdown body of about `target` characters (100–3,000), optionally carrying one rare term. */
export function makeBody(r: Rng, target: number, rareTerm?: string) {
  const blocks: string[] = [];
  let length = 0;
  while (length < target) {
    const b = block(r);
    if (length + b.length + 2 > 3000 && length >= 100) break;
    blocks.push(b);
    length += b.length + 2;
  }
  if (rareTerm) blocks.splice(Math.min(1, blocks.length), 0, `My neurologist mentioned ${rareTerm}; has anyone heard of it?`);
  return blocks.join("\n\n").slice(0, 3000);
}

/** Body lengths are log-uniform between 100 and 3,000 characters: mostly short, a long tail. */
export function bodyLength(r: Rng) {
  return Math.round(100 * Math.pow(30, r.next()));
}

const TITLES: Array<(r: Rng) => string> = [
  (r) => `${cap(r.pick(PARTS))} cramps ${r.pick(TIMES)}, anyone else?`,
  (r) => `Does ${r.pick(MEDS)} help with ${r.pick(CONDITIONS)}?`,
  (r) => `${cap(r.pick(DURATIONS))} of ${r.pick(CONDITIONS)}: what finally helped`,
  (r) => `New here, living with ${r.pick(CONDITIONS)}`,
  (r) => `Tips for ${r.pick(CONDITIONS)} ${r.pick(TIMES)}`,
  (r) => `Side effects from ${r.pick(MEDS)}?`,
  (r) => `Feeling ${r.pick(FEELINGS)} after a bad week`,
  (r) => `${cap(r.pick(HELPERS))} for ${r.pick(CONDITIONS)}: worth it?`,
];

function cap(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function makeTitle(r: Rng) {
  return r.pick(TITLES)(r);
}

export function replyBody(n: number) {
  return `Benchmark reply ${n}: a **warm bath** and a slow calf stretch helped me last night.`;
}
