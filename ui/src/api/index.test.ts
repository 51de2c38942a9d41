import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { dialogs, isOpenableLink, openLink } from ".";

afterEach(() => clearMocks());

function recordCalls(answers: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    return answers[cmd]?.(args) ?? null;
  });
  return calls;
}

describe("opening links", () => {
  it("hands web and mail links to the opener plugin", async () => {
    const calls = recordCalls();
    await openLink("https://www.npsa.gov.uk/");
    await openLink("mailto:security@example.org");
    const opened = calls.filter((c) => c.cmd === "plugin:opener|open_url").map((c) => c.args.url);
    expect(opened).toEqual(["https://www.npsa.gov.uk/", "mailto:security@example.org"]);
  });

  it("refuses every other scheme without calling Rust", async () => {
    const calls = recordCalls();
    for (const url of ["javascript:alert(1)", "file:///etc/passwd", "tauri://localhost/", "data:text/html,hi", "ftp://example.org/", "www.ncsc.gov.uk"]) {
      expect(isOpenableLink(url)).toBe(false);
      await expect(openLink(url)).rejects.toMatchObject({ kind: "link" });
    }
    expect(calls).toEqual([]);
  });
});

describe("file dialogs", () => {
  it("asks the native dialog unless the test harness answers for it", async () => {
    let calls = recordCalls({ "plugin:dialog|open": () => "/home/u/page.html" });
    expect(await dialogs.pickArticle()).toBe("/home/u/page.html");
    expect(calls.map((c) => c.cmd)).toEqual(["test_dialog_path", "plugin:dialog|open"]);
    expect(calls[0].args).toEqual({ dialog: "open" });

    clearMocks();
    calls = recordCalls({ test_dialog_path: () => "/tmp/e2e/page.html" });
    expect(await dialogs.pickArticle()).toBe("/tmp/e2e/page.html");
    expect(calls.map((c) => c.cmd)).toEqual(["test_dialog_path"]);
  });

  it("treats a cancelled dialog as no answer", async () => {
    recordCalls({ "plugin:dialog|open": () => null });
    expect(await dialogs.pickFolder("Open a library folder")).toBeNull();
    expect(await dialogs.pickArticle()).toBeNull();
  });
});

describe("the api module", () => {
  it("is the only source file that reaches Tauri", () => {
    const sources = import.meta.glob<string>(["../**/*.ts", "../**/*.svelte", "!../**/*.test.ts", "!../api/**"], {
      query: "?raw",
      import: "default",
      eager: true,
    });
    expect(Object.keys(sources).length).toBeGreaterThan(10);
    const offenders = Object.entries(sources)
      .filter(([, text]) => /from "@tauri-apps\//.test(text))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });
});
