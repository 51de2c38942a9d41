// The only module that talks to Rust: Briefpack's commands, the window's events
// and the opener plugin (links). Every command is typed with bindings generated
// from the Rust types (ts-rs, in ./bindings), so the two sides cannot drift.
// Errors arrive as ApiError {kind, message, file, line, diagnostics}.
//
// File and folder dialogs are opened by Rust (pick_import, export_pdf,
// choose_library, pick_trace): no path ever travels from the webview to a command.

import { invoke } from "@tauri-apps/api/core";
import { listen as listenEvent } from "@tauri-apps/api/event";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { openUrl } from "@tauri-apps/plugin-opener";
import type { ApiError } from "./bindings/ApiError";
import type { Diagnostic } from "./bindings/Diagnostic";
import type { ErrorKind } from "./bindings/ErrorKind";
import type { Exported } from "./bindings/Exported";
import type { LibraryView } from "./bindings/LibraryView";
import type { OpenedPack } from "./bindings/OpenedPack";
import type { PackDocument } from "./bindings/PackDocument";
import type { Preview } from "./bindings/Preview";
import type { PreviewPage } from "./bindings/PreviewPage";
import type { Saved } from "./bindings/Saved";
import type { TemplateView } from "./bindings/TemplateView";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { DistributionPlanView } from "./bindings/DistributionPlanView";
import type { DistributionProgress } from "./bindings/DistributionProgress";
import type { DistributionView } from "./bindings/DistributionView";
import type { LogEntry } from "./bindings/LogEntry";
import type { TraceView } from "./bindings/TraceView";
import type { HouseView } from "./bindings/HouseView";
import type { LibrarySettings } from "./bindings/LibrarySettings";

export type { ApiError, Diagnostic, ErrorKind, Exported, LibraryView, OpenedPack, PackDocument, Preview, PreviewPage, Saved, TemplateView, ImportPreview };
export type { DistributionPlanView, DistributionProgress, DistributionView, LogEntry, TraceView };
export type { HouseView, LibrarySettings };
export type { LogoSettings } from "./bindings/LogoSettings";
export type { HouseColours } from "./bindings/HouseColours";
export type { FontFamily } from "./bindings/FontFamily";
export type { CopyView } from "./bindings/CopyView";
export type { CopyOutcome } from "./bindings/CopyOutcome";
export type { Recipient } from "./bindings/Recipient";
export type { PackSummary } from "./bindings/PackSummary";
export type { PackMeta } from "./bindings/PackMeta";
export type { Statistic } from "./bindings/Statistic";
export type { Link } from "./bindings/Link";
export type { Section } from "./bindings/Section";
export type { SectionKind } from "./bindings/SectionKind";
export type { Recommendation } from "./bindings/Recommendation";
export type { Question } from "./bindings/Question";
export type { NamedArticle } from "./bindings/NamedArticle";
export type { Article } from "./bindings/Article";
export type { ArticleMeta } from "./bindings/ArticleMeta";
export type { SeriesPoint } from "./bindings/SeriesPoint";
export type { Purpose } from "./bindings/Purpose";
export type { Direction } from "./bindings/Direction";
export type { Severity } from "./bindings/Severity";

/** An ApiError made on this side (a refused link, an unexpected failure). */
export function apiError(kind: ErrorKind, message: string): ApiError {
  return { kind, message, file: null, line: null, diagnostics: [] };
}

/** Turns whatever a failed call threw into an ApiError. */
export function asApiError(e: unknown): ApiError {
  if (e && typeof e === "object" && "kind" in e && "message" in e) return e as ApiError;
  return apiError("internal", String(e));
}

async function call<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw asApiError(e);
  }
}

