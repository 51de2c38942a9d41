// Where a problem lives in the editor: which tab, which item, which input.
// Field paths come from the Rust side (`check`, a refused save) and from the
// editor's own checks, with 1-based indices as in `statistics[2].as_of` (the
// second statistic).

import type { Diagnostic, SectionKind } from "../api";
import { baseName } from "./format";

/** The editor's tabs, in the order of the tab rail. */
export const TABS = [
  { id: "details", label: "Details" },
  { id: "summary", label: "Summary" },
  { id: "sections", label: "Sections" },
  { id: "articles", label: "Articles" },
  { id: "statistics", label: "Statistics" },
  { id: "links", label: "Links" },
  { id: "recommendations", label: "Recommendations" },
  { id: "questions", label: "Questions" },
  { id: "objectives", label: "Objectives" },
  { id: "distribution", label: "Distribution" },
] as const;

export type TabId = (typeof TABS)[number]["id"];

/** Tabs every pack shows, whatever its template (every template's output can be distributed). */
export const ALWAYS_SHOWN: readonly TabId[] = ["details", "summary", "sections", "articles", "distribution"];

/** The tab that edits what a kind of section shows. */
export const TAB_OF_KIND: Record<SectionKind, TabId> = {
  summary: "summary",
  statistics: "statistics",
  article: "articles",
  links: "links",
  recommendations: "recommendations",
  markdown: "sections",
  objectives: "objectives",
  questions: "questions",
};

/**
 * The tabs for a template built to show `kinds` (null while the templates are
 * not known: every tab): the ones always shown, then those its sections use.
 */
export function tabsFor(kinds: readonly SectionKind[] | null): { shown: TabId[]; more: TabId[] } {
  if (!kinds) return { shown: TABS.map((t) => t.id), more: [] };
  const used = new Set<TabId>([...ALWAYS_SHOWN, ...kinds.map((k) => TAB_OF_KIND[k])]);
  return { shown: TABS.filter((t) => used.has(t.id)).map((t) => t.id), more: TABS.filter((t) => !used.has(t.id)).map((t) => t.id) };
}

/** A place in the editor: the tab, the item (0-based) or article id, and the input's DOM id. */
export interface Place {
  tab: TabId;
  index: number | null;
  article: string | null;
  /** The id of the input to focus, when there is one. */
  inputId: string | null;
  /** The id of the item's card or row, to focus when the field has no input of its own. */
  itemId?: string | null;
}

/** The DOM id of a field's input: `f-` then the path with dots, e.g. `f-statistics-1-as_of`. */
export function inputId(...parts: (string | number)[]): string {
  return "f-" + parts.join("-");
}

const META_TABS: Record<string, TabId> = {
  title: "details",
  subtitle: "details",
  audience: "details",
  purpose: "details",
  date: "details",
  prepared_by: "details",
  organisation: "details",
  marking: "details",
  staleness_months: "details",
  format: "details",
  template: "details",
  edition: "details",
  language: "details",
  // Set by the switches beside Export in the header (their inputs are found by id from any tab).
  accessible: "details",
  archival: "details",
  summary: "summary",
  objectives: "objectives",
  distribution: "distribution",
  watermark: "distribution",
  handling: "distribution",
};

const LIST_TABS: Record<string, TabId> = {
  statistics: "statistics",
  links: "links",
  sections: "sections",
  recommendations: "recommendations",
  questions: "questions",
  objectives: "objectives",
  recipients: "distribution",
};

/** The article id of a file `…/articles/<id>.md`, or null. */
export function articleOfFile(file: string): string | null {
  const m = /(?:^|[\\/])articles[\\/]([^\\/]+)\.md$/.exec(file);
  return m ? m[1] : null;
}

/** A template's own files: their problems are fixed by choosing another template (or mending the file). */
function isTemplateFile(file: string): boolean {
  return ["template.md", "style.toml"].includes(baseName(file));
}

/** Where the problem `d` can be fixed, or null if the editor has no place for it. */
export function locateProblem(d: Pick<Diagnostic, "file" | "field">): Place | null {
  const article = articleOfFile(d.file);
  if (article) {
    const m = /^([a-z_]+)(?:\[(\d+)\])?/.exec(d.field ?? "");
    const id = !m ? null : m[2] !== undefined ? inputId("article", article, m[1], Number(m[2]) - 1) : inputId("article", article, m[1]);
    return { tab: "articles", index: null, article, inputId: id };
  }
  if (isTemplateFile(d.file)) return { tab: "details", index: null, article: null, inputId: inputId("meta", "template") };
  const field = d.field ?? "";
  if (field === "") return { tab: "details", index: null, article: null, inputId: null };
  const list = /^([a-z_]+)\[(\d+)\](?:\.([a-z_]+))?(?:\[(\d+)\])?(?:\.([a-z_]+))?/.exec(field);
  if (list && LIST_TABS[list[1]]) {
    const tab = LIST_TABS[list[1]];
    const index = Number(list[2]) - 1;
    const sub = list[3];
    const itemId = inputId(list[1], index);
    if (tab === "objectives") return { tab, index, article: null, inputId: itemId, itemId };
    let id: string;
    if (sub === "series" && list[4] !== undefined) id = inputId(list[1], index, "series", Number(list[4]) - 1, list[5] ?? "date");
    else if (tab === "sections" && (sub === "statistics" || sub === "links" || sub === "marking" || !sub)) id = itemId;
    else id = sub ? inputId(list[1], index, sub) : itemId;
    return { tab, index, article: null, inputId: id, itemId };
  }
  const top = field.split(/[.[]/)[0];
  const tab = META_TABS[top] ?? LIST_TABS[top];
  if (!tab) return { tab: "details", index: null, article: null, inputId: null };
  if (top === "objectives") return { tab, index: null, article: null, inputId: null };
  if (META_TABS[top]) return { tab, index: null, article: null, inputId: inputId("meta", top) };
  return { tab, index: null, article: null, inputId: null };
}
