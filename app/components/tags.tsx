import { Form } from "@remix-run/react";
import { Link } from "./link.tsx";

export type Tag = { slug: string; name: string };

/** A thread's tags, each a link to the board's threads with that tag. */
export function TagList({ tags, boardSlug }: { tags: Tag[] | undefined; boardSlug: string }) {
  if (!tags?.length) return null;
  return (
    <ul className="tag-list" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag.slug}>
          <Link to={`/boards/${boardSlug}?tag=${tag.slug}`} className="tag">
            {tag.name}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Up to five tags, one checkbox each (named tag-<slug>, so each field is sent once). */
export function TagChoices({ tags, chosen, error }: { tags: Tag[]; chosen: string[]; error?: string }) {
  if (!tags.length) return null;
  return (
    <fieldset className="choices tag-choices" aria-describedby={error ? "tags-error" : "tags-hint"}>
      <legend>Tags (up to five)</legend>
      <p className="hint" id="tags-hint">
        Symptoms and treatments this thread is about, so others can find it.
      </p>
      {error ? (
        <p className="field-error" id="tags-error">
          {error}
        </p>
      ) : null}
      {tags.map((tag) => (
        <div className="choice" key={tag.slug}>
          <input type="checkbox" id={`tag-${tag.slug}`} name={`tag-${tag.slug}`} defaultChecked={chosen.includes(tag.slug)} />
          <label htmlFor={`tag-${tag.slug}`}>{tag.name}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** A board's threads by tag: a plain GET form, so it works without JavaScript. */
export function TagFilter({ tags, current, boardSlug }: { tags: Tag[]; current: Tag | null; boardSlug: string }) {
  if (!tags.length) return null;
  return (
    <Form method="get" action={`/boards/${boardSlug}`} className="filters" aria-label="Threads by tag">
      <div className="field">
        <label htmlFor="tag-filter">Show threads tagged</label>
        <select id="tag-filter" name="tag" defaultValue={current?.slug ?? ""}>
          {tags.map((tag) => (
            <option key={tag.slug} value={tag.slug}>
              {tag.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Show</button>
      {current ? <Link to={`/boards/${boardSlug}`}>All threads</Link> : null}
    </Form>
  );
}
