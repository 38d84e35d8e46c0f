// Workers take turns to write (docs/decisions/007).
//
// SQLite lets one connection write at a time. A worker that finds the lock taken waits inside
// better-sqlite3's busy handler, which sleeps synchronously: that worker serves nothing meanwhile,
// and under a stream of writes from the other worker it can keep waking to a taken lock for
// seconds. So a request that writes first asks the primary for the turn and waits for it without
// blocking; the primary hands turns out first come, first served. The turn is taken once the form
// has been read (a slow sender never holds it) and given back when the response has been sent.
// With one process there is nobody to take turns with, and every call here does nothing.
import { AsyncLocalStorage } from "node:async_hooks";
import cluster, { type Worker } from "node:cluster";

type Message = { writeTurn: "take" | "give" | "granted"; id: number };
const isMessage = (m: unknown): m is Message => typeof m === "object" && m !== null && "writeTurn" in m;

type Turn = { id: number; held: boolean; done: boolean };
type State = { requests: AsyncLocalStorage<Turn>; granted: Map<number, () => void>; lastId: number };

const sharing = () => cluster.isWorker && typeof process.send === "function";

// The Remix build and server.ts's bundle each carry a copy of this module; a request's turn is
// set up by one and taken by the other, so they share one state per process.
const global = globalThis as unknown as { __unclenchWriteTurns?: State };
const state: State = (global.__unclenchWriteTurns ??= (() => {
  const created: State = { requests: new AsyncLocalStorage<Turn>(), granted: new Map(), lastId: 0 };
  if (sharing()) {
    process.on("message", (message) => {
      if (isMessage(message) && message.writeTurn === "granted") {
        created.granted.get(message.id)?.();
        created.granted.delete(message.id);
      }
    });
  }
  return created;
})());
const { requests, granted } = state;

/** Runs one request's handling; the turn it takes (if any) is given back by `finish()`. */
export function withWriteTurns<T>(handle: (finish: () => void) => T): T {
  const turn: Turn = { id: 0, held: false, done: false };
  return requests.run(turn, () =>
    handle(() => {
      if (turn.done) return;
      turn.done = true;
      if (turn.held) process.send!({ writeTurn: "give", id: turn.id } satisfies Message);
    }),
  );
}

/** Waits until this request may write. Safe to call more than once, and outside a request. */
export async function takeWriteTurn() {
  const turn = requests.getStore();
  if (!turn || turn.held || turn.done || !sharing()) return;
  const id = ++state.lastId;
  turn.id = id;
  turn.held = true;
  await new Promise<void>((resolve) => {
    granted.set(id, resolve);
    process.send!({ writeTurn: "take", id } satisfies Message);
  });
}

/**
 * Gives the turn back while `work` runs (password hashing: tens of milliseconds on another thread
 * that would otherwise hold up every writer), then takes it again if it was held.
 */
export async function outsideWriteTurn<T>(work: () => Promise<T>): Promise<T> {
  const turn = requests.getStore();
  if (!turn?.held || turn.done) return work();
  process.send!({ writeTurn: "give", id: turn.id } satisfies Message);
  turn.held = false;
  try {
    return await work();
  } finally {
    await takeWriteTurn();
  }
}

/** The primary's side: one queue for every worker; the head of the queue holds the turn. */
export function handOutWriteTurns() {
  const queue: { worker: Worker; id: number }[] = [];
  const grantHead = () => {
    const head = queue[0];
    if (head) head.worker.send({ writeTurn: "granted", id: head.id } satisfies Message);
  };
  const remove = (matches: (entry: { worker: Worker; id: number }) => boolean) => {
    const wasHead = queue.length > 0 && matches(queue[0]!);
    for (let i = queue.length - 1; i >= 0; i--) if (matches(queue[i]!)) queue.splice(i, 1);
    if (wasHead) grantHead();
  };
  cluster.on("message", (worker, message) => {
    if (!isMessage(message)) return;
    if (message.writeTurn === "take") {
      queue.push({ worker, id: message.id });
      if (queue.length === 1) grantHead();
    } else if (message.writeTurn === "give") {
      remove((entry) => entry.worker === worker && entry.id === message.id);
    }
  });
  // A worker that dies holding the turn or waiting for one must not stop everyone else.
  cluster.on("exit", (worker) => remove((entry) => entry.worker === worker));
}
