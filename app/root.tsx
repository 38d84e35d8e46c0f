import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useRouteLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page.tsx";
import { Link } from "~/components/link.tsx";
import { useEffect, useRef, type ReactNode } from "react";
import { SearchBox } from "~/components/search-box.tsx";
import { TimeZoneContext } from "~/components/time.tsx";
import { getUnreadCount } from "~/models/notifications.server.ts";
import { countOpenReports } from "~/models/reports.server.ts";
import { countOpenAppeals } from "~/models/appeals.server.ts";
import { countUnreadConversations } from "~/models/conversation-pages.server.ts";
import { countOpenMessageReports } from "~/models/message-reports.server.ts";
import { countWaitingPosts } from "~/models/review.server.ts";
import { getUserPreferences } from "~/models/settings.server.ts";
import { resolveTheme } from "~/utils/theme.ts";
import { getUser } from "~/utils/auth.server.ts";
import { isStaff } from "~/utils/permissions.ts";
import { useNonce } from "~/utils/nonce.tsx";
import { useLocalTimeScript, useSendsScripts } from "~/utils/scripts.ts";
import styles from "./styles.css";
import articleStyles from "./styles/articles.css";
import searchStyles from "./styles/search.css";
import personalStyles from "./styles/personal.css";
import themeStyles from "./styles/themes.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: articleStyles },
  { rel: "stylesheet", href: searchStyles },
  { rel: "stylesheet", href: personalStyles },
  { rel: "stylesheet", href: themeStyles },
];

