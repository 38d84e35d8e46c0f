import { describe, expect, it } from "vitest";
import { readDismissUndo, readUndo, withUndo } from "./undo.ts";

describe("undo offers", () => {
  it("round-trips through the URL and keeps the page and anchor", () => {
    const href = withUndo("/threads/4?page=2#post-9", { kind: "reaction", postId: 9, reaction: "me-too" }, 1_000);
    expect(href).toBe("/threads/4?page=2&undo=reaction%3A9%3Ame-too&at=1000#post-9");
    expect(readUndo(new URL(href, "http://x"), 5_000)).toEqual({ kind: "reaction", postId: 9, reaction: "me-too" });
  });

  it("expires after 10 seconds and ignores junk", () => {
    const href = withUndo("/threads/4", { kind: "unfollow" }, 1_000);
    expect(readUndo(new URL(href, "http://x"), 10_999)).toEqual({ kind: "unfollow" });
    expect(readUndo(new URL(href, "http://x"), 11_001)).toBeNull();
    expect(readUndo(new URL("/threads/4?undo=drop-table&at=1000", "http://x"), 2_000)).toBeNull();
    expect(readUndo(new URL("/threads/4?undo=unfollow&at=abc", "http://x"), 2_000)).toBeNull();
  });

  it("keeps the report queue's offer apart from the thread page's", () => {
    const href = withUndo("/mod/reports", { kind: "dismiss", postId: 12 }, 1_000);
    expect(readDismissUndo(new URL(href, "http://x"), 2_000)).toEqual({ kind: "dismiss", postId: 12 });
    expect(readUndo(new URL(href, "http://x"), 2_000)).toBeNull();
    expect(readDismissUndo(new URL(href, "http://x"), 11_001)).toBeNull();
    expect(readDismissUndo(new URL(withUndo("/threads/4", { kind: "unfollow" }, 1_000), "http://x"), 2_000)).toBeNull();
  });
});