export const api = {
  /** The open library, its packs and its trash. */
  openLibrary: () => call<LibraryView>("open_library"),
  /** Asks for a folder (a dialog opened by Rust) and opens it; null if cancelled. */
  chooseLibrary: () => call<LibraryView | null>("choose_library"),
  /** Adds the example pack to the library; returns its folder name. */
  addExample: () => call<string>("add_example"),
  /** A new pack starting with the template's sections and no summary; returns its folder name. */
  createPack: (title: string, template: string | null = null) => call<string>("create_pack", { title, template }),
  duplicatePack: (name: string) => call<string>("duplicate_pack", { name }),
  /** Moves a pack to the library's trash; returns its name there. */
  deletePack: (name: string) => call<string>("delete_pack", { name }),
  /** Brings a pack back from the trash; returns its name in the library. */
  restorePack: (trashed: string) => call<string>("restore_pack", { trashed }),
  /** Deletes the packs in the trash for good; returns how many. */
  emptyTrash: () => call<number>("empty_trash"),
  loadPack: (name: string) => call<OpenedPack>("load_pack", { name }),
  /** The pack's revision on disk now (differs from the editor's when another program saved). */
  packRevision: (name: string) => call<string>("pack_revision", { name }),
  /** Saves if the pack is still at `revision` (else kind "conflict"); refuses an invalid document (kind "invalid_pack"). */
  savePack: (name: string, document: PackDocument, revision: string) => call<Saved>("save_pack", { name, document, revision }),
  /** What "keep mine" would replace, in plain words. */
  conflictDetails: (name: string, document: PackDocument) => call<string[]>("conflict_details", { name, document }),
  /** Writes the editor's document over the other program's changes. */
  keepMine: (name: string, document: PackDocument) => call<Saved>("keep_mine", { name, document }),
  /** The editor's document as a new pack "… (my copy)"; returns its folder name. */
  saveAsCopy: (name: string, document: PackDocument) => call<string>("save_as_copy", { name, document }),
  checkPack: (name: string) => call<Diagnostic[]>("check_pack", { name }),
  listTemplates: (name: string) => call<TemplateView[]>("list_templates", { name }),
  renderPreview: (name: string, template: string | null, edition: string | null) =>
    call<Preview>("render_preview", { name, template, edition }),
  /** Page `page` (0-based) of preview `build` painted `width` pixels wide (read with `pagePixels` in lib/pages). */
  previewPage: (build: number, page: number, width: number) => call<ArrayBuffer>("preview_page", { build, page, width }),
  /** Builds the PDF, asks where to save it (a dialog opened by Rust) and writes it; null if cancelled. */
  exportPdf: (name: string, template: string | null, edition: string | null) => call<Exported | null>("export_pdf", { name, template, edition }),
  openExported: (id: number, reveal: boolean) => call<void>("open_exported", { id, reveal }),
  revealPack: (name: string) => call<void>("reveal_pack", { name }),
  /** Asks for a saved page (a dialog opened by Rust) and previews its import; null if cancelled. */
  pickImport: () => call<ImportPreview | null>("pick_import"),
  /** Previews the import of the file last dropped on the window. */
  droppedImport: () => call<ImportPreview>("dropped_import"),
  /** Imports the picked or dropped page with the accepted proposals (by position). */
  importArticle: (name: string, statistics: number[], organisations: number[], revision: string) =>
    call<Saved>("import_article", { name, statistics, organisations, revision }),
  /** The names of the library's distribution lists. */
  distributionLists: () => call<string[]>("distribution_lists"),
  /** Who would receive a copy (from `list`, else the pack's own recipients), with which template and watermark. */
  distributionPlan: (name: string, list: string | null, template: string | null, edition: string | null) =>
    call<DistributionPlanView>("distribution_plan", { name, list, template, edition }),
  /** Issues the copies; progress arrives as events (`windowEvents.onDistributionProgress`). A cancelled run resolves with `stopped`. */
  distribute: (name: string, list: string | null, template: string | null, edition: string | null) =>
    call<DistributionView>("distribute", { name, list, template, edition }),
  /** Stops the distribution under way after the copy being written. */
  cancelDistribution: () => call<void>("cancel_distribution"),
  /** The pack's distribution log, oldest first. */
  distributionLog: (name: string) => call<LogEntry[]>("distribution_log", { name }),
  /** Opens a folder this session distributed to, by its number. */
  openDistribution: (id: number) => call<void>("open_distribution", { id }),
  /** Asks for a PDF (a dialog opened by Rust) and says whose copy it is; null if cancelled. */
  pickTrace: () => call<TraceView | null>("pick_trace"),
  /** Says whose copy the file last dropped on the window is. */
  traceDropped: () => call<TraceView>("trace_dropped"),
  /** The library's house style (library.toml), its problems and the templates a new pack may start with. */
  houseStyle: () => call<HouseView>("house_style"),
  /** Every problem the settings would have in library.toml, each with its field (`colours.accent`). */
  checkHouseStyle: (settings: LibrarySettings) => call<Diagnostic[]>("check_house_style", { settings }),
  /** Saves the settings as library.toml (only what changed; refused with kind "invalid_settings"). */
  saveHouseStyle: (settings: LibrarySettings) => call<HouseView>("save_house_style", { settings }),
  /** Pack `name` built in the settings, not yet saved: the live preview. */
  previewHouseStyle: (settings: LibrarySettings, name: string) => call<Preview>("preview_house_style", { settings, name }),
  /** Asks for the logo (a dialog opened by Rust); its path in the library, copied in if elsewhere; null if cancelled. */
  pickLogo: () => call<string | null>("pick_logo"),
};

