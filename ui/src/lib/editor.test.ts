import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { EditorStore } from "./editor.svelte";
import { toasts } from "./toasts.svelte";
import { opened, preview, saved, templates } from "./testing/fixtures";

type Call = { cmd: string; args: Record<string, unknown> };

/** Records every command and answers with `answers[cmd]` (a value or a function of the arguments). */
function recordIPC(answers: Record<string, unknown | ((args: Record<string, unknown>) => unknown)>): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    const answer = answers[cmd];
    return typeof answer === "function" ? (answer as (a: Record<string, unknown>) => unknown)(args) : answer;
  });
  return calls;
}

const named = (calls: Call[], cmd: string) => calls.filter((c) => c.cmd === cmd);

afterEach(() => {
  clearMocks();
  toasts.clear();
  vi.useRealTimers();
});

describe("undo and redo", () => {
  let clock = 0;
  let editor: EditorStore;
  beforeEach(() => {
    recordIPC({ save_pack: saved("rev-2"), render_preview: preview(), list_templates: templates });
    clock = 0;
    editor = new EditorStore(opened(), { now: () => clock, autosaveMs: 60_000 });
  });
  afterEach(() => editor.dispose());

  it("undoes and redoes an edit", () => {
    editor.setPath(["meta", "title"], "New title");
    expect(editor.doc.meta.title).toBe("New title");
    expect(editor.canUndo).toBe(true);
    editor.undo();
    expect(editor.doc.meta.title).toBe("State threats and terrorism");
    expect(editor.canRedo).toBe(true);
    editor.redo();
    expect(editor.doc.meta.title).toBe("New title");
    expect(editor.canRedo).toBe(false);
  });

  it("coalesces keystrokes in one field within 800 ms into one step", () => {
    for (const [t, text] of [[0, "S"], [300, "St"], [700, "Sta"], [1400, "Stat"]] as const) {
      clock = t;
      editor.setPath(["meta", "title"], text);
    }
    expect(editor.undoStack.length).toBe(1);
    editor.undo();
    expect(editor.doc.meta.title).toBe("State threats and terrorism");
  });

  it("starts a new step after a pause of more than 800 ms", () => {
    clock = 0;
    editor.setPath(["meta", "title"], "A");
    clock = 900;
    editor.setPath(["meta", "title"], "AB");
    expect(editor.undoStack.length).toBe(2);
    editor.undo();
    expect(editor.doc.meta.title).toBe("A");
  });

  it("starts a new step when the field changes, even within 800 ms", () => {
    editor.setPath(["meta", "title"], "A");
    clock = 100;
    editor.setPath(["meta", "audience"], "Board");
    clock = 200;
    editor.setPath(["meta", "title"], "AB");
    expect(editor.undoStack.length).toBe(3);
    editor.undo();
    expect(editor.doc.meta.title).toBe("A");
    expect(editor.doc.meta.audience).toBe("Board");
  });

  it("never coalesces structural edits, and a new edit clears redo", () => {
    editor.addStatistic();
    editor.addStatistic();
    expect(editor.doc.statistics.map((s) => s.id)).toEqual(["state-threat-investigations", "late-stage-plots-disrupted", "statistic-3", "statistic-4"]);
    editor.undo();
    expect(editor.doc.statistics.length).toBe(3);
    editor.setPath(["meta", "title"], "X");
    expect(editor.canRedo).toBe(false);
  });

  it("keeps undo snapshots independent of later edits", () => {
    editor.setPath(["statistics", 0, "label"], "first");
    clock = 2000;
    editor.setPath(["statistics", 0, "label"], "second");
    editor.undo();
    expect(editor.doc.statistics[0].label).toBe("first");
    editor.undo();
    expect(editor.doc.statistics[0].label).toBe("Increase in individuals investigated");
  });
});

