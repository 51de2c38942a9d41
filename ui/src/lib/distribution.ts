// Words for distribution: when a copy was issued, what a run did for each copy,
// and whose copy a traced file is. Plain functions over the generated types.

import type { CopyOutcome, TraceView } from "../api";
import { baseName, formatDate } from "./format";

/**
 * When a copy was issued, as the log records it ("2026-11-28T09:30:00+00:00"),
 * shown at the issuer's own clock time ("28 Nov 2026, 09:30"): the log holds the
 * offset, and converting would make the same log read differently on each machine.
 */
export function issuedAt(stamp: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(stamp);
  return m ? `${formatDate(m[1])}, ${m[2]}:${m[3]}` : stamp;
}

/**
 * A logged copy's file as the log table shows it: from "copy-" on
 * ("copy-02-ravi-patel.pdf"), since every copy of a pack shares the rest; the
 * whole name otherwise.
 */
export function copyFileName(file: string): string {
  const name = baseName(file);
  return /(?:^|-)(copy-\d+-.+)$/.exec(name)?.[1] ?? name;
}

/** A copy's state in the progress list. */
export type CopyState = "pending" | CopyOutcome;

export const COPY_STATE_LABEL: Record<CopyState, string> = {
  pending: "Pending",
  issued: "Written",
  logged: "Written earlier, now logged",
  already_issued: "Already issued",
};

export interface TraceSummary {
  matched: boolean;
  headline: string;
  /** One line per matching copy. */
  lines: string[];
  /** How it was matched, in words. */
  how: string | null;
}

const HOW: Record<string, string> = {
  hash: "Matched by its SHA-256: the file is exactly as issued.",
  copy_identifier: "Matched by the copy identifier in its document information: the file was changed or rewritten since it was issued.",
  printed_line: "Matched by the copy line printed on its pages: the file was made again from a copy, and only its text identifies it.",
};

/** What a trace found, in sentences. */
export function traceSummary(view: TraceView): TraceSummary {
  const { trace, file_name } = view;
  if (!trace.by || trace.matches.length === 0) {
    const logs = `${trace.logs_searched} distribution log${trace.logs_searched === 1 ? "" : "s"} searched`;
    return {
      matched: false,
      headline: `“${file_name}” matches no copy issued from this library (${logs}).`,
      lines: ["It was not issued from here, or it was changed beyond recognition."],
      how: null,
    };
  }
  const lines = trace.matches.map(({ pack_dir, entry }) => {
    const who = [entry.role, entry.organisation].filter(Boolean).join(", ");
    const template = entry.edition ? `${entry.template}, ${entry.edition} edition` : entry.template;
    return `Copy ${entry.copy} of ${entry.of} of “${entry.title}”, issued to ${entry.recipient}${who ? ` (${who})` : ""} on ${issuedAt(entry.issued_at)}; pack folder ${baseName(pack_dir)}, ${template}, file ${baseName(entry.file)}.`;
  });
  const headline = trace.matches.length === 1 ? `“${file_name}” is ${trace.matches[0].entry.recipient}’s copy.` : `“${file_name}” could be any of these ${trace.matches.length} copies:`;
  return { matched: true, headline, lines, how: HOW[trace.by] ?? null };
}
