// The pack being edited: the document, undo/redo, autosave, conflicts with other
// programs, what the user typed that is not valid yet, and the preview.
//
// Every edit goes through `edit` (or `setPath`), which pushes the previous document
// onto the undo stack (keystrokes in the same field within `coalesceMs` make one
// step) and schedules an autosave `autosaveMs` after the last edit. A document
// with a problem the core would refuse (an empty title, a date that is not a date)
// is not sent: the header says so and the field shows why. A successful save asks
// for a preview; at most one preview is in flight, and edits that arrive while one
// runs cause exactly one more afterwards.
//
// When another program changes the pack on disk (found by a refused save, or on
// window focus), autosave stops and a banner offers three ways out; edits go on
// accumulating meanwhile. Reading the pack from disk never drops the editor's
// version: it goes onto the undo stack.

import { tick } from "svelte";
import { api, asApiError } from "../api";
import type { ApiError, Diagnostic, ImportPreview, LogEntry, OpenedPack, PackDocument, Preview, Section, SectionKind, TemplateView, TraceView } from "../api";
import { baseName, problemKey, slug } from "./format";
import { inputId, locateProblem, tabsFor, type Place, type TabId } from "./problems";
import { toasts } from "./toasts.svelte";
import { documentProblems } from "./validate";

export type SaveState = "saved" | "unsaved" | "saving";

/** What the header says about saving, loudest first. */
export type SaveStatus = "conflict" | "invalid" | "saving" | "unsaved" | "saved";

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

/** Text in a field that is not a valid value yet (it stays in the field until fixed). */
export interface Draft {
  text: string;
  message: string;
  /** The field's label, to name it in the Problems list. */
  label: string;
  tab: TabId;
  article: string | null;
}

/** A problem shown in the Problems list: a diagnostic, and where in the editor it is fixed. */
export interface Problem extends Diagnostic {
  /** Set for problems found in the editor (not yet saved), as opposed to the core's. */
  local?: boolean;
  /** Where to go, when the field path alone does not say (a draft). */
  place?: Place;
}

/** What the preview shows (and Export uses) when it is not the pack's own template. */
export interface View {
  template: string;
  edition: string | null;
}

type PathPart = string | number;

/** A plain copy of reactive state (what goes to Rust and onto the undo stack). */
function plain<T>(value: T): T {
  return $state.snapshot(value) as T;
}

function same(a: PackDocument, b: PackDocument): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The key under which a field's message is found: its input's DOM id. */
function placeKey(d: Pick<Diagnostic, "file" | "field">): string | null {
  return locateProblem(d)?.inputId ?? null;
}

export class EditorStore {
  readonly name: string;
  doc = $state() as PackDocument;
  revision: string;

  undoStack = $state.raw<PackDocument[]>([]);
  redoStack = $state.raw<PackDocument[]>([]);
  saveState = $state<SaveState>("saved");
  /** Set while the pack on disk differs from the one this editor last read or wrote: autosave stops. */
  conflict = $state(false);
  /** A conflict choice is being carried out. */
  resolving = $state(false);

  /** Problems `check` reported on open or after the latest save. */
  checkProblems = $state.raw<Diagnostic[]>([]);
  /** Errors the core gave when it refused to save the document (kind "invalid_pack"). */
  refusedProblems = $state.raw<Diagnostic[]>([]);
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
  /** Invalid text typed into fields, by input id; kept across tab switches until fixed. */
  drafts = $state<Record<string, Draft>>({});
  /** The template and edition the preview shows instead of the pack's own (null: the pack's own). */
  view = $state<View | null>(null);

  /** Problems of the document as it is now, found here before saving. */
  localProblems = $derived(documentProblems(this.doc));
  /** What keeps the document from being saved: invalid text in fields and the errors above. */
  blocking = $derived.by(() => {
    const drafts = Object.values(this.drafts);
    return drafts.length + this.localProblems.filter((d) => d.severity === "error").length;
  });
  /** Messages shown under fields, by input id: typed text first, then the editor's checks, then a refused save. */
  fieldMessages = $derived.by(() => {
    const messages = new Map<string, { message: string; severity: Diagnostic["severity"] }>();
    for (const d of [...this.localProblems, ...this.refusedProblems.filter((p) => p.severity === "error")]) {
      const key = placeKey(d);
      if (key && !messages.has(key)) messages.set(key, { message: d.message, severity: d.severity });
    }
    return messages;
  });

