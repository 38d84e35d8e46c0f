/**
 * A gentle suggestion when a post reads like dosing instructions to others ("you should take
 * 20 mg"). It never blocks: the member can post as written.
 */
export function DosingNudge() {
  return (
    <div className="dosing-nudge" role="note" aria-labelledby="dosing-nudge-title">
      <p id="dosing-nudge-title">
        <strong>A thought before you post</strong>
      </p>
      <p>
        This reads like advice on what dose someone else should take. A dose that helps one person can harm another, so here we share what worked{" "}
        <em>for us</em> instead. For example: “I take 20 mg at night and it helps my cramps. My doctor started me lower.” You could also suggest they ask their
        doctor or pharmacist.
      </p>
      <p>You can still post it as it is.</p>
    </div>
  );
}
