/**
 * The daily and weekly digest mail (docs/decisions/039), through the same `render` as every other
 * template: a fixed subject per period (never a title or a post's words), short plain-text
 * excerpts in the body, and a footer with the settings page and the one-click unsubscribe link.
 */
import type { DigestPeriod } from "../../db/schema.ts";
import type { DigestContent, DigestItem } from "../models/digest-content.server.ts";
import { type Part, render, settingsFooter } from "./mail-templates.server.ts";

const DIGEST_SUBJECTS: Record<DigestPeriod, string> = {
  daily: "Your daily Unclench digest",
  weekly: "Your weekly Unclench digest",
};

function section(heading: string, items: DigestItem[], origin: string): Part[] {
  if (items.length === 0) return [];
  return [heading, ...items.flatMap((item): Part[] => [item.excerpt ? `${item.headline}\n${item.excerpt}` : item.headline, { link: origin + item.href }])];
}

export function digestMail({
  username,
  period,
  digest,
  origin,
  unsubscribeUrl,
}: {
  username: string;
  period: DigestPeriod;
  digest: DigestContent;
  origin: string;
  unsubscribeUrl: string;
}) {
  const since = period === "daily" ? "since yesterday's digest" : "over the past week";
  return render("digest", DIGEST_SUBJECTS[period], [
    `Hello ${username},`,
    `Here is what happened on Unclench ${since}.`,
    ...(digest.summary ? [`For you: ${digest.summary}.`] : []),
    ...section("Addressed to you:", digest.addressed, origin),
    ...section("Threads you follow:", digest.followed, origin),
    ...section("New threads in boards you watch:", digest.watched, origin),
    ...section("Most supported posts in your boards:", digest.best, origin),
    ...settingsFooter(origin, `these ${period} digests`, unsubscribeUrl),
  ]);
}