/** The schemes a link may open with; the opener's capability scope allows the same three. */
const OPENABLE = /^(https?:\/\/|mailto:)/i;

/** Whether `url` is a link Briefpack will hand to the system (web pages and e-mail only). */
export function isOpenableLink(url: string): boolean {
  return OPENABLE.test(url.trim());
}

/** Opens a web or mail link in the user's browser or mail program; never inside the app. */
export async function openLink(url: string): Promise<void> {
  if (!isOpenableLink(url)) {
    throw apiError("link", `Only web (http, https) and mailto links can be opened, not ${url}`);
  }
  try {
    await openUrl(url.trim());
  } catch (e) {
    throw asApiError(e);
  }
}

/**
 * Subscribes through `subscribe` and returns a function that unsubscribes, even
 * if called before the subscription settles. Outside the app window (unit tests)
 * there is nothing to subscribe to, and the returned function does nothing.
 */
function listen(subscribe: () => Promise<() => void>): () => void {
  let stopped = false;
  let stop: (() => void) | undefined;
  try {
    subscribe()
      .then((unlisten) => (stopped ? unlisten() : (stop = unlisten)))
      .catch(() => {});
  } catch {
    // Not inside the app window.
  }
  return () => {
    stopped = true;
    stop?.();
  };
}

/** The event Rust emits when a file is dropped on the window (then ask for `api.droppedImport`). */
export const FILE_DROPPED_EVENT = "file-dropped";

/** The event Rust emits after each copy of a distribution is written and logged. */
export const DISTRIBUTION_PROGRESS_EVENT = "distribution-progress";

/**
 * Hears distribution progress; resolves once the subscription is in place (so a
 * distribution started afterwards loses no event) with its unsubscribe function.
 */
export async function onDistributionProgress(handler: (progress: DistributionProgress) => void): Promise<() => void> {
  try {
    return await listenEvent<DistributionProgress>(DISTRIBUTION_PROGRESS_EVENT, (e) => handler(e.payload));
  } catch {
    // Not inside the app window: the result of `api.distribute` still lists every copy.
    return () => {};
  }
}

/** Events of the app window; each subscription returns its unsubscribe function. */
export const windowEvents = {
  /** A file was dropped on the window; Rust holds it for `api.droppedImport`. */
  onFileDropped: (handler: () => void) => listen(() => listenEvent(FILE_DROPPED_EVENT, () => handler())),
  /** The window gained focus (the user may have changed files in another program meanwhile). */
  onFocus: (handler: () => void) =>
    listen(() =>
      getCurrentWindow().onFocusChanged(({ payload: focused }) => {
        if (focused) handler();
      }),
    ),
  /**
   * The user asked to close the window. The window closes when `handler`
   * resolves to true; on false it stays open (then `closeWindow` closes it).
   */
  onCloseRequested: (handler: () => Promise<boolean>) =>
    listen(() =>
      getCurrentWindow().onCloseRequested(async (event) => {
        if (!(await handler())) event.preventDefault();
      }),
    ),
  /** Closes the window without asking again. */
  closeWindow: async (): Promise<void> => {
    try {
      await getCurrentWindow().destroy();
    } catch (e) {
      throw asApiError(e);
    }
  },
};