  problems = $derived.by((): Problem[] => {
    const drafts: Problem[] = Object.entries(this.drafts).map(([id, draft]) => ({
      severity: "error",
      file: draft.article ? `articles/${draft.article}.md` : "pack.toml",
      line: 0,
      column: 0,
      field: null,
      message: draft.message,
      hint: `“${draft.text}” stays in the field, but is not saved until it is fixed`,
      local: true,
      place: { tab: draft.tab, index: null, article: draft.article, inputId: id },
    }));
    const local: Problem[] = this.localProblems.map((d) => ({ ...d, local: true }));
    // The editor's own view of a field replaces the core's older error there.
    const fresh = new Set(local.filter((d) => d.severity === "error").map(placeKey));
    const core = [...this.refusedProblems, ...this.previewErrorProblems, ...this.checkProblems, ...this.previewWarnings].filter(
      (d) => !(d.severity === "error" && fresh.has(placeKey(d))),
    );
    const seen = new Set<string>();
    const unique = [...drafts, ...local, ...core].filter((d) => {
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
  /** The template and edition the preview shows and Export uses. */
  shownTemplate = $derived(this.view?.template ?? this.doc.meta.template);
  shownEdition = $derived.by(() => {
    if (this.view) return this.view.edition;
    const editions = this.template?.editions ?? [];
    return this.doc.meta.edition ?? editions[0] ?? null;
  });
  shownTemplateView = $derived(this.templates.find((t) => t.name === this.shownTemplate) ?? null);
  /** The tabs for what the shown template is built to show; the rest go under More. */
  tabs = $derived(tabsFor(this.templates.length ? (this.shownTemplateView?.sections ?? null) : null));
  /** What the header says. */
  status = $derived.by((): SaveStatus => {
    if (this.conflict) return "conflict";
    if (this.blocking > 0 || this.refusedProblems.some((d) => d.severity === "error")) return "invalid";
    return this.saveState;
  });

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
  #checkingDisk = false;
  /** The last error toasted for a save or a preview, so a repeated failure is not toasted again. */
  #toasted: Record<string, string | null> = {};
  /** Ids of statistics and links added here whose id still follows their label or title. */
  #followingIds = new Set<string>();

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
    if (!coalesce) this.#pushUndo(plain(this.doc));
    if (this.redoStack.length) this.redoStack = [];
    mutate(this.doc);
    this.#lastKey = key;
    this.#lastEditAt = now;
    this.#changed();
  }

  #pushUndo(doc: PackDocument): void {
    const stack = [...this.undoStack, doc];
    this.undoStack = stack.length > this.#historyLimit ? stack.slice(stack.length - this.#historyLimit) : stack;
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
    this.#dropDrafts(inputId(...path));
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
    this.#afterReplace();
    this.#changed();
  }

  redo(): void {
    const next = this.redoStack.at(-1);
    if (!next) return;
    this.redoStack = this.redoStack.slice(0, -1);
    this.#pushUndo(plain(this.doc));
    this.doc = next;
    this.#afterReplace();
    this.#changed();
  }

  /** After the whole document was replaced: typed text and the chosen article may no longer apply. */
  #afterReplace(): void {
    this.#lastKey = null;
    this.drafts = {};
    if (this.selectedArticle && !this.doc.articles.some((a) => a.id === this.selectedArticle)) {
      this.selectedArticle = this.doc.articles[0]?.id ?? null;
    }
  }

  #changed(): void {
    this.#gen++;
    this.saveState = "unsaved";
    this.#schedule();
  }

  #schedule(): void {
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

  // ---- fields: typed text that is not a value yet, and messages -------------

  /** The invalid text held for the field `id`, if any. */
  draft(id: string): string | null {
    return this.drafts[id]?.text ?? null;
  }

  /** Keeps `text` in the field `id` with `message` until the user fixes it; the pack is not saved meanwhile. */
  setDraft(id: string, text: string, message: string, label: string): void {
    const article = this.tab === "articles" ? this.selectedArticle : null;
    this.drafts[id] = { text, message, label, tab: this.tab, article };
  }

  clearDraft(id: string): void {
    if (!(id in this.drafts)) return;
    delete this.drafts[id];
    // Edits held back while the field was invalid can go now.
    if (!this.isSaved) this.#schedule();
  }

  /** The message to show under the field `id` (invalid text, an editor check, or the core's refusal). */
  fieldMessage(id: string): { message: string; severity: Diagnostic["severity"] } | null {
    const draft = this.drafts[id];
    if (draft) return { message: draft.message, severity: "error" };
    return this.fieldMessages.get(id) ?? null;
  }

