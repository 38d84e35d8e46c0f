import { Form } from "@remix-run/react";
import { Link } from "./link.tsx";

/**
 * The short version of the community guidelines, shown above the composer until the member has
 * accepted them once. The button posts to /guidelines/accept, which records it and comes back.
 */
export function GuidelinesGate({ redirectTo, headingLevel = 2 }: { redirectTo: string; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className="guidelines-gate" aria-labelledby="guidelines-gate-heading">
      <Heading id="guidelines-gate-heading">Before your first post</Heading>
      <p>Unclench works because members look after each other. Please:</p>
      <ul>
        <li>Share your own experience. Don't tell others what dose to take — that's for them and their doctor.</li>
        <li>Be kind. Believe people about their own bodies.</li>
        <li>Don't sell or advertise anything.</li>
        <li>Keep private details private — yours and other people's.</li>
        <li>
          If you are in crisis, call your local emergency number or find a helpline at <a href="https://findahelpline.com">findahelpline.com</a>.
        </li>
      </ul>
      <p>
        <Link to="/guidelines">Read the full community guidelines</Link>
      </p>
      <Form method="post" action="/guidelines/accept">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <button type="submit" className="primary">
          I've read these and I'll follow them
        </button>
      </Form>
    </section>
  );
}

/** Whether the page was reached by accepting the guidelines (app/routes/guidelines.accept.tsx). */
export const justAccepted = (search: string) => new URLSearchParams(search).get("guidelines") === "accepted";
