import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { GuidelinesGate, justAccepted } from "~/components/guidelines-gate.tsx";
import { Time } from "~/components/time.tsx";
import { getGuidelinesAcceptedAt } from "~/models/guidelines.server.ts";
import { NEW_MEMBER_MAX_LINKS, NEW_MEMBER_POSTS } from "~/models/safety.server.ts";
import { getUser } from "~/utils/auth.server.ts";
import styles from "~/styles/safety.css";
import { readOnlyForVisitors } from "~/utils/scripts.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const handle = readOnlyForVisitors;

export const links = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = () => [
  { title: "Community guidelines — Unclench" },
  {
    name: "description",
    content: "How we look after each other on Unclench: experience not medical advice, kindness, no selling, privacy, and help in a crisis.",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return json({
    signedIn: !!user,
    acceptedAt: user ? await getGuidelinesAcceptedAt(user.id) : null,
    maxLinks: NEW_MEMBER_MAX_LINKS,
    newMemberPosts: NEW_MEMBER_POSTS,
  });
}

export default function Guidelines() {
  const { signedIn, acceptedAt, maxLinks, newMemberPosts } = useLoaderData<typeof loader>();
  const thanked = justAccepted(useLocation().search);
  return (
    <div className="guidelines">
      <h1>Community guidelines</h1>
      <p>
        Unclench is a place for people who live with muscle cramps, spasms and spasticity — and the people who care for them — to share what it is like and what
        helps. These guidelines keep it safe, kind and useful. Moderators use them when they decide what stays up.
      </p>

      <section aria-labelledby="g-experience">
        <h2 id="g-experience">Share your experience, not medical advice</h2>
        <ul>
          <li>Tell us what happened to you: what you tried, how it went, and what your own doctor said.</li>
          <li>
            Don't tell other people what dose to take, or to stop or change a medicine. Bodies and conditions are different, and a dose that helped you could
            harm someone else. Say “I take…”, not “you should take…”.
          </li>
          <li>Before you change a treatment, talk to your doctor, nurse or pharmacist.</li>
          <li>If you mention research, link to where you read it, so others can judge it for themselves.</li>
        </ul>
      </section>

      <section aria-labelledby="g-kind">
        <h2 id="g-kind">Be kind</h2>
        <ul>
          <li>Everyone here is dealing with something hard, often while in pain or worn out. Be patient with typos and short replies.</li>
          <li>Believe people about their own bodies. Never tell someone it is “all in their head”.</li>
          <li>Disagree with ideas, not people. No insults, mocking or piling on.</li>
          <li>Harassment, hate and threats are removed and can lead to a suspension.</li>
        </ul>
      </section>

      <section aria-labelledby="g-selling">
        <h2 id="g-selling">No selling or spam</h2>
        <ul>
          <li>No ads, affiliate links, or promoting products, clinics or services.</li>
          <li>If you are connected to something you mention (you work for the company, for example), say so.</li>
          <li>
            New members can share up to {maxLinks} links in a post during their first day and first {newMemberPosts} posts. It keeps spam bots out.
          </li>
        </ul>
      </section>

      <section aria-labelledby="g-privacy">
        <h2 id="g-privacy">Protect privacy — yours and other people's</h2>
        <ul>
          <li>Your username is public; it doesn't need to be your real name. Your email address is never shown to anyone.</li>
          <li>Don't post anyone else's personal details, photos or private messages.</li>
          <li>Think before sharing details that could identify you, like where you live or work, or your doctor's name.</li>
          <li>
            You can <a href="/settings/export">download all your data</a> or <Link to="/settings/delete-account">delete your account</Link> at any time.
          </li>
        </ul>
      </section>

      <section aria-labelledby="g-crisis">
        <h2 id="g-crisis">If you are struggling</h2>
        <ul>
          <li>
            If you are in danger, or thinking about ending your life, please get help now. Call your local emergency number — <strong>112</strong> in most of
            Europe, <strong>911</strong> in the US and Canada, <strong>999</strong> in the UK — or find a free, confidential helpline at{" "}
            <a href="https://findahelpline.com">findahelpline.com</a>.
          </li>
          <li>
            If you write about wanting to die or hurt yourself, we will show you where to find help, and a moderator may check in with you. Your post stays up.
            You are welcome here.
          </li>
          <li>If someone's post worries you, report it and choose “at risk”. Reply with kindness; you don't have to be a counsellor.</li>
        </ul>
      </section>

      <section aria-labelledby="g-moderation">
        <h2 id="g-moderation">What moderators do</h2>
        <ul>
          <li>Moderators are members who volunteer to keep the community safe. They can remove posts, lock threads, and silence or suspend accounts.</li>
          <li>A removed post shows a short reason. Every moderator action is recorded.</li>
          <li>If you break these guidelines, we will usually tell you first. Serious or repeated harm can lead to a suspension.</li>
        </ul>
      </section>

      {signedIn ? (
        acceptedAt ? (
          // Just accepted: focus moves to the answer, not back to the top of a long page.
          // eslint-disable-next-line jsx-a11y/no-autofocus -- see above
          <p className="accepted" tabIndex={thanked ? -1 : undefined} autoFocus={thanked}>
            You agreed to these guidelines on <Time value={acceptedAt} />. Thank you.
          </p>
        ) : (
          <GuidelinesGate redirectTo="/guidelines" />
        )
      ) : null}
      <Outlet />
    </div>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
