// The pack being edited: the document, undo/redo, autosave and the preview.
//
// Every edit goes through `edit` (or `setPath`), which pushes the previous document
// onto the undo stack (keystrokes in the same field within `coalesceMs` make one
// step) and schedules an autosave `autosaveMs` after the last edit. A successful
// save asks for a preview; at most one preview is in flight, and edits that arrive
// while one runs cause exactly one more afterwards.

import { tick } from "svelte";
import { api, asApiError, dialogs } from "../api";
import type { ApiError, Diagnostic, OpenedPack, PackDocument, Preview, Section, SectionKind, TemplateView } from "../api";
import { baseName, problemKey } from "./format";
import { locateProblem, type TabId } from "./problems";
import { toasts } from "./toasts.svelte";

export type SaveState = "saved" | "unsaved" | "saving";

export interface EditorOptions {
  /** Milliseconds after the last edit before saving (600). */
  autosaveMs?: number;
  /** Keystrokes in one field closer than this make one undo step (800). */
  coalesceMs?: number;
  /** Undo steps kept (200). */
  historyLimit?: number;
  /** The clock, for tests. */
  now?: () => number;
}

type PathPart = string | number;

/** A plain copy of reactive state (what goes to Rust and onto the undo stack). */
function plain<T>(value: T): T {
  return $state.snapshot(value) as T;
}

export class EditorStore {
  readonly name: string;
  doc = $state() as PackDocument;
  revision: string;

  undoStack = $state.raw<PackDocument[]>([]);
  redoStack = $state.raw<PackDocument[]>([]);
  saveState = $state<SaveState>("saved");
  /** Set when another program changed the pack: autosave stops until a reload. */
  conflict = $state(false);

  /** Problems `check` reported on open or after the latest save. */
  checkProblems = $state.raw<Diagnostic[]>([]);
  /** Warnings from the latest preview build. */
  previewWarnings = $state.raw<Diagnostic[]>([]);
  /** Problems of the pack when the latest preview failed because it is invalid. */
  previewErrorProblems = $state.raw<Diagnostic[]>([]);
  preview = $state.raw<Preview | null>(null);
  previewError = $state.raw<ApiError | null>(null);
  previewBusy = $state(false);
  /** Milliseconds from the start of the latest save to its pages being shown. */
  refreshMs = $state<number | null>(null);

  templates = $state.raw<TemplateView[]>([]);
  tab = $state<TabId>("details");
  selectedArticle = $state<string | null>(null);

