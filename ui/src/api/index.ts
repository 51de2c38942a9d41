// The only module that talks to Rust: Briefpack's commands, the window's events
// and the two Tauri plugins (native dialogs, opening links). Every command is typed with bindings
// generated from the Rust types (ts-rs, in ./bindings), so the two sides cannot
// drift. Errors arrive as ApiError {kind, message, file, line, diagnostics}.

import { invoke } from "@tauri-apps/api/core";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { ask, open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";
import { openUrl } from "@tauri-apps/plugin-opener";
import type { ApiError } from "./bindings/ApiError";
import type { Diagnostic } from "./bindings/Diagnostic";
import type { LibraryView } from "./bindings/LibraryView";
import type { OpenedPack } from "./bindings/OpenedPack";
import type { PackDocument } from "./bindings/PackDocument";
import type { Preview } from "./bindings/Preview";
import type { Saved } from "./bindings/Saved";
import type { TemplateView } from "./bindings/TemplateView";
import type { ImportPreview } from "./bindings/ImportPreview";

export type { ApiError, Diagnostic, LibraryView, OpenedPack, PackDocument, Preview, Saved, TemplateView, ImportPreview };
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

/** Turns whatever a failed call threw into an ApiError. */
export function asApiError(e: unknown): ApiError {
  if (e && typeof e === "object" && "kind" in e && "message" in e) return e as ApiError;
  return { kind: "internal", message: String(e), file: null, line: null, diagnostics: [] };
}

async function call<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw asApiError(e);
  }
}

export const api = {
  openLibrary: (path?: string) => call<LibraryView>("open_library", { path: path ?? null }),
  createPack: (title: string) => call<string>("create_pack", { title }),
  duplicatePack: (name: string) => call<string>("duplicate_pack", { name }),
  deletePack: (name: string) => call<string>("delete_pack", { name }),
  restorePack: (trashed: string) => call<string>("restore_pack", { trashed }),
  loadPack: (name: string) => call<OpenedPack>("load_pack", { name }),
  savePack: (name: string, document: PackDocument, revision: string) => call<Saved>("save_pack", { name, document, revision }),
  checkPack: (name: string) => call<Diagnostic[]>("check_pack", { name }),
  listTemplates: (name: string) => call<TemplateView[]>("list_templates", { name }),
  renderPreview: (name: string, template: string | null, edition: string | null) =>
    call<Preview>("render_preview", { name, template, edition }),
  exportPdf: (name: string, template: string | null, edition: string | null, path: string) =>
    call<string>("export_pdf", { name, template, edition, path }),
  suggestedExportName: (name: string, template: string | null, edition: string | null) =>
    call<string>("suggested_export_name", { name, template, edition }),
  openExported: (path: string, reveal: boolean) => call<void>("open_exported", { path, reveal }),
  revealPack: (name: string) => call<void>("reveal_pack", { name }),
  deleteArticle: (name: string, id: string) => call<void>("delete_article", { name, id }),
  importPreview: (path: string) => call<ImportPreview>("import_preview", { path }),
  importArticle: (name: string, path: string, statistics: number[], organisations: number[], revision: string) =>
    call<Saved>("import_article", { name, path, statistics, organisations, revision }),
};

/** End-to-end tests answer file dialogs through the environment, since WebDriver cannot reach native ones. */
const testDialogPath = (dialog: "save" | "open") => call<string | null>("test_dialog_path", { dialog });

/** The native dialogs. Each resolves to null when the user cancels. */
export const dialogs = {
  /** A Yes/No question; true for the OK answer. */
  ask: (message: string, options: { title: string; okLabel: string; cancelLabel: string }) =>
    ask(message, { ...options, kind: "warning" }),
  pickFolder: async (title: string): Promise<string | null> => {
    const picked = await openDialog({ directory: true, multiple: false, title });
    return typeof picked === "string" ? picked : null;
  },
  pickArticle: async (): Promise<string | null> => {
    const test = await testDialogPath("open");
    if (test) return test;
    const picked = await openDialog({
      multiple: false,
      directory: false,
      title: "Import an article",
      filters: [{ name: "Articles", extensions: ["txt", "md", "html", "htm"] }],
    });
    return typeof picked === "string" ? picked : null;
  },
  pickExportPath: async (suggested: string): Promise<string | null> =>
    (await testDialogPath("save")) ?? (await saveDialog({ defaultPath: suggested, filters: [{ name: "PDF", extensions: ["pdf"] }] })),
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
    const refused: ApiError = { kind: "link", message: `Only web (http, https) and mailto links can be opened, not ${url}`, file: null, line: null, diagnostics: [] };
    throw refused;
  }
  try {
    await openUrl(url.trim());
  } catch (e) {
    throw asApiError(e);
  }
}

/** Decodes the base64 PDF of a preview into bytes for pdf.js. */
export function previewBytes(preview: Preview): Uint8Array {
  const binary = atob(preview.pdf_base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
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

/** Events of the app window; each subscription returns its unsubscribe function. */
export const windowEvents = {
  /** Files dropped on the window, as paths. */
  onFileDrop: (handler: (paths: string[]) => void) =>
    listen(() =>
      getCurrentWebview().onDragDropEvent((event) => {
        if (event.payload.type === "drop" && event.payload.paths.length > 0) handler(event.payload.paths);
      }),
    ),
  /** The user asked to close the window; it closes once `handler` has finished. */
  onCloseRequested: (handler: () => Promise<void>) => listen(() => getCurrentWindow().onCloseRequested(handler)),
};
