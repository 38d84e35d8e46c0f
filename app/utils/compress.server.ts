import zlib from "node:zlib";
import Negotiator from "negotiator";

/**
 * Brotli at quality 1 with a 256 KB window. Pages are made anew for every request, so each one's
 * compression is paid in full. For an 89 KB thread page in a loop, quality 1 takes 0.15 ms and
 * makes 12.3 KB; quality 3 takes 0.26 ms for 11.3 KB (gzip -6: 0.64 ms, 10.9 KB). Over HTTP, on
 * libuv's threads, quality 1 saved 0.1-0.5 ms of CPU per thread page in alternated runs
 * (bench/RESULTS.md, fourteenth pass). http.server.ts gives compression() the same settings for
 * everything that is not a document.
 */
export const BROTLI_OPTIONS = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_LGWIN]: 18 } };

/** Documents compressed at once in this process; the rest wait their turn. */
export const DOCUMENT_COMPRESSIONS = 2;

/**
 * A document this small (a board page is about 12 KB) is compressed on the spot: a call on libuv's
 * threads cost 0.20-0.28 ms of CPU for it, mostly the zlib stream and the hand-off, against
 * 0.10-0.13 ms done at once (bench/RESULTS.md, thirteenth pass). It blocks the process for about
 * as long as rendering a few rows does; larger documents still go to the threads, since compressing
 * 50-200 KB pages inline starved connections.
 */
export const COMPRESS_AT_ONCE_BYTES = 16 * 1024;

// @types/negotiator predates the `preferred` argument (negotiator 0.6.4, the one compression() uses).
type Preferring = { encoding(available: string[], preferred: string[]): string | undefined };

type Bytes = Buffer<ArrayBuffer>;

let running = 0;
const waiting: (() => void)[] = [];

/**
 * A finished document, compressed for the browser that asked: brotli if it takes it, else gzip,
 * else as it is. Returns the body and its Content-Encoding (null when not compressed).
 *
 * Why not compression()'s stream: each response it compresses holds an encoder (about 0.4 MB for
 * brotli) from its first byte to its last, so at 100 connections a worker held dozens at once,
 * 60-70 MB between the two. Here at most DOCUMENT_COMPRESSIONS are made at a time, each in one
 * call on libuv's threads; a document waiting for its turn holds only its own bytes. Compressing
 * on the main thread instead (brotliCompressSync) saved the same memory, and about 0.4 ms of CPU per
 * thread page, but starved new connections (p99 of 1-6 s at 100 connections): node:cluster hands a
 * worker one new connection per turn of its event loop, and with the whole request synchronous a
 * busy worker's turn serves every waiting request first. The threads keep the turns short.
 * bench/RESULTS.md, twelfth and fourteenth passes.
 */
export async function compressDocument(request: Request, body: Bytes): Promise<{ body: Bytes; encoding: "br" | "gzip" | null }> {
  const accepted = new Negotiator({ headers: { "accept-encoding": request.headers.get("Accept-Encoding") ?? "" } }) as unknown as Preferring;
  // Brotli first where the browser likes both as much ("gzip, deflate, br"), as compression() does.
  const encoding = accepted.encoding(["br", "gzip", "identity"], ["br", "gzip"]);
  if (encoding !== "br" && encoding !== "gzip") return { body, encoding: null };
  if (body.byteLength <= COMPRESS_AT_ONCE_BYTES) {
    const compressed = encoding === "br" ? zlib.brotliCompressSync(body, BROTLI_OPTIONS) : zlib.gzipSync(body);
    return { body: compressed as Bytes, encoding };
  }
  if (running < DOCUMENT_COMPRESSIONS) running++;
  else await new Promise<void>((go) => waiting.push(go)); // a finishing compression hands its slot on
  try {
    const compressed = await new Promise<Bytes>((done, fail) => {
      // zlib's results sit on ordinary (not shared) ArrayBuffers.
      const finish = (error: Error | null, result: Buffer) => (error ? fail(error) : done(result as Bytes));
      if (encoding === "br") zlib.brotliCompress(body, BROTLI_OPTIONS, finish);
      else zlib.gzip(body, finish);
    });
    return { body: compressed, encoding };
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}