  problems = $derived.by(() => {
    const seen = new Set<string>();
    const all = [...this.previewErrorProblems, ...this.checkProblems, ...this.previewWarnings];
    const unique = all.filter((d) => {
      const key = problemKey(d);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return unique.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  });
  canUndo = $derived(this.undoStack.length > 0);
  canRedo = $derived(this.redoStack.length > 0);
  /** The template the pack uses, when the template list knows it. */
  template = $derived(this.templates.find((t) => t.name === this.doc.meta.template) ?? null);

  #autosaveMs: number;
  #coalesceMs: number;
  #historyLimit: number;
  #now: () => number;
  #lastKey: string | null = null;
  #lastEditAt = -Infinity;
  #gen = 0;
  #savedGen = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #inFlight: Promise<boolean> | null = null;
  #previewRun: Promise<void> | null = null;
  #previewAgain = false;
  #cycleStart: number | null = null;
  #disposed = false;

  constructor(opened: OpenedPack, options: EditorOptions = {}) {
    this.name = opened.name;
    this.doc = opened.document;
    this.revision = opened.revision;
    this.checkProblems = opened.diagnostics;
    this.selectedArticle = opened.document.articles[0]?.id ?? null;
    this.#autosaveMs = options.autosaveMs ?? 600;
    this.#coalesceMs = options.coalesceMs ?? 800;
    this.#historyLimit = options.historyLimit ?? 200;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Loads the templates and the first preview. */
  async start(): Promise<void> {
    await Promise.all([this.loadTemplates(), this.refreshPreview()]);
  }

  async loadTemplates(): Promise<void> {
    try {
      this.templates = await api.listTemplates(this.name);
    } catch (e) {
      toasts.error("Could not list the templates", e);
    }
  }

  /** Stops timers; the store is not used afterwards. */
  dispose(): void {
    this.#disposed = true;
    this.#clearTimer();
  }

  // ---- editing -------------------------------------------------------------

  /**
   * Applies `mutate` to the document as one undoable edit. Edits with the same
   * non-null `key` within the coalescing window extend the previous undo step.
   */
  edit(key: string | null, mutate: (doc: PackDocument) => void): void {
    const now = this.#now();
    const coalesce = key !== null && key === this.#lastKey && now - this.#lastEditAt <= this.#coalesceMs && this.undoStack.length > 0;
    if (!coalesce) {
      const stack = [...this.undoStack, plain(this.doc)];
      this.undoStack = stack.length > this.#historyLimit ? stack.slice(stack.length - this.#historyLimit) : stack;
    }
    if (this.redoStack.length) this.redoStack = [];
    mutate(this.doc);
    this.#lastKey = key;
    this.#lastEditAt = now;
    this.#changed();
  }

  /** Sets the value at `path` (e.g. `["statistics", 1, "label"]`); typing there coalesces. */
  setPath(path: PathPart[], value: unknown): void {
    this.edit(path.join("."), (doc) => {
      walk(doc, path.slice(0, -1))[path[path.length - 1]] = value;
    });
  }

  /** Appends `value` to the list at `path`, creating the list if the field is absent. */
  pushAt(path: PathPart[], value: unknown): void {
    this.edit(null, (doc) => {
      const parent = walk(doc, path.slice(0, -1));
      const last = path[path.length - 1];
      if (!Array.isArray(parent[last])) parent[last] = [];
      (parent[last] as unknown[]).push(value);
    });
  }

  /** Removes item `index` of the list at `path`. */
  removeFrom(path: PathPart[], index: number): void {
    this.edit(null, (doc) => {
      const list = walk(doc, path) as unknown as unknown[];
      if (Array.isArray(list)) list.splice(index, 1);
    });
  }

  undo(): void {
    const previous = this.undoStack.at(-1);
    if (!previous) return;
    this.undoStack = this.undoStack.slice(0, -1);
    this.redoStack = [...this.redoStack, plain(this.doc)];
    this.doc = previous;
    this.#lastKey = null;
    this.#changed();
  }

  redo(): void {
    const next = this.redoStack.at(-1);
    if (!next) return;
    this.redoStack = this.redoStack.slice(0, -1);
    this.undoStack = [...this.undoStack, plain(this.doc)];
    this.doc = next;
    this.#lastKey = null;
    this.#changed();
  }

  #changed(): void {
    this.#gen++;
    this.saveState = "unsaved";
    this.#clearTimer();
    if (!this.conflict && !this.#disposed) this.#timer = setTimeout(() => void this.save(), this.#autosaveMs);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** True when every edit has been saved. */
  get isSaved(): boolean {
    return this.#gen === this.#savedGen;
  }

  // ---- saving --------------------------------------------------------------

  /** Saves now (waiting for a save in flight); true when everything is saved. */
  async save(): Promise<boolean> {
    this.#clearTimer();
    while (this.#inFlight) await this.#inFlight;
    if (this.conflict) return false;
    if (this.#gen === this.#savedGen) return true;
    this.#inFlight = this.#saveOnce();
    return this.#inFlight;
  }

  async #saveOnce(): Promise<boolean> {
    const gen = this.#gen;
    const document = plain(this.doc);
    this.saveState = "saving";
    this.#cycleStart = this.#now();
    try {
      const saved = await api.savePack(this.name, document, this.revision);
      this.revision = saved.revision;
      this.checkProblems = saved.diagnostics;
      this.#savedGen = gen;
      toasts.dismissKey("save-error");
      this.saveState = this.#gen === gen ? "saved" : "unsaved";
      void this.refreshPreview();
      return this.#gen === gen;
    } catch (e) {
      const err = asApiError(e);
      this.saveState = "unsaved";
      if (err.kind === "conflict") {
        this.conflict = true;
        this.#clearTimer();
        toasts.show({
          kind: "error",
          key: "conflict",
          persistent: true,
          message: "Another program changed this pack on disk after you opened it, so your latest edits were not saved.",
          detail: "Reload to continue from the version on disk (edits since the last save will be lost).",
          actions: [{ label: "Reload", run: () => this.reload() }],
        });
      } else {
        toasts.error("Could not save the pack", err, { key: "save-error" });
      }
      return false;
    } finally {
      this.#inFlight = null;
    }
  }

  // ---- import --------------------------------------------------------------

  /** The proposals of a file being imported, shown in the import dialog. */
  importing: import("../api").ImportPreview | null = $state(null);

  /** Asks for a saved page and shows what importing it would add. */
  async pickImport(): Promise<void> {
    const path = await dialogs.pickArticle();
    if (path) await this.previewImport(path);
  }

  /** Reads `path` (picked or dropped) and opens the import dialog. */
  async previewImport(path: string): Promise<void> {
    try {
      this.importing = await api.importPreview(path);
    } catch (e) {
      toasts.error("Could not import that file", e);
    }
  }

  /** Adds the article with the accepted proposals, saved atomically, then shows it. */
  async confirmImport(statistics: number[], organisations: number[]): Promise<void> {
    const preview = this.importing;
    if (!preview || !(await this.save())) return;
    try {
      const saved = await api.importArticle(this.name, preview.path, statistics, organisations, this.revision);
      this.importing = null;
      await this.reload({ quiet: true });
      this.checkProblems = saved.diagnostics;
      this.selectedArticle = this.doc.articles.find((a) => a.article.meta.title === preview.title)?.id ?? this.selectedArticle;
      toasts.show({ kind: "success", message: `Imported “${preview.title ?? "the article"}” with ${statistics.length} statistics and ${organisations.length} links.` });
    } catch (e) {
      toasts.error("Could not import the article", e);
    }
  }

  /**
   * Reads the pack again from disk, dropping unsaved edits and the undo history;
   * `quiet` when the caller reports the reason itself.
   */
  async reload({ quiet = false } = {}): Promise<void> {
    this.#clearTimer();
    while (this.#inFlight) await this.#inFlight;
    try {
      const opened = await api.loadPack(this.name);
      this.doc = opened.document;
      this.revision = opened.revision;
      this.checkProblems = opened.diagnostics;
      this.undoStack = [];
      this.redoStack = [];
      this.#lastKey = null;
      this.#savedGen = this.#gen;
      this.conflict = false;
      this.saveState = "saved";
      if (this.selectedArticle && !opened.document.articles.some((a) => a.id === this.selectedArticle)) {
        this.selectedArticle = opened.document.articles[0]?.id ?? null;
      }
      toasts.dismissKey("conflict");
      if (!quiet) toasts.show({ kind: "info", message: "Reloaded the pack from disk." });
      void this.refreshPreview();
    } catch (e) {
      toasts.error("Could not reload the pack", e);
    }
  }

  // ---- preview -------------------------------------------------------------

  /** Builds a preview of the saved pack; never two at once, one more if asked meanwhile. */
  refreshPreview(): Promise<void> {
    if (this.#previewRun) {
      this.#previewAgain = true;
      return this.#previewRun;
    }
    this.#previewRun = (async () => {
      this.previewBusy = true;
      try {
        do {
          this.#previewAgain = false;
          const meta = this.doc.meta;
          try {
            const preview = await api.renderPreview(this.name, meta.template || null, meta.edition ?? null);
            this.preview = preview;
            this.previewWarnings = preview.warnings;
            this.previewError = null;
            this.previewErrorProblems = [];
            toasts.dismissKey("preview");
          } catch (e) {
            const err = asApiError(e);
            this.previewError = err;
            this.previewErrorProblems = err.diagnostics;
            toasts.error("The preview could not be updated", err, { key: "preview", persistent: err.kind !== "invalid_pack", timeout: 8000 });
          }
        } while (this.#previewAgain && !this.#disposed);
      } finally {
        this.previewBusy = false;
        this.#previewRun = null;
      }
    })();
    return this.#previewRun;
  }

  /** Called by the preview pane once a preview's pages are on screen. */
  previewShown(): void {
    if (this.#cycleStart !== null) {
      this.refreshMs = Math.round(this.#now() - this.#cycleStart);
      this.#cycleStart = null;
    }
  }

  // ---- problems ------------------------------------------------------------

  /** Switches to the tab holding the problem's field and focuses its input. */
  async goToProblem(problem: Diagnostic): Promise<void> {
    const place = locateProblem(problem);
    if (!place) return;
    this.tab = place.tab;
    if (place.article) this.selectedArticle = place.article;
    await tick();
    const target = (place.inputId && document.getElementById(place.inputId)) || document.getElementById(`panel-${place.tab}`);
    if (target instanceof HTMLElement) {
      target.scrollIntoView?.({ block: "center" });
      target.focus();
    }
  }

  // ---- structure -----------------------------------------------------------

  moveSection(from: number, to: number): boolean {
    const count = this.doc.sections.length;
    if (from === to || from < 0 || to < 0 || from >= count || to >= count) return false;
    this.edit(null, (doc) => {
      const [moved] = doc.sections.splice(from, 1);
      doc.sections.splice(to, 0, moved);
    });
    return true;
  }

  addSection(kind: SectionKind): void {
    const section: Section = { kind, title: null, statistics: [], links: [] };
    if (kind === "article") section.article = this.doc.articles[0]?.id ?? null;
    if (kind === "markdown") section.body = "";
    this.edit(null, (doc) => void doc.sections.push(section));
  }

  removeAt(list: "sections" | "statistics" | "links" | "recommendations" | "questions", index: number): void {
    this.edit(null, (doc) => void doc[list].splice(index, 1));
  }

  addStatistic(): void {
    const id = freshId("statistic", this.doc.statistics.map((s) => s.id));
    this.edit(null, (doc) =>
      void doc.statistics.push({ id, label: "", value: 0, display: null, direction: null, period: null, as_of: null, source: null, source_url: null, grade: null, series: [] }),
    );
  }

  addLink(): void {
    const id = freshId("link", this.doc.links.map((l) => l.id));
    this.edit(null, (doc) => void doc.links.push({ id, title: "", url: "", organisation: null, use_for: null, audience: null }));
  }

  addArticle(id: string, title: string): void {
    this.edit(null, (doc) =>
      void doc.articles.push({ id, article: { meta: { title, source: null, author: null, published: null, url: null, retrieved: null, why_it_matters: null, key_points: [], marking: null }, body: "" } }),
    );
    this.selectedArticle = id;
  }

  // ---- export --------------------------------------------------------------

  /** Saves, asks where to write the PDF, writes it, then offers to open it. */
  async exportPdf(): Promise<void> {
    if (!(await this.save())) {
      toasts.show({ kind: "error", message: "Export stopped: the pack has unsaved edits that could not be saved." });
      return;
    }
    const template = this.doc.meta.template || null;
    const edition = this.doc.meta.edition ?? null;
    try {
      const suggested = await api.suggestedExportName(this.name, template, edition);
      const path = await dialogs.pickExportPath(suggested);
      if (!path) return;
      const written = await api.exportPdf(this.name, template, edition, path);
      toasts.show({
        kind: "success",
        message: `Exported ${baseName(written)}`,
        detail: written,
        timeout: 15000,
        actions: [
          { label: "Open", run: () => openExported(written, false) },
          { label: "Show in folder", run: () => openExported(written, true) },
        ],
      });
    } catch (e) {
      toasts.error("Could not export the PDF", e);
    }
  }
}

async function openExported(path: string, reveal: boolean): Promise<void> {
  try {
    await api.openExported(path, reveal);
  } catch (e) {
    toasts.error(reveal ? "Could not show the PDF in its folder" : "Could not open the PDF", e);
  }
}

type Node = Record<PathPart, unknown>;

/** The object at `path` inside `doc`. */
function walk(doc: PackDocument, path: PathPart[]): Node {
  let target = doc as unknown as Node;
  for (const part of path) target = target[part] as Node;
  return target;
}

/** `prefix-N` for the smallest N not already taken. */
export function freshId(prefix: string, taken: string[]): string {
  for (let n = taken.length + 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (!taken.includes(id)) return id;
  }
}