describe("autosave", () => {
  beforeEach(() => vi.useFakeTimers());

  it("saves once, 600 ms after the last of several edits, then asks for a preview", async () => {
    const calls = recordIPC({ save_pack: saved("rev-2"), render_preview: preview(), list_templates: templates });
    const editor = new EditorStore(opened());
    editor.setPath(["meta", "title"], "T");
    await vi.advanceTimersByTimeAsync(300);
    editor.setPath(["meta", "title"], "Ti");
    await vi.advanceTimersByTimeAsync(300);
    editor.setPath(["meta", "audience"], "Board");
    await vi.advanceTimersByTimeAsync(599);
    expect(named(calls, "save_pack")).toHaveLength(0);
    expect(editor.saveState).toBe("unsaved");

    await vi.advanceTimersByTimeAsync(1);
    const saves = named(calls, "save_pack");
    expect(saves).toHaveLength(1);
    expect(saves[0].args.name).toBe("mi5-threat-update-2025");
    expect(saves[0].args.revision).toBe("rev-1");
    const document = saves[0].args.document as { meta: { title: string; audience: string } };
    expect(document.meta.title).toBe("Ti");
    expect(document.meta.audience).toBe("Board");

    await vi.advanceTimersByTimeAsync(0);
    expect(editor.saveState).toBe("saved");
    expect(editor.revision).toBe("rev-2");
    const previews = named(calls, "render_preview");
    expect(previews).toHaveLength(1);
    expect(previews[0].args).toEqual({ name: "mi5-threat-update-2025", template: "board-briefing", edition: null });
    expect(calls.findIndex((c) => c.cmd === "render_preview")).toBeGreaterThan(calls.findIndex((c) => c.cmd === "save_pack"));
    editor.dispose();
  });

  it("sends the revision returned by the previous save", async () => {
    let n = 1;
    const calls = recordIPC({ save_pack: () => saved(`rev-${++n}`), render_preview: preview() });
    const editor = new EditorStore(opened());
    editor.setPath(["meta", "title"], "One");
    await vi.advanceTimersByTimeAsync(700);
    editor.setPath(["meta", "title"], "Two");
    await vi.advanceTimersByTimeAsync(700);
    expect(named(calls, "save_pack").map((c) => c.args.revision)).toEqual(["rev-1", "rev-2"]);
    editor.dispose();
  });

  it("Ctrl+S style save() saves at once without waiting for the debounce", async () => {
    const calls = recordIPC({ save_pack: saved("rev-2"), render_preview: preview() });
    const editor = new EditorStore(opened());
    editor.setPath(["meta", "title"], "Now");
    expect(await editor.save()).toBe(true);
    expect(named(calls, "save_pack")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(named(calls, "save_pack")).toHaveLength(1);
    editor.dispose();
  });

  it("never runs two previews at once, and runs exactly one more for edits during a preview", async () => {
    let inFlight = 0;
    let most = 0;
    const pending: (() => void)[] = [];
    const calls = recordIPC({
      save_pack: saved("rev-2"),
      render_preview: () =>
        new Promise((resolve) => {
          inFlight++;
          most = Math.max(most, inFlight);
          pending.push(() => {
            inFlight--;
            resolve(preview());
          });
        }),
    });
    const editor = new EditorStore(opened());
    editor.setPath(["meta", "title"], "A");
    await vi.advanceTimersByTimeAsync(600);
    expect(named(calls, "render_preview")).toHaveLength(1);
    // Two more saves while the first preview is still building.
    editor.setPath(["meta", "title"], "AB");
    await vi.advanceTimersByTimeAsync(600);
    editor.setPath(["meta", "title"], "ABC");
    await vi.advanceTimersByTimeAsync(600);
    expect(named(calls, "save_pack")).toHaveLength(3);
    expect(named(calls, "render_preview")).toHaveLength(1);
    pending.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    expect(named(calls, "render_preview")).toHaveLength(2);
    pending.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    expect(named(calls, "render_preview")).toHaveLength(2);
    expect(most).toBe(1);
    expect(editor.previewBusy).toBe(false);
    editor.dispose();
  });

  it("on a conflict, stops autosaving and shows a persistent toast with Reload", async () => {
    const calls = recordIPC({
      save_pack: () => {
        throw { kind: "conflict", message: "the pack changed on disk", file: null, line: null, diagnostics: [] };
      },
      load_pack: opened(undefined, []),
      render_preview: preview(),
    });
    const editor = new EditorStore(opened());
    editor.setPath(["meta", "title"], "Mine");
    await vi.advanceTimersByTimeAsync(600);
    expect(editor.conflict).toBe(true);
    expect(editor.saveState).toBe("unsaved");
    const toast = toasts.items.find((t) => t.key === "conflict")!;
    expect(toast.persistent).toBe(true);
    expect(toast.message).toMatch(/another program changed this pack/i);
    expect(toast.actions.map((a) => a.label)).toEqual(["Reload"]);

    editor.setPath(["meta", "title"], "Mine again");
    await vi.advanceTimersByTimeAsync(5000);
    expect(named(calls, "save_pack")).toHaveLength(1);

    await toast.actions[0].run();
    expect(named(calls, "load_pack")).toHaveLength(1);
    expect(editor.conflict).toBe(false);
    expect(editor.doc.meta.title).toBe("State threats and terrorism");
    expect(editor.saveState).toBe("saved");
    expect(toasts.items.some((t) => t.key === "conflict")).toBe(false);
    editor.dispose();
  });

  it("shows any other save error as a toast with file and line", async () => {
    recordIPC({
      save_pack: () => {
        throw { kind: "io", message: "cannot write pack.toml: disk full", file: "/lib/p/pack.toml", line: 4, diagnostics: [] };
      },
    });
    const editor = new EditorStore(opened());
    editor.setPath(["meta", "title"], "X");
    await vi.advanceTimersByTimeAsync(600);
    const toast = toasts.items.find((t) => t.kind === "error")!;
    expect(toast.message).toBe("Could not save the pack: cannot write pack.toml: disk full");
    expect(toast.detail).toBe("p/pack.toml:4");
    expect(editor.saveState).toBe("unsaved");
    editor.dispose();
  });
});