  /** Forgets the typed text of the fields under `prefix` (a list whose items moved or went). */
  #dropDrafts(prefix: string): void {
    for (const id of Object.keys(this.drafts)) if (id.startsWith(prefix + "-")) delete this.drafts[id];
  }

  // ---- saving --------------------------------------------------------------

  /** Saves now (waiting for a save in flight); true when everything is saved. */
  async save(): Promise<boolean> {
    this.#clearTimer();
    while (this.#inFlight) await this.#inFlight;
    if (this.conflict) return false;
    if (this.blocking > 0) return false;
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
      this.#saved(saved, gen);
      return this.#gen === gen;
    } catch (e) {
      const err = asApiError(e);
      this.saveState = "unsaved";
      if (err.kind === "conflict") {
        this.#enterConflict();
      } else if (err.kind === "invalid_pack") {
        // The fields and the Problems list show why; the header stays loud.
        this.refusedProblems = err.diagnostics;
      } else {
        this.#toastOnce("save", "Could not save the pack", err);
      }
      return false;
    } finally {
      this.#inFlight = null;
    }
  }

  /** Records a successful write of generation `gen`. */
  #saved(saved: { revision: string; diagnostics: Diagnostic[] }, gen: number): void {
    this.revision = saved.revision;
    this.checkProblems = saved.diagnostics;
    this.refusedProblems = [];
    this.#savedGen = gen;
    this.#toasted.save = null;
    toasts.dismissKey("save-error");
    this.saveState = this.#gen === gen ? "saved" : "unsaved";
    if (this.#gen !== gen) this.#schedule();
    void this.refreshPreview();
  }

  /** Shows an error toast for `what`, unless the same error is already the last one shown for it. */
  #toastOnce(what: "save" | "preview", title: string, err: ApiError): void {
    const key = `${err.kind}|${err.message}`;
    if (this.#toasted[what] === key) return;
    this.#toasted[what] = key;
    toasts.error(title, err, { key: `${what}-error` });
  }

  // ---- other programs ----------------------------------------------------

  #enterConflict(): void {
    this.conflict = true;
    this.#clearTimer();
    // What was said about an earlier conflict no longer applies; the banner speaks now.
    toasts.dismissKey("conflict-resolved");
    toasts.dismissKey("reloaded");
  }

  /**
   * Compares the pack on disk with the editor's (on window focus). If another
   * program changed it and nothing here is unsaved, shows theirs (yours stays
   * on the undo stack) and says so; with unsaved edits, raises the conflict.
   */
  async checkDisk(): Promise<void> {
    if (this.#disposed || this.conflict || this.#checkingDisk || this.resolving) return;
    this.#checkingDisk = true;
    try {
      while (this.#inFlight) await this.#inFlight;
      const known = this.revision;
      const onDisk = await api.packRevision(this.name);
      // A save that finished meanwhile changed what "ours" is: nothing can be concluded.
      if (onDisk === known || this.revision !== known || this.#inFlight || this.#disposed) return;
      if (this.isSaved && Object.keys(this.drafts).length === 0) {
        if (await this.reload()) {
          toasts.show({
            kind: "info",
            key: "reloaded",
            message: "Another program changed this pack on disk, so the editor now shows that version.",
            detail: this.canUndo ? "Undo (Ctrl+Z) brings back the version you had." : undefined,
            timeout: 10000,
          });
        }
      } else {
        this.#enterConflict();
      }
    } catch (e) {
      const err = asApiError(e);
      toasts.error(err.kind === "not_found" ? "This pack is no longer in the library" : "Could not check the pack on disk", err, { key: "disk-check" });
    } finally {
      this.#checkingDisk = false;
    }
  }

  /**
   * Reads the pack from disk. The editor's version goes onto the undo stack
   * (when it differs), so Undo brings it back; true when it worked.
   */
  async reload(): Promise<boolean> {
    this.#clearTimer();
    while (this.#inFlight) await this.#inFlight;
    try {
      const opened = await api.loadPack(this.name);
      const mine = plain(this.doc);
      if (!same(mine, opened.document)) {
        this.#pushUndo(mine);
        this.redoStack = [];
      }
      this.doc = opened.document;
      this.revision = opened.revision;
      this.checkProblems = opened.diagnostics;
      this.refusedProblems = [];
      this.#afterReplace();
      this.#savedGen = ++this.#gen;
      this.conflict = false;
      this.saveState = "saved";
      void this.refreshPreview();
      return true;
    } catch (e) {
      toasts.error("Could not read the pack from disk", e);
      return false;
    }
  }

  /** "Load theirs": shows the pack as the other program left it; Undo brings the editor's version back. */
  async loadTheirs(): Promise<void> {
    this.resolving = true;
    try {
      if (await this.reload()) {
        toasts.show({ kind: "info", key: "conflict-resolved", message: "Showing the version on disk. Undo (Ctrl+Z) brings back yours.", timeout: 10000 });
      }
    } finally {
      this.resolving = false;
    }
  }

  /**
   * True when the document can be written as it is; otherwise says what to fix
   * (a conflict choice writes the document, and the core refuses an invalid one).
   */
  readyToWrite(what: string): boolean {
    if (this.blocking === 0) return true;
    toasts.show({ kind: "error", key: "save-error", message: `${what} once the fields marked in red are fixed: the pack cannot be written with them.` });
    return false;
  }

  /** What "keep mine" would replace of the other program's changes, in plain words. */
  conflictDetails(): Promise<string[]> {
    return api.conflictDetails(this.name, plain(this.doc));
  }

  /** "Keep mine": writes the editor's document over the other program's changes. */
  async keepMine(): Promise<boolean> {
    this.resolving = true;
    const gen = this.#gen;
    try {
      const saved = await api.keepMine(this.name, plain(this.doc));
      this.conflict = false;
      this.#saved(saved, gen);
      toasts.show({ kind: "success", key: "conflict-resolved", message: "Saved your version over the other program's changes." });
      return true;
    } catch (e) {
      const err = asApiError(e);
      if (err.kind === "invalid_pack") {
        this.refusedProblems = err.diagnostics;
        toasts.error("Your version cannot be saved until its problems are fixed", err, { key: "save-error" });
      } else {
        toasts.error("Could not save your version", err, { key: "save-error" });
      }
      return false;
    } finally {
      this.resolving = false;
    }
  }

  /** "Save mine as a copy": the editor's document as a new pack; returns its folder name (null if it failed). */
  async saveAsCopy(): Promise<string | null> {
    this.resolving = true;
    try {
      return await api.saveAsCopy(this.name, plain(this.doc));
    } catch (e) {
      toasts.error("Could not save your version as a copy", e, { key: "save-error" });
      return null;
    } finally {
      this.resolving = false;
    }
  }

  // ---- import --------------------------------------------------------------

  /** The proposals of a file being imported, shown in the import dialog. */
  importing = $state<ImportPreview | null>(null);

  /** Asks for a saved page (Rust opens the dialog) and shows what importing it would add. */
  async pickImport(): Promise<void> {
    try {
      const preview = await api.pickImport();
      if (preview) this.importing = preview;
    } catch (e) {
      toasts.error("Could not import that file", e);
    }
  }

  /** Shows what importing the file just dropped on the window would add. */
  async previewDropped(): Promise<void> {
    try {
      this.importing = await api.droppedImport();
    } catch (e) {
      toasts.error("Could not import the dropped file", e);
    }
  }

  /** Adds the article with the accepted proposals as one undo step, then shows it. */
  async confirmImport(statistics: number[], organisations: number[]): Promise<void> {
    const preview = this.importing;
    if (!preview) return;
    if (!(await this.save())) {
      toasts.show({
        kind: "error",
        key: "import-blocked",
        message: this.conflict
          ? "Import stopped: another program changed this pack. Choose what to keep in the banner first."
          : "Import stopped: the pack has edits that cannot be saved yet. Fix the fields marked in red first.",
      });
      return;
    }
    const before = new Set(this.doc.articles.map((a) => a.id));
    try {
      await api.importArticle(this.name, statistics, organisations, this.revision);
      this.importing = null;
      // The document before the import goes onto the undo stack: Undo takes the whole import back.
      await this.reload();
      this.selectedArticle = this.doc.articles.find((a) => !before.has(a.id))?.id ?? this.selectedArticle;
      toasts.show({
        kind: "success",
        message: `Imported “${preview.title ?? preview.file_name}” with ${statistics.length} ${statistics.length === 1 ? "statistic" : "statistics"} and ${organisations.length} ${organisations.length === 1 ? "link" : "links"}.`,
        detail: "Undo (Ctrl+Z) takes the whole import back.",
      });
    } catch (e) {
      const err = asApiError(e);
      if (err.kind === "conflict") this.#enterConflict();
      toasts.error("Could not import the article", err);
    }
  }

  // ---- distribution ----------------------------------------------------------

  /** The Distribute dialog is open. */
  distributing = $state(false);
  /** The pack's distribution log (null until read). */
  distributionLog = $state.raw<LogEntry[] | null>(null);
  /** The library's distribution lists. */
  distributionLists = $state.raw<string[]>([]);
  /** What the latest traced file is. */
  traced = $state.raw<TraceView | null>(null);

  /** Adds a recipient (one undo step) at the end of the pack's own list. */
  addRecipient(): void {
    this.pushAt(["recipients"], { name: "", role: null, organisation: null, email: null });
  }

  /** Reads the pack's distribution log and the library's lists again. */
  async loadDistribution(): Promise<void> {
    try {
      const [log, lists] = await Promise.all([api.distributionLog(this.name), api.distributionLists()]);
      this.distributionLog = log;
      this.distributionLists = lists;
    } catch (e) {
      toasts.error("Could not read the distribution log", e, { key: "distribution-log" });
    }
  }

  /** Saves, then opens the Distribute dialog (copies are made from the pack on disk). */
  async openDistribute(): Promise<void> {
    if (!(await this.save())) {
      const why = this.conflict ? "another program changed this pack; choose what to keep in the banner first" : "the pack has edits that cannot be saved yet; fix the fields marked in red first";
      toasts.show({ kind: "error", key: "distribute-blocked", message: `Distribute stopped: ${why}.` });
      return;
    }
    this.distributing = true;
  }

  /** Asks for a PDF (Rust opens the dialog) and says whose copy it is. */
  async pickTrace(): Promise<void> {
    try {
      const traced = await api.pickTrace();
      if (traced) this.traced = traced;
    } catch (e) {
      toasts.error("Could not trace that file", e);
    }
  }

  /** Says whose copy the file just dropped on the window is. */
  async traceDropped(): Promise<void> {
    try {
      this.traced = await api.traceDropped();
    } catch (e) {
      toasts.error("Could not trace the dropped file", e);
    }
  }

  // ---- templates and the preview ---------------------------------------------

  /** Shows `template` (and `edition`) in the preview without changing the pack. */
  viewTemplate(template: string, edition: string | null = null): void {
    const editions = this.templates.find((t) => t.name === template)?.editions ?? [];
    const chosen = edition !== null && editions.includes(edition) ? edition : template === this.doc.meta.template ? (this.doc.meta.edition ?? editions[0] ?? null) : (editions[0] ?? null);
    const own = this.doc.meta.template;
    const ownEdition = this.doc.meta.edition ?? (this.template?.editions[0] ?? null);
    this.view = template === own && chosen === ownEdition ? null : { template, edition: chosen };
    void this.refreshPreview();
  }

  /** Sets the pack's own template and edition (in Details); the preview follows. */
  setOwnTemplate(template: string, edition: string | null): void {
    const editions = this.templates.find((t) => t.name === template)?.editions ?? [];
    this.edit(null, (d) => {
      d.meta.template = template;
      d.meta.edition = edition !== null && editions.includes(edition) ? edition : null;
    });
    this.view = null;
  }

  /** "Use for this pack": makes the template and edition the preview shows the pack's own. */
  useShownTemplate(): void {
    const view = this.view;
    if (!view) return;
    this.edit(null, (d) => {
      d.meta.template = view.template;
      d.meta.edition = view.edition;
    });
    this.view = null;
  }

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
          const view = this.view;
          try {
            const preview = await api.renderPreview(this.name, view?.template ?? null, view ? view.edition : null);
            this.preview = preview;
            this.previewWarnings = preview.warnings;
            this.previewError = null;
            this.previewErrorProblems = [];
            this.#toasted.preview = null;
            toasts.dismissKey("preview-error");
          } catch (e) {
            const err = asApiError(e);
            this.previewError = err;
            this.previewErrorProblems = err.diagnostics;
            // A pack or template problem is listed under Problems; anything else is worth a toast, once.
            if (err.kind !== "invalid_pack" && err.kind !== "template") this.#toastOnce("preview", "The preview could not be updated", err);
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
  async goToProblem(problem: Problem): Promise<void> {
    const place = problem.place ?? locateProblem(problem);
    if (!place) return;
    this.tab = place.tab;
    if (place.article) this.selectedArticle = place.article;
    await tick();
    const candidates = [place.inputId, place.itemId, `panel-${place.tab}`];
    const target = candidates.map((id) => (id ? document.getElementById(id) : null)).find((el) => el instanceof HTMLElement);
    if (!(target instanceof HTMLElement)) return;
    // A field inside a closed disclosure (an item's Advanced part) is opened first.
    let opened = false;
    for (let el = target.parentElement; el; el = el.parentElement) {
      if (el instanceof HTMLDetailsElement && !el.open) {
        el.open = true;
        opened = true;
      }
    }
    if (opened) await tick();
    target.scrollIntoView?.({ block: "center" });
    target.focus();
  }

  // ---- structure -----------------------------------------------------------

  moveSection(from: number, to: number): boolean {
    const count = this.doc.sections.length;
    if (from === to || from < 0 || to < 0 || from >= count || to >= count) return false;
    this.#dropDrafts(inputId("sections"));
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
    this.#dropDrafts(inputId(list));
    this.edit(null, (doc) => void doc[list].splice(index, 1));
  }

  addStatistic(): void {
    const id = freshId("statistic", this.doc.statistics.map((s) => s.id));
    this.#followingIds.add(`statistics:${id}`);
    this.edit(null, (doc) =>
      void doc.statistics.push({ id, label: "", value: 0, display: null, direction: null, period: null, as_of: null, source: null, source_url: null, grade: null, series: [] }),
    );
  }

  addLink(): void {
    const id = freshId("link", this.doc.links.map((l) => l.id));
    this.#followingIds.add(`links:${id}`);
    this.edit(null, (doc) => void doc.links.push({ id, title: "", url: "", organisation: null, use_for: null, audience: null }));
  }

  /**
   * Sets a statistic's label or a link's title. A statistic or link added in
   * this editor whose id was never typed by hand takes its id from that text
   * (unique in the pack), and sections that name it follow.
   */
  setNamingText(list: "statistics" | "links", index: number, text: string): void {
    const field = list === "statistics" ? "label" : "title";
    this.edit(`${list}.${index}.${field}`, (doc) => {
      const item = doc[list][index] as { id: string; label?: string; title?: string };
      (item as Record<string, unknown>)[field] = text;
      if (!this.#followingIds.has(`${list}:${item.id}`)) return;
      const taken = (doc[list] as { id: string }[]).filter((_, i) => i !== index).map((x) => x.id);
      const base = slug(text, 40);
      const id = base ? uniqueId(base, taken) : freshId(list === "statistics" ? "statistic" : "link", taken);
      if (id === item.id) return;
      this.#followingIds.delete(`${list}:${item.id}`);
      this.#followingIds.add(`${list}:${id}`);
      for (const section of doc.sections) {
        const refs = section[list];
        if (refs) section[list] = refs.map((r) => (r === item.id ? id : r));
      }
      item.id = id;
    });
  }

  /** Sets an id typed by hand: it no longer follows the label or title. */
  setId(list: "statistics" | "links", index: number, id: string): void {
    this.#followingIds.delete(`${list}:${this.doc[list][index].id}`);
    this.setPath([list, index, "id"], id);
  }

  addArticle(id: string, title: string): void {
    this.edit(null, (doc) =>
      void doc.articles.push({ id, article: { meta: { title, source: null, author: null, published: null, url: null, retrieved: null, why_it_matters: null, key_points: [], marking: null }, body: "" } }),
    );
    this.selectedArticle = id;
  }

  // ---- export --------------------------------------------------------------

  /** Saves, then has Rust build the PDF of what the preview shows, ask where to write it and write it. */
  async exportPdf(): Promise<void> {
    if (!(await this.save())) {
      const why = this.conflict ? "another program changed this pack; choose what to keep in the banner first" : "the pack has edits that cannot be saved yet; fix the fields marked in red first";
      toasts.show({ kind: "error", key: "export-blocked", message: `Export stopped: ${why}.` });
      return;
    }
    const view = this.view;
    try {
      const exported = await api.exportPdf(this.name, view?.template ?? null, view ? view.edition : null);
      if (!exported) return;
      toasts.show({
        kind: "success",
        message: `Exported ${baseName(exported.path)}`,
        detail: exported.path,
        timeout: 15000,
        actions: [
          { label: "Open", run: () => openExported(exported.id, false) },
          { label: "Show in folder", run: () => openExported(exported.id, true) },
        ],
      });
    } catch (e) {
      toasts.error("Could not export the PDF", e);
    }
  }
}

async function openExported(id: number, reveal: boolean): Promise<void> {
  try {
    await api.openExported(id, reveal);
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

/** `base`, or `base-2`, `base-3`… for the first not already taken. */
export function uniqueId(base: string, taken: string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}
