import zlib from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { COMPRESS_AT_ONCE_BYTES, compressDocument, DOCUMENT_COMPRESSIONS } from "./compress.server.ts";

const page = Buffer.from(`<!DOCTYPE html><html><body>${"<p>Calf cramps at 3 a.m. again; stretching helped.</p>".repeat(400)}</body></html>`);
const asking = (acceptEncoding?: string) =>
  new Request("http://localhost/", { headers: acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding } });

afterEach(() => vi.restoreAllMocks());

describe("compressDocument", () => {
  it("sends brotli to a browser that takes it, gzip to one that takes only that, and plain bytes otherwise", async () => {
    const br = await compressDocument(asking("gzip, deflate, br"), page);
    expect(br.encoding).toBe("br");
    expect(zlib.brotliDecompressSync(br.body).equals(page)).toBe(true);
    expect(br.body.length).toBeLessThan(page.length / 10);

    const gzip = await compressDocument(asking("gzip"), page);
    expect(gzip.encoding).toBe("gzip");
    expect(zlib.gunzipSync(gzip.body).equals(page)).toBe(true);

    for (const accepted of [undefined, "identity", "br;q=0, gzip;q=0", "deflate"]) {
      const plain = await compressDocument(asking(accepted), page);
      expect(plain.encoding, String(accepted)).toBeNull();
      expect(plain.body).toBe(page);
    }
  });

  it("compresses a small document on the spot, without a call on libuv's threads", async () => {
    const small = page.subarray(0, COMPRESS_AT_ONCE_BYTES);
    expect(page.length).toBeGreaterThan(COMPRESS_AT_ONCE_BYTES);
    const threaded = vi.spyOn(zlib, "brotliCompress");
    const gzipThreaded = vi.spyOn(zlib, "gzip");
    const br = await compressDocument(asking("br"), small);
    const gzip = await compressDocument(asking("gzip"), small);
    expect(zlib.brotliDecompressSync(br.body).equals(small)).toBe(true);
    expect(zlib.gunzipSync(gzip.body).equals(small)).toBe(true);
    expect([br.encoding, gzip.encoding]).toEqual(["br", "gzip"]);
    expect(threaded).not.toHaveBeenCalled();
    expect(gzipThreaded).not.toHaveBeenCalled();
    await compressDocument(asking("br"), page);
    expect(threaded).toHaveBeenCalledTimes(1);
  });

  it(`compresses at most ${DOCUMENT_COMPRESSIONS} documents at a time, and every one in the end`, async () => {
    const original = zlib.brotliCompress;
    let running = 0;
    let most = 0;
    vi.spyOn(zlib, "brotliCompress").mockImplementation(((input: Buffer, options: zlib.BrotliOptions, done: zlib.CompressCallback) => {
      most = Math.max(most, ++running);
      setTimeout(() => original(input, options, (error, result) => (running--, done(error, result))), 5);
    }) as typeof zlib.brotliCompress);
    const pages = Array.from({ length: 7 }, (_, i) => Buffer.concat([page, Buffer.from(`<!-- ${i} -->`)]));
    const results = await Promise.all(pages.map((p) => compressDocument(asking("br"), p)));
    expect(most).toBe(DOCUMENT_COMPRESSIONS);
    results.forEach((result, i) => expect(zlib.brotliDecompressSync(result.body).equals(pages[i]!)).toBe(true));
    // Every slot came back: two more run at once, at once.
    running = most = 0;
    await Promise.all([compressDocument(asking("br"), page), compressDocument(asking("br"), page)]);
    expect(most).toBe(2);
  });
});
