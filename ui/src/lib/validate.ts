// Validation as the user types. The Rust side checks again on save (and refuses
// to write a pack that would not load); these checks show the problem under the
// field at once, and keep autosave from sending a document the core would refuse.

import type { Diagnostic, Link, PackDocument, Statistic } from "../api";

/** A message per field name; a field with no problem has no entry. */
export type FieldErrors = Partial<Record<string, string>>;

/** `text` as a number ("35", "-4.2", "1,200"), or null if it is not one. */
export function parseNumber(text: string): number | null {
  const t = text.trim().replace(/,(?=\d{3}(\D|$))/g, "");
  if (t === "" || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** True for a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** 1–12 for a month's name or its abbreviation of three letters or more ("Oct", "Sept"), else -1. */
function monthNumber(word: string): number {
  if (word.length < 3) return -1;
  return MONTH_NAMES.findIndex((name) => name.startsWith(word)) + 1 || -1;
}

/**
 * A date as people in the UK write it, as YYYY-MM-DD, or null: "20 Oct 2025",
 * "20 October 2025", "20/10/2025", "20.10.2025", "20-10-2025" and "2025-10-20".
 * Numeric dates are read day first; a two-digit year means 20YY.
 */
export function parseDate(text: string): string | null {
  const t = text.trim().toLowerCase().replace(/,/g, " ").replace(/\s+/g, " ");
  let y: number, m: number, d: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(t))) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})(?:st|nd|rd|th)? ([a-z]{3,9})\.? (\d{2}|\d{4})$/.exec(t))) {
    m = monthNumber(match[2]);
    if (m < 0) return null;
    [d, y] = [Number(match[1]), Number(match[3])];
  } else {
    return null;
  }
  if (y < 100) y += 2000;
  const iso = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  return isIsoDate(iso) ? iso : null;
}

/** Why `url` is not a usable https address, or null when it is. */
export function httpsProblem(url: string): string | null {
  const t = url.trim();
  if (t === "") return null;
  let parsed: URL;
  try {
    parsed = new URL(t);
  } catch {
    return "Not a web address: use a full https address, like https://www.ncsc.gov.uk";
  }
  if (parsed.protocol !== "https:") return "Use an https address (starting https://), like https://www.ncsc.gov.uk";
  if (!parsed.hostname.includes(".")) return "The address needs a proper host name, like www.ncsc.gov.uk";
  return null;
}

/** An id problem: required, and unique among `ids` (which include this one). */
export function idProblem(id: string, ids: string[], noun: string): string | null {
  if (id.trim() === "") return `Give the ${noun} a short unique id, like "state-threats"`;
  if (ids.filter((other) => other === id).length > 1) return `Another ${noun} already uses the id "${id}"`;
  return null;
}

/**
 * Why `tag` cannot be a BCP 47 language tag (`en-GB`, `cy`, `fr-FR`), or null
 * when it can: a language of two or three letters, then parts of one to eight
 * letters or digits joined by hyphens. The core applies the same rule.
 */
export function languageTagProblem(tag: string): string | null {
  const [language, ...parts] = tag.split("-");
  if (!/^[A-Za-z]{2,3}$/.test(language)) return "a language tag starts with a two- or three-letter language code";
  if (parts.some((p) => !/^[A-Za-z0-9]{1,8}$/.test(p))) return "the parts after the language are letters or digits, joined by hyphens";
  return null;
}

/** True for an address that is a well-formed http (not https) one: the core only warns about these in sources. */
function isPlainHttp(url: string): boolean {
  return /^http:\/\//i.test(url.trim()) && httpsProblem(url.replace(/^http:/i, "https:")) === null;
}

/** Problems with one statistic, by field name. `valueText` is what the user typed in Value. */
export function statisticErrors(stat: Statistic, all: Statistic[], valueText?: string): FieldErrors {
  const errors: FieldErrors = {};
  const id = idProblem(stat.id, all.map((s) => s.id), "statistic");
  if (id) errors.id = id;
  if (stat.label.trim() === "") errors.label = "Say what is counted, in the source's words";
  if (valueText !== undefined && parseNumber(valueText) === null) errors.value = "Value must be a number, like 35 or 4.2";
  if (stat.as_of && !isIsoDate(stat.as_of)) errors.as_of = "As of must be a date like 2025-10-16";
  if (stat.source_url) {
    const url = httpsProblem(stat.source_url);
    if (url) errors.source_url = url;
  }
  if (stat.grade && !/^[A-F][1-6]$/.test(stat.grade)) {
    errors.grade = "An Admiralty grade is a letter A–F then a digit 1–6, like B2";
  }
  (stat.series ?? []).forEach((p, i) => {
    if (!isIsoDate(p.date)) errors[`series.${i}.date`] = "Give each point a date";
  });
  return errors;
}

