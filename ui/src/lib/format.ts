// Small formatting helpers shared by the views.

import type { ApiError, Diagnostic } from "../api";

/** The last part of a path ("/a/b/pack-name" → "pack-name"), for either separator. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  return parts.length ? parts[parts.length - 1] : path;
}

/** The last two parts of a path ("…/pack-name/pack.toml"), readable in a toast. */
export function shortPath(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  return parts.slice(-2).join("/") || path;
}

/** "pack.toml:12": the file's name only (never the folders) and the line, for a problem. */
export function fileLine(file: string | null | undefined, line: number | null | undefined): string {
  if (!file) return "";
  return line ? `${baseName(file)}:${line}` : baseName(file);
}

/** A short lower-case name made of `text`'s letters and digits ("NCSC Board toolkit" → "ncsc-board-toolkit"). */
export function slug(text: string, max = 60): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/, "");
}

/** "file:line" for an error or problem that names a file, else "". */
export function location(file: string | null | undefined, line: number | null | undefined): string {
  if (!file) return "";
  return line ? `${shortPath(file)}:${line}` : shortPath(file);
}

/** The words in a Markdown text, ignoring markup such as `**`, `#` and list bullets. */
export function wordCount(markdown: string | null | undefined): number {
  if (!markdown) return 0;
  const words = markdown.match(/[\p{L}\p{N}][\p{L}\p{N}'’\-.,%€£$]*/gu);
  return words ? words.length : 0;
}

/** A date "2025-10-20" as "20 Oct 2025"; anything else unchanged. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const month = months[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

/** Milliseconds since 1970 as a short local date and time ("20 Oct 2025, 14:05"). */
export function formatModified(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return "—";
  const pad = (n: number) => String(n).padStart(2, "0");
  const iso = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${formatDate(iso)}, ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An error as one line for a person: the message, then where, when known. */
export function errorDetail(e: ApiError): string {
  return location(e.file, e.line);
}

/** A stable key for a problem, to drop duplicates that come from both check and build. */
export function problemKey(d: Diagnostic): string {
  return `${d.severity}|${d.file}|${d.line}|${d.field ?? ""}|${d.message}`;
}

/** An optional text field's value: empty means absent. */
export function opt(value: string): string | null {
  return value === "" ? null : value;
}
