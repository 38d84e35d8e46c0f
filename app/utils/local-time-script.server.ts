import { readdirSync } from "node:fs";

let src: string | null | undefined;

/**
 * The address of the script that shows a visitor times in their own zone (decision 027):
 * scripts/finish-client-build.mjs writes it to public/build named by its content's hash, so it is
 * looked up once per process. Without a build (a unit test's document) there is none, and times stay in UTC.
 */
export function localTimeScriptSrc() {
  if (src === undefined) {
    let files: string[] = [];
    try {
      files = readdirSync("public/build");
    } catch {
      // No browser build here.
    }
    const file = files.find((name) => /^local-time-\w+\.js$/.test(name));
    src = file ? `/build/${file}` : null;
  }
  return src ?? undefined;
}