export const meta: MetaFunction = () => [
  { title: "Unclench — peer support for cramps, spasms and spasticity" },
  { name: "description", content: "A calm, peer-support community for people living with muscle cramps, spasms and spasticity." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const [preferences, openReports, openAppeals, waitingPosts, unreadNotifications, reportedMessages, unreadConversations] = await Promise.all([
    user ? getUserPreferences(user.id) : null,
    isStaff(user) ? countOpenReports() : 0,
    isStaff(user) ? countOpenAppeals() : 0,
    isStaff(user) ? countWaitingPosts() : 0,
    user ? getUnreadCount(user.id) : 0,
    isStaff(user) ? countOpenMessageReports() : 0,
    user ? countUnreadConversations(user.id) : 0,
  ]);
  return json({
    user: user ? { username: user.username, role: user.role } : null,
    openReports,
    openAppeals,
    waitingPosts,
    unreadNotifications,
    reportedMessages,
    unreadConversations,
    preferences: preferences
      ? {
          theme: resolveTheme(preferences.theme, preferences.timeZone),
          textSize: preferences.textSize,
          reducedMotion: preferences.reducedMotion,
          timeZone: preferences.timeZone,
        }
      : null,
  });
}

export function useOptionalUser() {
  return useRouteLoaderData<typeof loader>("root")?.user ?? null;
}

function StaffLinks({ role }: { role: string }) {
  const openReports = useRouteLoaderData<typeof loader>("root")?.openReports ?? 0;
  const openAppeals = useRouteLoaderData<typeof loader>("root")?.openAppeals ?? 0;
  const reportedMessages = useRouteLoaderData<typeof loader>("root")?.reportedMessages ?? 0;
  const waitingPosts = useRouteLoaderData<typeof loader>("root")?.waitingPosts ?? 0;
  return (
    <>
      <li>
        <Link to="/mod/reports">{openReports > 0 ? `Reports (${openReports} open)` : "Reports"}</Link>
      </li>
      <li>
        <Link to="/mod/messages">{reportedMessages > 0 ? `Reported messages (${reportedMessages} open)` : "Reported messages"}</Link>
      </li>
      <li>
        <Link to="/mod/review">{waitingPosts > 0 ? `Review (${waitingPosts} waiting)` : "Review"}</Link>
      </li>
      <li>
        <Link to="/mod/appeals">{openAppeals > 0 ? `Appeals (${openAppeals} open)` : "Appeals"}</Link>
      </li>
      <li>
        <Link to="/mod/log">Mod log</Link>
      </li>
      <li>
        <Link to="/mod/tags">Tags</Link>
      </li>
      {role === "admin" ? (
        <>
          <li>
            <Link to="/admin/users">Members</Link>
          </li>
          <li>
            <Link to="/admin/boards">Board access</Link>
          </li>
        </>
      ) : null}
    </>
  );
}

/**
 * Jumps within a page (a citation, the skip link) are history entries the browser makes itself,
 * all with the key "default", so the router scrolled every jump after the first back to where
 * the last one was left (remix-run/remix#7573). Each gets a key of its own that nothing was saved
 * under, so the browser's scroll to the target stands. Entries the router makes keep theirs.
 */
let inPageJumps = 0;
const scrollKey = (location: { key: string }) => (location.key === "default" ? `in-page-${++inPageJumps}` : location.key);

function Document({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const root = useRouteLoaderData<typeof loader>("root");
  const preferences = root?.preferences;
  const scripts = useSendsScripts();
  const localTimeScript = useLocalTimeScript();
  return (
    <html
      lang="en"
      data-theme={preferences?.theme ?? "system"}
      data-text-size={preferences?.textSize ?? "normal"}
      data-reduced-motion={preferences?.reducedMotion ? "" : undefined}
    >
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Header />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>
            Unclench is a peer-support community. What members share is their own experience, not medical advice. If you are in danger or thinking about harming
            yourself, call your local emergency number or find a helpline at{" "}
            <a href="https://findahelpline.com" className="target-link">
              findahelpline.com
            </a>
            .
          </p>
          <ul className="footer-links">
            <li>
              <Link to="/guidelines">Community guidelines</Link>
            </li>
            <li>
              <Link to="/transparency">Transparency log</Link>
            </li>
            <li>
              <Link to="/articles">Evidence library</Link>
            </li>
          </ul>
        </footer>
        {scripts ? (
          <>
            <ScrollRestoration nonce={nonce} getKey={scrollKey} />
            <Scripts nonce={nonce} />
          </>
        ) : localTimeScript ? (
          // No hydration: it only rewrites times into the visitor's own zone (docs/decisions/027).
          <script src={localTimeScript} defer />
        ) : null}
      </body>
    </html>
  );
}

function Header() {
  const user = useOptionalUser();
  const unread = useRouteLoaderData<typeof loader>("root")?.unreadNotifications ?? 0;
  const unreadConversations = useRouteLoaderData<typeof loader>("root")?.unreadConversations ?? 0;
  const location = useLocation();
  const here = location.pathname + location.search;
  const loginHref = here === "/" || here.startsWith("/login") || here.startsWith("/signup") ? "/login" : `/login?${new URLSearchParams({ redirectTo: here })}`;
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        Unclench
      </Link>
      {user ? (
        // Where the header is narrow, this folds away everything after it but Notifications
        // (see .site-menu in styles.css); elsewhere it is not shown. A new one, closed, on
        // every page, as a page loaded without JS would have.
        <details className="site-menu" key={here}>
          <summary>Menu</summary>
        </details>
      ) : null}
      <nav aria-label="Sections" className="site-sections">
        <ul>
          <li>
            <Link to="/articles">Articles</Link>
          </li>
        </ul>
      </nav>
      <SearchBox />
      <nav aria-label="Account" className="site-account">
        {user ? (
          <ul>
            {user.role !== "member" ? <StaffLinks role={user.role} /> : null}
            <li className="header-notifications">
              <Link to="/notifications">{unread > 0 ? `Notifications (${unread} unread)` : "Notifications"}</Link>
            </li>
            {/* Only while something is unread: every header link is a Tab press on every page (docs/decisions/033). */}
            {unreadConversations > 0 ? (
              <li className="header-notifications">
                <Link to="/messages">{`Messages (${unreadConversations} unread)`}</Link>
              </li>
            ) : null}
            <li>
              <Link to="/drafts">Drafts</Link>
            </li>
            <li>
              <Link to="/saved">Saved</Link>
            </li>
            <li>
              <Link to={`/u/${user.username}`} title="Your profile">
                {/* A no-break space: the link is a flex box, where a plain trailing space is dropped. */}
                Signed in as{"\u00a0"}
                <strong>{user.username}</strong>
              </Link>
            </li>
            <li>
              <Link to="/settings">Settings</Link>
            </li>
            <li>
              <Form method="post" action="/logout">
                <button type="submit">Log out</button>
              </Form>
            </li>
          </ul>
        ) : (
          <ul>
            <li>
              <Link to={loginHref}>Log in</Link>
            </li>
            <li>
              <Link to="/signup">Sign up</Link>
            </li>
          </ul>
        )}
      </nav>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return <Document>{children}</Document>;
}

/**
 * With JavaScript, a member who has chosen no time zone gets their device's, once (decision 025);
 * times show in it from the next page on. A plain fetch, not a fetcher: a fetcher's revalidation
 * racing a form the member sends at once can leave the page blank (see composer.tsx).
 */
function AdoptDeviceTimeZone() {
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    const body = new URLSearchParams({ timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    // Best effort: a zone not taken now is offered again on the next page load.
    fetch("/settings/time-zone", { method: "POST", body, headers: { Accept: "application/json" } }).catch(() => undefined);
  }, []);
  return null;
}

export default function App() {
  const root = useRouteLoaderData<typeof loader>("root");
  const timeZone = root?.preferences?.timeZone;
  return (
    <TimeZoneContext.Provider value={timeZone || "UTC"}>
      {root?.user && root.preferences && timeZone === null ? <AdoptDeviceTimeZone /> : null}
      <Outlet />
    </TimeZoneContext.Provider>
  );
}

/** Only errors in the root's loader, or in a route without a boundary of its own, come here. */
export function ErrorBoundary() {
  return <ErrorPage />;
}