/** Problems with one guidance link, by field name. */
export function linkErrors(link: Link, all: Link[]): FieldErrors {
  const errors: FieldErrors = {};
  const id = idProblem(link.id, all.map((l) => l.id), "link");
  if (id) errors.id = id;
  if (link.title.trim() === "") errors.title = "Say what the reader will find there";
  if (link.url.trim() === "") errors.url = "Give the https address of the guidance";
  else {
    const url = httpsProblem(link.url);
    if (url) errors.url = url;
  }
  return errors;
}

const PACK_FILE = "pack.toml";

function problem(field: string, message: string, severity: Diagnostic["severity"] = "error", file = PACK_FILE): Diagnostic {
  return { severity, file, line: 0, column: 0, field, message, hint: null };
}

/**
 * Every problem the editor can see in `doc` before saving, at its field
 * (`statistics[2].label`, 1-based as the core writes them). Errors are what
 * the core would refuse to save; warnings (an http source address) are not.
 */
export function documentProblems(doc: PackDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (doc.meta.title.trim() === "") out.push(problem("title", "Give the pack a title for its cover"));
  const language = doc.meta.language;
  if (language) {
    const wrong = languageTagProblem(language);
    if (wrong) out.push(problem("language", `“${language}” is not a language tag: ${wrong}`));
  }
  doc.statistics.forEach((stat, i) => {
    const at = `statistics[${i + 1}]`;
    for (const [key, message] of Object.entries(statisticErrors(stat, doc.statistics))) {
      if (!message) continue;
      const series = /^series\.(\d+)\.date$/.exec(key);
      const field = series ? `${at}.series[${Number(series[1]) + 1}].date` : `${at}.${key}`;
      out.push(problem(field, message, key === "source_url" && isPlainHttp(stat.source_url ?? "") ? "warning" : "error"));
    }
  });
  doc.links.forEach((link, i) => {
    for (const [key, message] of Object.entries(linkErrors(link, doc.links))) {
      if (message) out.push(problem(`links[${i + 1}].${key}`, message));
    }
  });
  doc.recommendations.forEach((r, i) => {
    if (r.text.trim() === "") out.push(problem(`recommendations[${i + 1}].text`, "Say what should be done"));
  });
  (doc.recipients ?? []).forEach((r, i) => {
    if (r.name.trim() === "") out.push(problem(`recipients[${i + 1}].name`, "Give the name printed on this person’s copy"));
  });
  doc.questions.forEach((q, i) => {
    if (q.text.trim() === "") out.push(problem(`questions[${i + 1}].text`, "Write the question"));
  });
  doc.sections.forEach((section, i) => {
    const at = `sections[${i + 1}]`;
    if (section.kind === "article") {
      if (!section.article) out.push(problem(`${at}.article`, "Choose the article this section shows"));
      else if (!doc.articles.some((a) => a.id === section.article)) out.push(problem(`${at}.article`, `There is no article “${section.article}” in this pack`));
    }
    if (section.kind === "markdown" && !section.body?.trim()) out.push(problem(`${at}.body`, "Write the text this section shows"));
  });
  for (const { id, article } of doc.articles) {
    const file = `articles/${id}.md`;
    // The core saves an article without a headline (it prints an empty heading): worth saying, not worth holding the save.
    if (article.meta.title.trim() === "") out.push(problem("title", "Give the article its headline", "warning", file));
    const url = article.meta.url;
    if (url) {
      const wrong = httpsProblem(url);
      if (wrong) out.push(problem("url", wrong, isPlainHttp(url) ? "warning" : "error", file));
    }
    const language = article.meta.language;
    if (language) {
      const wrong = languageTagProblem(language);
      if (wrong) out.push(problem("language", `“${language}” is not a language tag: ${wrong}`, "error", file));
    }
  }
  return out;
}
