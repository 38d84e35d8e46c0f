import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { COMPRESS_AT_ONCE_BYTES, compressDocument, DOCUMENT_COMPRESSIONS } from "./compress.server.ts";

const page = Buffer.from(`<!DOCTYPE html><html><body>${"<p>Calf cramps at 3 a.m. again; stretching helped.</p>".repeat(400)}</body></html>`);
// Megabytes that brotli cannot shortcut: compressing it takes many times longer than `page`.
const longBody = Buffer.from(
  Array.from({ length: 40_000 }, (_, i) => `<p>Post ${i}: a cramp ${(i * 7919) % 10007} at ${i % 24}h, magnesium ${(i * 31) % 97} mg.</p>`).join(""),
);
const longPage = (n: number) => Buffer.concat([Buffer.from(`<!-- ${n} -->`), longBody]);
const asking = (acceptEncoding?: string) =>
  new Request("http://localhost/", { headers: acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding } });
const brotliOf = (bytes: Buffer) => zlib.brotliDecompressSync(bytes);

/** Records the order in which the given compressions finish. */
function finishOrder(compressions: Promise<unknown>[]) {
  const order: number[] = [];
  return { order, all: Promise.all(compressions.map((compression, i) => compression.then(() => order.push(i)))) };
}

/** Whether a promise has already settled, checked without giving the event loop a turn. */
const settled = async (promise: Promise<unknown>) => (await Promise.race([promise.then(() => true), Promise.resolve().then(() => false)])) as boolean;

describe("compressDocument", () => {
  it("sends brotli to a browser that takes it, gzip to one that takes only that, and plain bytes otherwise", async () => {
    const br = await compressDocument(asking("gzip, deflate, br"), page);
    expect(br.encoding).toBe("br");
    expect(brotliOf(br.body).equals(page)).toBe(true);
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

  it("answers a small document at once, even while large ones wait their turn", async () => {
    const small = page.subarray(0, COMPRESS_AT_ONCE_BYTES);
    const large = Array.from({ length: DOCUMENT_COMPRESSIONS + 1 }, (_, i) => longPage(i));
    const compressingLarge = large.map((body) => compressDocument(asking("br"), body));
    const br = compressDocument(asking("br"), small);
    const gzip = compressDocument(asking("gzip"), small);
    // Done before the event loop's next turn; a large document is compressed off the main thread.
    expect(await settled(br)).toBe(true);
    expect(await settled(gzip)).toBe(true);
    expect(await settled(compressingLarge[0]!)).toBe(false);

    expect(brotliOf((await br).body).equals(small)).toBe(true);
    expect(zlib.gunzipSync((await gzip).body).equals(small)).toBe(true);
    expect([(await br).encoding, (await gzip).encoding]).toEqual(["br", "gzip"]);
    (await Promise.all(compressingLarge)).forEach((result, i) => expect(brotliOf(result.body).equals(large[i]!)).toBe(true));
  });

  it(`compresses at most ${DOCUMENT_COMPRESSIONS} documents at a time, and every one in the end`, async () => {
    // The short page, asked for last, finishes long before the long ones if it starts with them;
    // it must wait for one of them to finish instead.
    const bodies = [...Array.from({ length: DOCUMENT_COMPRESSIONS }, (_, i) => longPage(i)), page];
    const compressions = bodies.map((body) => compressDocument(asking("br"), body));
    const { order, all } = finishOrder(compressions);
    await all;
    expect(order.indexOf(DOCUMENT_COMPRESSIONS)).toBeGreaterThan(0);
    (await Promise.all(compressions)).forEach((result, i) => expect(brotliOf(result.body).equals(bodies[i]!)).toBe(true));

    // Every slot came back: were they kept, this second round would never start.
    const again = finishOrder(bodies.map((body) => compressDocument(asking("br"), body)));
    await again.all;
    expect(again.order.indexOf(DOCUMENT_COMPRESSIONS)).toBeGreaterThan(0);
  });
});
