// How heavy a thread page is: the document, its embedded loader data and the scripts a browser
// loads with it, as sent over the wire (bench/run.ts reports it against the page-weight targets).
import { get } from "node:http";
import { gzipSync } from "node:zlib";
import type { Rng } from "./corpus.ts";
import type { Facts } from "./facts.ts";
import { percentile } from "./load.ts";

/** The body of a GET exactly as it arrived, still encoded. */
function wireBytes(origin: string, path: string, acceptEncoding: string) {
  return new Promise<Buffer>((done, fail) => {
    get(`${origin}${path}`, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => (res.statusCode === 200 ? done(Buffer.concat(chunks)) : fail(new Error(`${path}: ${res.statusCode}`))));
    }).on("error", fail);
  });
}

export async function pageWeight(options: { origin: string; rng: Rng; threadPages: Facts["threadPages"]; pages: number; cookie?: string }) {
  const { origin, rng, threadPages, cookie } = options;
  const headers = cookie ? { cookie } : undefined;
  const sizes: { html: number; context: number; data: number; htmlGz: number }[] = [];
  let scripts = new Set<string>();
  for (let i = 0; i < options.pages; i++) {
    const t = rng.pick(threadPages);
    const path = `/threads/${t.id}?page=${rng.int(1, t.pages)}`;
    const html = Buffer.from(await (await fetch(`${origin}${path}`, { headers: { ...headers, "accept-encoding": "identity" } })).arrayBuffer());
    const data = await (await fetch(`${origin}${path}&_data=${encodeURIComponent("routes/threads.$threadId")}`, { headers })).arrayBuffer();
    const text = html.toString("utf8");
    // The loader data embedded in the document for hydration.
    const context = /window\.__remixContext = (.*?);<\/script>/s.exec(text)?.[1] ?? "";
    sizes.push({ html: html.length, context: Buffer.byteLength(context), data: data.byteLength, htmlGz: gzipSync(html).length });
    // What the browser loads: module preloads, script tags and the inline module's imports
    // (the inline route manifest also names modules of other routes; those are not loaded).
    const loaded = [
      ...text.matchAll(/<link rel="modulepreload" href="([^"]+)"/g),
      ...text.matchAll(/<script[^>]* src="([^"]+)"/g),
      ...text.matchAll(/(?:from |import\()"(\/build\/[^"]+\.js)"/g),
    ].map((m) => m[1]!);
    scripts = new Set([...scripts, ...loaded]);
  }
  // Bytes as the server sends them (fetch() would decode them): to a browser that takes only gzip,
  // to one that also takes brotli (every current one), and decoded.
  let js = 0;
  let jsGz = 0;
  let jsBr = 0;
  for (const src of scripts) {
    jsGz += (await wireBytes(origin, src, "gzip")).length;
    jsBr += (await wireBytes(origin, src, "gzip, deflate, br")).length;
    js += (await wireBytes(origin, src, "identity")).length;
  }
  const max = (k: keyof (typeof sizes)[number]) => Math.max(...sizes.map((s) => s[k]));
  const median = (k: keyof (typeof sizes)[number]) =>
    percentile(
      sizes.map((s) => s[k]).sort((a, b) => a - b),
      50,
    );
  return {
    pages: sizes.length,
    htmlMedian: median("html"),
    htmlMax: max("html"),
    contextMax: max("context"),
    dataMax: max("data"),
    htmlGzMax: max("htmlGz"),
    scripts: scripts.size,
    js,
    jsGz,
    jsBr,
  };
}

export type PageWeight = Awaited<ReturnType<typeof pageWeight>>;
