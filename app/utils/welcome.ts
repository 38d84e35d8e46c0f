import { withParams } from "./href.ts";

/** Where sign-up lands: the welcome page, with `next` for the page the member was on before. */
export const welcomeHref = (next: string) => (next === "/" ? "/welcome" : withParams("/welcome", { next }));
