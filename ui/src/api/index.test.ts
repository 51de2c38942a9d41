import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { waitFor } from "@testing-library/svelte";
import { api, FILE_DROPPED_EVENT, isOpenableLink, openLink, windowEvents } from ".";

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

describe("commands", () => {
  it("never sends a file path: dialogs are opened by Rust", async () => {
    const calls = recordCalls({ pick_import: () => null, export_pdf: () => ({ id: 0, path: "/home/u/out.pdf" }), choose_library: () => null });
    expect(await api.pickImport()).toBeNull();
    expect(await api.exportPdf("p", "training-handout", "participant")).toEqual({ id: 0, path: "/home/u/out.pdf" });
    expect(await api.chooseLibrary()).toBeNull();
    await api.openExported(0, true);
    await api.importArticle("p", [0, 2], [1], "rev-1");
    expect(calls).toEqual([
      { cmd: "pick_import", args: {} },
      { cmd: "export_pdf", args: { name: "p", template: "training-handout", edition: "participant" } },
      { cmd: "choose_library", args: {} },
      { cmd: "open_exported", args: { id: 0, reveal: true } },
      { cmd: "import_article", args: { name: "p", statistics: [0, 2], organisations: [1], revision: "rev-1" } },
    ]);
  });

  it("turns a failure into an ApiError with its kind", async () => {
    recordCalls({
      save_pack: () => {
        throw { kind: "conflict", message: "changed on disk", file: null, line: null, diagnostics: [] };
      },
      load_pack: () => {
        throw "something odd";
      },
    });
    await expect(api.savePack("p", {} as never, "rev")).rejects.toMatchObject({ kind: "conflict" });
    await expect(api.loadPack("p")).rejects.toMatchObject({ kind: "internal", message: "something odd" });
  });
});

describe("window events", () => {
  it("hears the file-dropped event Rust emits", async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    let heard = 0;
    const stop = windowEvents.onFileDropped(() => heard++);
    await waitFor(async () => {
      await emit(FILE_DROPPED_EVENT);
      expect(heard).toBeGreaterThan(0);
    });
    stop();
  });
});

describe("the window's capabilities", () => {
  it("grant no dialogs, file system or shell to the webview, and open only web and mail links", async () => {
    const capability = (await import("../../../src-tauri/capabilities/main.json")).default as { permissions: (string | { identifier: string; allow: { url: string }[] })[] };
    const names = capability.permissions.map((p) => (typeof p === "string" ? p : p.identifier));
    expect(names.filter((n) => /^(dialog|fs|shell|http):/.test(n))).toEqual([]);
    const opener = capability.permissions.find((p) => typeof p !== "string" && p.identifier === "opener:allow-open-url") as { allow: { url: string }[] };
    expect(opener.allow.map((a) => a.url)).toEqual(["https://*", "http://*", "mailto:*"]);
  });
});

describe("the api module", () => {
  it("is the only source file that reaches Tauri", () => {
    // Tests and their helpers (lib/testing: Tauri's own mocks) are not part of the app.
    const sources = import.meta.glob<string>(["../**/*.ts", "../**/*.svelte", "!../**/*.test.ts", "!../api/**", "!../lib/testing/**"], {
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
