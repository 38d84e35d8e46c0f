// Workers take turns to write (docs/decisions/007).
//
// SQLite lets one connection write at a time. A worker that finds the lock taken waits inside
// better-sqlite3's busy handler, which sleeps synchronously: that worker serves nothing meanwhile,
// and under a stream of writes from the other worker it can keep waking to a taken lock for
// seconds. So a request that writes first waits for the turn without blocking. The primary hands
// the turn to one worker at a time, first come, first served; the worker hands it on to its own
// waiting requests one after another (a resolved promise, with no message and no wait for the
// event loop), up to STREAK of them, then gives it back so the other worker is never kept out
// for long. A request takes the turn once its form has been read (a slow sender never holds it)
// and gives it back when its action returns (a request no action answers: when its response has
// been computed).
// With one process there is nobody to take turns with, and every call here does nothing.
import { AsyncLocalStorage } from "node:async_hooks";
import cluster, { type Worker } from "node:cluster";
import type { ServerBuild } from "@remix-run/node";
import { wrapActions } from "./wrap-actions.server.ts";

/** Requests served in a row before the worker gives the turn back to the primary. */
export const STREAK = 8;

type Message = { writeTurn: "take" | "give" | "granted"; id: number };
const isMessage = (m: unknown): m is Message => typeof m === "object" && m !== null && "writeTurn" in m;

type Turn = { state: "none" | "waiting" | "holding" | "done"; wake?: () => void };
type State = {
  requests: AsyncLocalStorage<Turn>;
  /** This worker's hold on the primary's turn. */
  hold: "free" | "asking" | "held";
  /** The id of the last ask, echoed by the primary's grant and by our give. */
  askId: number;
  holder: Turn | null;
  waiting: Turn[];
  /** Requests served under the current hold. */
  served: number;
};

const sharing = () => cluster.isWorker && typeof process.send === "function";

// The Remix build and server.ts's bundle each carry a copy of this module; a request's turn is
// set up by one and taken by the other, so they share one state per process.
const global = globalThis as unknown as { __unclenchWriteTurns?: State };
const state: State = (global.__unclenchWriteTurns ??= (() => {
  const created: State = { requests: new AsyncLocalStorage<Turn>(), hold: "free", askId: 0, holder: null, waiting: [], served: 0 };
  if (sharing()) {
    process.on("message", (message) => {
      if (isMessage(message) && message.writeTurn === "granted" && message.id === created.askId) {
        created.hold = "held";
        created.served = 0;
        serveNext();
      }
    });
  }
  return created;
})());

function ask() {
  state.hold = "asking";
  process.send!({ writeTurn: "take", id: ++state.askId } satisfies Message);
}

function giveBack() {
  state.hold = "free";
  process.send!({ writeTurn: "give", id: state.askId } satisfies Message);
  if (state.waiting.length > 0) ask();
}

/** While the worker holds the turn: the next waiting request writes, or the turn goes back. */
function serveNext() {
  const next = state.waiting.shift();
  if (!next || state.served >= STREAK) {
    if (next) state.waiting.unshift(next);
    giveBack();
    return;
  }
  state.served++;
  state.holder = next;
  next.state = "holding";
  next.wake!();
}

function release(turn: Turn) {
  if (state.holder !== turn) return;
  state.holder = null;
  serveNext();
}

/** The request writes no more under a turn: one it holds goes on, and it will not take another. */
function end(turn: Turn) {
  const was = turn.state;
  turn.state = "done";
  if (was === "holding") release(turn);
  if (was === "waiting") {
    // The client went away while the request waited: it goes on without a turn (its writes
    // still wait on SQLite's lock), so a post sent over a dropped connection is still kept.
    state.waiting.splice(state.waiting.indexOf(turn), 1);
    turn.wake!();
  }
}

/** Runs one request's handling; the turn it takes (if any) is given back by `finish()`. */
export function withWriteTurns<T>(handle: (finish: () => void) => T): T {
  const turn: Turn = { state: "none" };
  return state.requests.run(turn, () => handle(() => end(turn)));
}

/**
 * The build with each route's action giving its turn back once it has returned or thrown. What
 * Remix does next only reads, apart from the short writes any page may make outside a turn (a read
 * marker); after a form refused without scripts that is a whole page's loaders and render, which
 * no other writer should wait for.
 */
export function endingWriteTurns(build: ServerBuild): ServerBuild {
  return wrapActions(build, (action) => async (args) => {
    try {
      return await action(args);
    } finally {
      const turn = state.requests.getStore();
      if (turn) end(turn);
    }
  });
}

/** Waits until this request may write. Safe to call more than once, and outside a request. */
export async function takeWriteTurn() {
  const turn = state.requests.getStore();
  if (!turn || turn.state !== "none" || !sharing()) return;
  turn.state = "waiting";
  await new Promise<void>((resolve) => {
    turn.wake = resolve;
    state.waiting.push(turn);
    if (state.hold === "free") ask();
  });
}

/**
 * Gives the turn back while `work` runs (password hashing: tens of milliseconds on another thread
 * that would otherwise hold up every writer), then takes it again if it was held.
 */
export async function outsideWriteTurn<T>(work: () => Promise<T>): Promise<T> {
  const turn = state.requests.getStore();
  if (turn?.state !== "holding") return work();
  turn.state = "none";
  release(turn);
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
