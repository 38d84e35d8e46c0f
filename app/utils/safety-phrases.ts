/**
 * The reviewed phrase lists behind two gentle safety features:
 *  - RISK: a new post that may mean its author is thinking about suicide or self-harm. The author
 *    sees crisis resources right after posting and a moderator is asked to check in. The post is
 *    published either way, so a false alarm costs a moderator a minute; a miss costs far more.
 *  - DOSING: a post that tells others what dose to take. The composer suggests sharing what worked
 *    for the writer instead. It never blocks.
 *
 * How this list was reviewed: every pattern was written against real ways members of a chronic
 * pain and spasticity community talk. Pain talk is full of death metaphors ("this cramp is killing
 * me", "I could kill for a night's sleep", "dying to try it", "I nearly killed myself tripping
 * over the cat"), so each phrase is matched as a whole expression, and the common figures of
 * speech are listed in NEAR_MISSES and taken out before the RISK patterns are tried. Both the
 * hits and the near-misses are pinned by tests/safety.test.ts.
 *
 * How to change it: add the phrase (lower-case; the text is lower-cased, curly quotes are
 * straightened, markdown emphasis and quoted lines (> …) are removed first) AND a test case: a
 * hit in RISK_EXAMPLES or a near-miss in NOT_RISK_EXAMPLES of tests/safety.test.ts. Ask a second
 * person (ideally a moderator) to review the change; say in the commit message where the phrase
 * came from (a missed post, a false alarm). Keep patterns readable over clever.
 *
 * This file has no server imports, so the composer may also run the checks in the browser.
 * Every pattern here must stay linear on any text (no nested or overlapping quantifiers):
 * tests/linear-scans.test.ts runs them on pathological input ten times the size limit.
 */
import { keepLinkText } from "./link-text.ts";

// Apostrophes are optional because people type "dont", "don't" and "do not".
const NOT = String.raw`(?:don'?t|do not|doesn'?t|does not)`;
const MYSELF = String.raw`(?:myself|my self)`;

/** Figures of speech that look like risk language but are not. Removed before RISK is tried. */
export const NEAR_MISSES: RegExp[] = [
  // Hyperbole about accidents and effort.
  new RegExp(String.raw`\b(?:nearly|almost|practically|basically|just about|could have|could've) kill(?:ed)? ${MYSELF}`, "g"),
  new RegExp(String.raw`\bkill(?:ing|ed)? ${MYSELF} (?:laughing|trying|at work|at the gym|working|to (?:get|finish|keep|make|meet|catch))`, "g"),
  new RegExp(String.raw`\bi'?(?:ll|will) kill ${MYSELF} (?:if|when|before)`, "g"),
  // "Taking my life back" is recovery talk.
  /\btak(?:e|ing) (?:my life back|back my life|my own life back)/g,
  // Not wanting to die is the opposite of the risk.
  new RegExp(String.raw`\b(?:${NOT}|never|didn'?t|did not) (?:want|wanna|wanted) to die`, "g"),
  /\b(?:want|wanted|wanna) to die (?:of|from) (?:embarrassment|shame|laughter|laughing|boredom|cuteness)/g,
  // Things called "suicide" that are not about a person.
  /\bsuicide (?:lanes?|doors?|squad|runs?|sprints?|drills?|shifts?|king|seats?|knot|mission)\b/g,
  // A medicine's leaflet listing a side effect (the member describing their own thoughts is still a hit).
  /\b(?:leaflet|label|insert|warning|warnings|black box|boxed warning|side effects? list)s? (?:says?|lists?|mentions?|warns? (?:about|of)|includes?|about|for) (?:the risk of )?(?:suicid\w*|self[- ]?harm)(?: (?:thoughts|ideation|behaviou?r))?/g,
  // Accidental cuts: tremor and spasms make kitchen and shaving cuts common.
  new RegExp(
    String.raw`\bcut(?:ting)? ${MYSELF} (?:shaving|cooking|chopping|gardening|in the kitchen|by accident|accidentally|on (?:a|the|my) (?:knife|razor|blade|tin|can|paper|glass|mandoline|grater))`,
    "g",
  ),
  // "…fall asleep and not wake up until noon."
  /\band (?:never|not) wake up (?:until|till|til|for|before|in time|on time|rested|refreshed)/g,
];

