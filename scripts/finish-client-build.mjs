#!/usr/bin/env node
// Runs after `remix build` (npm run build). First it bundles the one script a visitor's read-only
// page loads (app/entry.local-time.ts, docs/decisions/027) beside Remix's files, named by its
// content's hash like them, so it is cached for a year and compressed below. Then two steps that
// shrink what a member downloads:
//
// 1. Terser minifies the browser chunks again: Remix's esbuild minifier leaves Remix's and React
//    Router's code larger on every page with scripts.
// 2. Each .js and .css file gets a .br (brotli, quality 11) and a .gz (zopfli) beside it, which
//    app/http.server.ts serves as they are. Compressing once here, at the highest settings, is both
//    smaller and cheaper than compressing on every request at the quality pages can afford.
//
// File names keep the hash of what Remix wrote; that content only changes when the source does.
import { gzipAsync } from "@gfx/zopfli";
import { build } from "esbuild";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { minify } from "terser";

const BUILD = "public/build";
const brotli = promisify(zlib.brotliCompress);

// A classic script, in syntax an old phone's browser still runs: a visitor may have nothing newer.
// app/utils/local-time-script.server.ts finds it by this name.
await build({
  entryPoints: [{ in: "app/entry.local-time.ts", out: "local-time" }],
  entryNames: "[name]-[hash]",
  outdir: BUILD,
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2019",
  logLevel: "warning",
});

const files = (await readdir(BUILD, { recursive: true, encoding: "utf8" })).filter((f) => /\.(js|css)$/.test(f));
let raw = 0;
let gzipped = 0;
await Promise.all(
  files.map(async (file) => {
    const path = join(BUILD, file);
    let body = await readFile(path);
    if (file.endsWith(".js")) {
      // Remix's browser build is ES modules; `module` lets terser rename top-level names too.
      const { code } = await minify(body.toString("utf8"), { module: true, compress: { passes: 2 } });
      if (code === undefined) throw new Error(`terser returned nothing for ${path}`);
      if (Buffer.byteLength(code) < body.length) {
        body = Buffer.from(code);
        await writeFile(path, body);
      }
    }
    const br = await brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
    const gz = Buffer.from(await gzipAsync(body, { numiterations: 15 }));
    // A tiny file can come out larger; then it is served as it is.
    if (br.length < body.length) await writeFile(`${path}.br`, br);
    if (gz.length < body.length) await writeFile(`${path}.gz`, gz);
    raw += body.length;
    gzipped += Math.min(gz.length, body.length);
  }),
);
console.log(`Browser build: ${files.length} files, ${(raw / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped.`);
