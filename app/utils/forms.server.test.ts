import { describe, expect, it } from "vitest";
import { readForm } from "./forms.server.ts";

const post = (body: URLSearchParams | FormData) => new Request("http://localhost/threads/1", { method: "POST", body });

async function status(promise: Promise<unknown>) {
  try {
    await promise;
    return 200;
  } catch (thrown) {
    return thrown instanceof Response ? thrown.status : 500;
  }
}

describe("readForm", () => {
  it("hands back each field as the member typed it, line breaks included", async () => {
    const values = await readForm(post(new URLSearchParams({ body: "Calf cramps at 3am.\r\n\r\n- stretch", intent: "post" })));
    expect(values.body).toBe("Calf cramps at 3am.\r\n\r\n- stretch");
    expect(values.intent).toBe("post");
  });

  it("treats fields named like object internals as plain fields", async () => {
    const values = await readForm(
      post(
        new URLSearchParams([
          ["__proto__", "x"],
          ["constructor", "y"],
        ]),
      ),
    );
    expect(Object.keys(values).sort()).toEqual(["__proto__", "constructor"]);
    expect(values.constructor).toBe("y");
  });

  it("answers 400 for a field sent twice or sent as a file", async () => {
    expect(
      await status(
        readForm(
          post(
            new URLSearchParams([
              ["body", "a"],
              ["body", "b"],
            ]),
          ),
        ),
      ),
    ).toBe(400);
    const withFile = new FormData();
    withFile.append("body", new Blob(["hello"]), "note.txt");
    expect(await status(readForm(post(withFile)))).toBe(400);
  });
});