/** Phrases about suicide or self-harm. Each one is a whole expression, never a single word like "die". */
export const RISK_PATTERNS: RegExp[] = [
  new RegExp(String.raw`\bkill(?:ing|ed)? ${MYSELF}\b`),
  new RegExp(String.raw`\bunaliv(?:e|ing) ${MYSELF}\b`),
  /\bsuicid(?:e|al)\b/,
  /\bend(?:ing)? (?:my|it) (?:own )?life\b/,
  /\bend(?:ing)? it all\b/,
  /\btak(?:e|ing) my (?:own )?life\b/,
  /\b(?:want|wanna|wanted|wanting|ready|just want|longing) to die\b/,
  /\bwish(?:ed)? i (?:was|were|could be) dead\b/,
  /\bwish i could (?:just )?die\b/,
  /\bwish i (?:had never been|was never|were never|wasn'?t) born\b/,
  /\bbetter off dead\b/,
  /\b(?:better off|happier) without me\b/,
  new RegExp(String.raw`\b${NOT} want to (?:be alive|exist|live any ?more|be here any ?more)\b`),
  /\bno (?:reason|point) (?:to|in|of) (?:living|live|going on|being alive)\b/,
  /\b(?:life|living) (?:isn'?t|is not|ain'?t|is no longer|not) worth (?:living|it)\b/,
  /\bnot worth living\b/,
  /\bself[- ]?harm(?:ing)?\b/,
  new RegExp(String.raw`\bharm(?:ing)? ${MYSELF}\b`),
  new RegExp(String.raw`\b(?:hurt|hurting|cut|cutting) ${MYSELF} on purpose\b`),
  new RegExp(String.raw`\b(?:been|started|keep|kept|am) cutting ${MYSELF}\b`),
  /\bstarted cutting again\b/,
  /\boverdos\w* on purpose\b/,
  /\bdeliberately overdos\w*/,
  /\b(?:take|taking|took|swallow|swallowing|swallowed) (?:all (?:of )?my (?:pills|tablets|meds|medication) at once|the whole (?:bottle|pack|packet|box))\b/,
  /\b(?:stockpil\w*|hoard\w*) (?:my |some |all my )?(?:pills|tablets|meds|medication)\b/,
  /\b(?:go to sleep|fall asleep|sleep) and (?:never|not) wake up\b/,
  // Only when the sentence ends there: "I hope I don't wake up with cramps again" is not a hit.
  new RegExp(
    String.raw`\b(?:hope|wish|pray) (?:that )?i (?:${NOT}|never|won'?t|will not|wouldn'?t) wake up(?: again| tonight| tomorrow| any ?more| ever again)?(?=\s*(?:$|[.!?,;:)]))`,
  ),
];

/** Lower-case, straighten quotes, drop quoted lines and markdown emphasis, squeeze spaces. */
export function normalizeForMatching(markdown: string) {
  const unquoted = markdown
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    // Quoted lines are someone else's words; their author was checked when they posted.
    .split("\n")
    .filter((line) => !/^\s{0,3}>/.test(line))
    .join("\n");
  // [link text](url) → link text, by a linear scan (the regex for it is quadratic on many `[`).
  return keepLinkText(unquoted)
    .replace(/[*_~#]+/g, "")
    .replace(/[ \t]+/g, " ");
}

export function detectRisk(markdown: string): boolean {
  let text = normalizeForMatching(markdown);
  for (const nearMiss of NEAR_MISSES) text = text.replace(nearMiss, " ");
  return RISK_PATTERNS.some((pattern) => pattern.test(text));
}

// ---- Dosing advice to others ----

const DOSE_UNITS = String.raw`mg|milligrams?|mcg|micrograms?|µg|ug|g|grams?|ml|mls|iu|units?|tablets?|tabs?|pills?|capsules?|caps|drops?|puffs?`;
/** A quantity of medicine: "20 mg", "2.5mg", "two tablets", "half a pill". */
const DOSE = new RegExp(
  String.raw`(?:\b\d+(?:[.,]\d+)?\s*(?:${DOSE_UNITS})\b|\b(?:one|two|three|four|five|half an?|an?|another|extra) (?:tablets?|pills?|capsules?|tabs?|doses?)\b)`,
);
const YOUR_DOSE = /\b(?:your|ur) (?:dose|dosage|meds|medication|medicine|baclofen|tizanidine|gabapentin|pregabalin|magnesium|quinine)\b/;
const VERB = String.raw`(?:take|try|use|start|increase|raise|up|double|go up|bump|add|lower|halve|cut|drop|stop|taper|switch)`;
const FILLER = String.raw`(?:really|just|definitely|honestly|seriously|also|maybe|probably|totally|def)`;

const DOSING_RULES: RegExp[] = [
  // "you should take…", "you need to up…", "u gotta try…"
  new RegExp(
    String.raw`\b(?:you|u|ya|y'all)\s+(?:${FILLER}\s+)?(?:should|must|need to|needa|have to|gotta|ought to|could|can|might want to|may want to|want to)\s+(?:${FILLER}\s+)?${VERB}\b`,
  ),
  // An instruction at the start of a sentence: "Take 400 mg…", "Just double your dose."
  new RegExp(String.raw`^(?:(?:just|so|then|and|${FILLER}|ok|okay|i'?d say|my advice(?: is)?|trust me),?\s+)*${VERB}\b`),
  // "If I were you I'd go up to 600 mg."
  /\bif i (?:were|was) you\b/,
  // "Have you tried 300 mg of magnesium?"
  /\b(?:have|did) you (?:tried|try|considered)\b/,
];

/** Phrases that fit a rule's shape but are not instructions. */
const DOSING_NEAR_MISSES = [/^take it from me\b/, /^take care\b/];

export function detectDosingAdvice(markdown: string): boolean {
  const sentences = normalizeForMatching(markdown)
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim().replace(/^[-+]\s+|^\d+[.)]\s+/, ""));
  return sentences.some((sentence) => {
    if (!DOSE.test(sentence) && !YOUR_DOSE.test(sentence)) return false;
    if (DOSING_NEAR_MISSES.some((p) => p.test(sentence))) return false;
    return DOSING_RULES.some((rule) => rule.test(sentence));
  });
}
