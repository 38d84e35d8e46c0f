import zlib from "node:zlib";
import Negotiator from "negotiator";

/**
 * Brotli at quality 1 with a 256 KB window: pages are made anew for every request, so each one's
 * compression is paid in full, and higher qualities cost more CPU than the bytes they save
 * (docs/decisions/010). http.server.ts gives compression() the same settings for everything else.
 */
export const BROTLI_OPTIONS = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_LGWIN]: 18 } };

/** Documents compressed at once in this process; the rest wait their turn. */
export const DOCUMENT_COMPRESSIONS = 2;

/**
 * A document this small (a board page) is compressed on the spot: handing it to libuv's threads
 * costs more than the work. Larger documents go to the threads, since compressing them inline
 * starved new connections.
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
 * Why not compression()'s stream: each response it compresses holds an encoder from its first
 * byte to its last, so under load a worker held dozens at once. Here at most DOCUMENT_COMPRESSIONS
 * are made at a time, each in one call on libuv's threads; a document waiting for its turn holds
 * only its own bytes. Not on the main thread: node:cluster hands a worker one new connection per
 * turn of its event loop, and a synchronous request makes that turn long (docs/decisions/010).
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
