// Where a problem lives in the editor: which tab, which item, which input.
// Field paths come from the Rust side (`check`), with 1-based indices as in
// `statistics[2].as_of` (the second statistic).

import type { Diagnostic } from "../api";

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
] as const;

export type TabId = (typeof TABS)[number]["id"];

/** A place in the editor: the tab, the item (0-based) or article id, and the input's DOM id. */
export interface Place {
  tab: TabId;
  index: number | null;
  article: string | null;
  /** The id of the input to focus, when there is one. */
  inputId: string | null;
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
  summary: "summary",
  objectives: "objectives",
};

const LIST_TABS: Record<string, TabId> = {
  statistics: "statistics",
  links: "links",
  sections: "sections",
  recommendations: "recommendations",
  questions: "questions",
  objectives: "objectives",
};

/** The article id of a file `…/articles/<id>.md`, or null. */
export function articleOfFile(file: string): string | null {
  const m = /(?:^|[\\/])articles[\\/]([^\\/]+)\.md$/.exec(file);
  return m ? m[1] : null;
}

/** Where the problem `d` can be fixed, or null if the editor has no place for it. */
export function locateProblem(d: Diagnostic): Place | null {
  const article = articleOfFile(d.file);
  if (article) {
    const field = d.field?.split(/[.[]/)[0] || null;
    return { tab: "articles", index: null, article, inputId: field ? inputId("article", article, field) : null };
  }
  const field = d.field ?? "";
  if (field === "") return { tab: "details", index: null, article: null, inputId: null };
  const list = /^([a-z_]+)\[(\d+)\](?:\.([a-z_]+))?(?:\[(\d+)\])?(?:\.([a-z_]+))?/.exec(field);
  if (list && LIST_TABS[list[1]]) {
    const tab = LIST_TABS[list[1]];
    const index = Number(list[2]) - 1;
    const sub = list[3];
    if (tab === "objectives") return { tab, index, article: null, inputId: inputId("objectives", index) };
    let id: string;
    if (sub === "series" && list[4] !== undefined) id = inputId(list[1], index, "series", Number(list[4]) - 1, list[5] ?? "date");
    else if (tab === "sections" && (sub === "statistics" || sub === "links" || sub === "marking" || !sub)) id = inputId("sections", index);
    else id = sub ? inputId(list[1], index, sub) : inputId(list[1], index);
    return { tab, index, article: null, inputId: id };
  }
  const top = field.split(/[.[]/)[0];
  const tab = META_TABS[top] ?? LIST_TABS[top];
  if (!tab) return { tab: "details", index: null, article: null, inputId: null };
  if (META_TABS[top]) return { tab, index: null, article: null, inputId: inputId("meta", top) };
  return { tab, index: null, article: null, inputId: null };
}
