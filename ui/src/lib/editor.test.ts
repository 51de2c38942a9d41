import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { recordIPC, type Call } from "./testing/ipc";
import { EditorStore } from "./editor.svelte";
import { toasts } from "./toasts.svelte";
import { apiError, diagnostic, importPreview, opened, preview, saved, sampleDocument, templates } from "./testing/fixtures";

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
    // The pack's own template and edition (null: as saved).
    expect(previews[0].args).toEqual({ name: "mi5-threat-update-2025", template: null, edition: null });
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

  it("on a conflict, stops autosaving but keeps every edit, with no toast (the banner says it)", async () => {
    const calls = recordIPC({
      save_pack: () => {
        throw apiError("conflict", "the pack changed on disk");
      },
      render_preview: preview(),
    });
    const editor = new EditorStore(opened());
    editor.setPath(["meta", "title"], "Mine");
    await vi.advanceTimersByTimeAsync(600);
    expect(editor.conflict).toBe(true);
    expect(editor.status).toBe("conflict");
    expect(toasts.items).toEqual([]);

    editor.setPath(["meta", "audience"], "Still typing");
    await vi.advanceTimersByTimeAsync(5000);
    expect(named(calls, "save_pack")).toHaveLength(1);
    expect(editor.doc.meta).toMatchObject({ title: "Mine", audience: "Still typing" });
    expect(await editor.save()).toBe(false);
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

  it("shows a failing save's error once, not on every autosave", async () => {
    const calls = recordIPC({
      save_pack: () => {
        throw { kind: "io", message: "cannot write pack.toml: disk full", file: null, line: null, diagnostics: [] };
      },
    });
    const editor = new EditorStore(opened());
    const shown: string[] = [];
    const show = toasts.show.bind(toasts);
    const spy = vi.spyOn(toasts, "show").mockImplementation((t) => (shown.push(t.message), show(t)));
    for (const title of ["A", "AB", "ABC"]) {
      editor.setPath(["meta", "title"], title);
      await vi.advanceTimersByTimeAsync(700);
    }
    expect(named(calls, "save_pack")).toHaveLength(3);
    expect(shown).toEqual(["Could not save the pack: cannot write pack.toml: disk full"]);
    spy.mockRestore();
    editor.dispose();
  });

});

describe("another program changed the pack", () => {
  beforeEach(() => vi.useFakeTimers());

  function theirs() {
    const doc = sampleDocument();
    doc.meta.audience = "Audit committee";
    return { ...opened(doc), revision: "rev-theirs" };
  }

  async function inConflict(answers: Record<string, unknown> = {}) {
    const calls = recordIPC({
      save_pack: () => {
        throw apiError("conflict", "the pack changed on disk");
      },
      load_pack: theirs(),
      render_preview: preview(),
      ...answers,
    });
    const editor = new EditorStore(opened());
    editor.setPath(["meta", "title"], "My title");
    await vi.advanceTimersByTimeAsync(600);
    expect(editor.conflict).toBe(true);
    return { editor, calls };
  }

  it("Load theirs shows the version on disk, and Undo brings the editor's back", async () => {
    const { editor } = await inConflict();
    await editor.loadTheirs();
    expect(editor.conflict).toBe(false);
    expect(editor.status).toBe("saved");
    expect(editor.doc.meta).toMatchObject({ title: "State threats and terrorism", audience: "Audit committee" });
    expect(editor.revision).toBe("rev-theirs");

    editor.undo();
    expect(editor.doc.meta).toMatchObject({ title: "My title", audience: "Board risk committee" });
    expect(editor.status).toBe("unsaved");
    // Undo once more goes back to before the in-app edit: the whole history is kept.
    editor.undo();
    expect(editor.doc.meta.title).toBe("State threats and terrorism");
    editor.redo();
    expect(editor.doc.meta.title).toBe("My title");
    editor.dispose();
  });

  it("the undone version saves over theirs with their revision", async () => {
    const { editor } = await inConflict();
    await editor.loadTheirs();
    const calls = recordIPC({ save_pack: saved("rev-mine"), render_preview: preview() });
    editor.undo();
    await vi.advanceTimersByTimeAsync(600);
    const save = named(calls, "save_pack")[0];
    expect(save.args.revision).toBe("rev-theirs");
    expect((save.args.document as { meta: { title: string } }).meta.title).toBe("My title");
    expect(editor.status).toBe("saved");
    editor.dispose();
  });

  it("Keep mine asks what would be replaced, then writes the editor's document", async () => {
    const { editor, calls } = await inConflict({
      conflict_details: ["audience"],
      keep_mine: saved("rev-mine"),
    });
    expect(await editor.conflictDetails()).toEqual(["audience"]);
    expect(named(calls, "conflict_details")[0].args).toMatchObject({ name: "mi5-threat-update-2025", document: { meta: { title: "My title" } } });
    expect(await editor.keepMine()).toBe(true);
    const keep = named(calls, "keep_mine")[0];
    expect((keep.args.document as { meta: { title: string } }).meta.title).toBe("My title");
    expect(editor.conflict).toBe(false);
    expect(editor.revision).toBe("rev-mine");
    expect(editor.status).toBe("saved");
    editor.dispose();
  });

  it("Save mine as a copy returns the copy's folder and leaves the original alone", async () => {
    const { editor, calls } = await inConflict({ save_as_copy: "mi5-threat-update-2025-my-copy" });
    expect(await editor.saveAsCopy()).toBe("mi5-threat-update-2025-my-copy");
    expect((named(calls, "save_as_copy")[0].args.document as { meta: { title: string } }).meta.title).toBe("My title");
    expect(named(calls, "keep_mine")).toHaveLength(0);
    editor.dispose();
  });

  it("on focus, reloads quietly (and says so) when nothing is unsaved", async () => {
    const calls = recordIPC({ pack_revision: "rev-theirs", load_pack: theirs(), render_preview: preview() });
    const editor = new EditorStore(opened());
    await editor.checkDisk();
    expect(named(calls, "load_pack")).toHaveLength(1);
    expect(editor.conflict).toBe(false);
    expect(editor.doc.meta.audience).toBe("Audit committee");
    expect(toasts.items.find((t) => t.key === "reloaded")?.kind).toBe("info");
    editor.undo();
    expect(editor.doc.meta.audience).toBe("Board risk committee");
    editor.dispose();
  });

  it("on focus, raises the conflict instead when edits are unsaved, and does nothing when the revision is ours", async () => {
    let onDisk = "rev-1";
    const calls = recordIPC({ pack_revision: () => onDisk, load_pack: theirs(), render_preview: preview() });
    const editor = new EditorStore(opened(), { autosaveMs: 60_000 });
    await editor.checkDisk();
    expect(editor.conflict).toBe(false);
    editor.setPath(["meta", "title"], "Typing");
    onDisk = "rev-theirs";
    await editor.checkDisk();
    expect(editor.conflict).toBe(true);
    expect(named(calls, "load_pack")).toHaveLength(0);
    expect(editor.doc.meta.title).toBe("Typing");
    editor.dispose();
  });
});

