/**
 * Shown to a member right after they post (or send a private message with) words about suicide
 * or self-harm; what they wrote goes out as usual, or waits for a moderator where a board reviews
 * new members' posts ("held-post", docs/decisions/034). Calm and warm rather than alarming: it
 * thanks them, gives ways to reach someone now, and says plainly whether a moderator may check in.
 */
const WHERE_IT_IS = { post: "Your post is up", "held-post": "A moderator will read your post soon, before it is published", message: "Your message is sent" };

export function CrisisPanel({ headingLevel = 2, about = "post" }: { headingLevel?: 2 | 3; about?: keyof typeof WHERE_IT_IS }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className="crisis-panel" aria-labelledby="crisis-panel-heading">
      <Heading id="crisis-panel-heading">You don't have to go through this alone</Heading>
      <p>
        Thank you for sharing. {WHERE_IT_IS[about]}, and people here understand how hard living with pain can be. If you are thinking about ending your life or
        hurting yourself, please reach out to someone now:
      </p>
      <ul>
        <li>
          If you might act on those thoughts, call your local emergency number: <strong>112</strong> in most of Europe, <strong>911</strong> in the US and
          Canada, <strong>999</strong> in the UK.
        </li>
        <li>
          Talk to a trained listener, free and in confidence, by phone, text or chat:{" "}
          <a href="https://findahelpline.com">find a helpline in your country at findahelpline.com</a>.
        </li>
        <li>Tell someone you trust how you are feeling today.</li>
      </ul>
      <p>
        {/* Private messages are read by no moderator unless someone reports one (docs/decisions/033). */}
        {about === "message" ? "Your message stays private: moderators are not told about it." : "A moderator may check in with you."} You are welcome here,
        whatever you are going through.
      </p>
    </section>
  );
}