describe("fields that are not valid", () => {
  beforeEach(() => vi.useFakeTimers());

  it("an empty required field keeps the document from being sent, with its reason at the field", async () => {
    const calls = recordIPC({ save_pack: saved("rev-2"), render_preview: preview() });
    const editor = new EditorStore(opened());
    editor.setPath(["meta", "title"], "");
    await vi.advanceTimersByTimeAsync(5000);
    expect(named(calls, "save_pack")).toHaveLength(0);
    expect(editor.status).toBe("invalid");
    expect(editor.fieldMessage("f-meta-title")?.message).toBe("Give the pack a title for its cover");
    editor.setPath(["meta", "title"], "Fixed");
    await vi.advanceTimersByTimeAsync(600);
    expect(named(calls, "save_pack")).toHaveLength(1);
    expect(editor.status).toBe("saved");
    editor.dispose();
  });

  it("typed text that is not a value holds the save until it is fixed or emptied", async () => {
    const calls = recordIPC({ save_pack: saved("rev-2"), render_preview: preview() });
    const editor = new EditorStore(opened());
    editor.setPath(["meta", "audience"], "Board");
    editor.setDraft("f-statistics-0-as_of", "31/02/2025", "As of must be a date like 20 Oct 2025 or 20/10/2025", "As of");
    await vi.advanceTimersByTimeAsync(5000);
    expect(named(calls, "save_pack")).toHaveLength(0);
    expect(editor.status).toBe("invalid");
    expect(editor.problems[0]).toMatchObject({ severity: "error", message: "As of must be a date like 20 Oct 2025 or 20/10/2025", local: true });
    editor.clearDraft("f-statistics-0-as_of");
    await vi.advanceTimersByTimeAsync(600);
    expect(named(calls, "save_pack")).toHaveLength(1);
    editor.dispose();
  });

  it("shows the core's refusal at the fields, keeps the header loud and does not toast it", async () => {
    const refused = diagnostic("statistics[2].label", "Statistic 2 has no label: say what the figure counts in Label", "error");
    recordIPC({
      save_pack: () => {
        throw apiError("invalid_pack", "the pack has 1 error", [refused]);
      },
      render_preview: preview(),
    });
    const editor = new EditorStore(opened());
    editor.setPath(["meta", "subtitle"], "x");
    await vi.advanceTimersByTimeAsync(600);
    expect(editor.status).toBe("invalid");
    expect(editor.fieldMessage("f-statistics-1-label")?.message).toBe("Statistic 2 has no label: say what the figure counts in Label");
    expect(toasts.items).toEqual([]);
    editor.dispose();
  });
});

describe("viewing another template", () => {
  it("changes what the preview shows and Export uses, not the document, until Use for this pack", async () => {
    const calls = recordIPC({ list_templates: templates, render_preview: preview(), save_pack: saved("rev-2"), export_pdf: null });
    const editor = new EditorStore(opened(), { autosaveMs: 60_000 });
    await editor.start();
    editor.viewTemplate("training-handout");
    expect(editor.view).toEqual({ template: "training-handout", edition: "participant" });
    expect(editor.doc.meta.template).toBe("board-briefing");
    expect(editor.canUndo).toBe(false);
    expect(editor.isSaved).toBe(true);
    await vi.waitFor(() => expect(named(calls, "render_preview").at(-1)!.args).toEqual({ name: "mi5-threat-update-2025", template: "training-handout", edition: "participant" }));
    expect(editor.tabs.shown).toContain("questions");
    expect(editor.tabs.more).toEqual(["recommendations"]);

    editor.viewTemplate("training-handout", "facilitator");
    await editor.exportPdf();
    expect(named(calls, "export_pdf")[0].args).toEqual({ name: "mi5-threat-update-2025", template: "training-handout", edition: "facilitator" });
    expect(named(calls, "save_pack")).toHaveLength(0);

    editor.useShownTemplate();
    expect(editor.doc.meta).toMatchObject({ template: "training-handout", edition: "facilitator" });
    expect(editor.view).toBeNull();
    expect(editor.canUndo).toBe(true);

    editor.viewTemplate("training-handout", "facilitator");
    expect(editor.view).toBeNull();
    editor.dispose();
  });
});

describe("import", () => {
  it("is one undo step: Undo takes the article, its figures and links back, and the next save removes them", async () => {
    const imported = sampleDocument();
    imported.articles.push({ id: "mi5-annual", article: { meta: { title: "MI5 annual threat update", key_points: [] }, body: "Text" } });
    imported.statistics.push({ ...imported.statistics[0], id: "plots", label: "late-stage attack plots" });
    const calls = recordIPC({
      pick_import: importPreview(),
      import_article: saved("rev-3"),
      load_pack: { ...opened(imported), revision: "rev-3" },
      save_pack: saved("rev-4"),
      render_preview: preview(),
    });
    const editor = new EditorStore(opened(), { autosaveMs: 60_000 });
    await editor.pickImport();
    expect(editor.importing?.file_name).toBe("mi5.txt");
    await editor.confirmImport([0, 1], [0]);
    expect(named(calls, "import_article")[0].args).toEqual({ name: "mi5-threat-update-2025", statistics: [0, 1], organisations: [0], revision: "rev-1" });
    expect(editor.doc.articles.map((a) => a.id)).toEqual(["mi5-update", "mi5-annual"]);
    expect(editor.selectedArticle).toBe("mi5-annual");
    expect(editor.undoStack).toHaveLength(1);

    editor.undo();
    expect(editor.doc.articles.map((a) => a.id)).toEqual(["mi5-update"]);
    expect(editor.doc.statistics).toHaveLength(2);
    expect(await editor.save()).toBe(true);
    const save = named(calls, "save_pack")[0];
    expect(save.args.revision).toBe("rev-3");
    expect((save.args.document as { articles: unknown[] }).articles).toHaveLength(1);
    editor.dispose();
  });
});

describe("ids of new statistics and links", () => {
  it("follow the label or title until typed by hand, and sections that name them follow", () => {
    recordIPC({});
    const editor = new EditorStore(opened(), { autosaveMs: 60_000 });
    editor.addStatistic();
    editor.edit(null, (d) => (d.sections[1].statistics = ["statistic-3"]));
    editor.setNamingText("statistics", 2, "Late-stage attack plots");
    expect(editor.doc.statistics[2].id).toBe("late-stage-attack-plots");
    expect(editor.doc.sections[1].statistics).toEqual(["late-stage-attack-plots"]);
    editor.setId("statistics", 2, "plots");
    editor.setNamingText("statistics", 2, "Something else");
    expect(editor.doc.statistics[2].id).toBe("plots");
    // A statistic read from disk keeps its id.
    editor.setNamingText("statistics", 0, "New wording");
    expect(editor.doc.statistics[0].id).toBe("state-threat-investigations");

    editor.addLink();
    editor.setNamingText("links", 1, "NCSC guidance");
    expect(editor.doc.links[1].id).toBe("ncsc-guidance");
    editor.dispose();
  });
});
