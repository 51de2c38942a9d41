// Test data shaped like what the Rust commands return.

import type { ApiError, Diagnostic, DistributionPlanView, ImportPreview, LibraryView, LogEntry, OpenedPack, PackDocument, Preview, Saved, TemplateView } from "../../api";

export function sampleDocument(): PackDocument {
  return {
    meta: {
      format: 1,
      title: "State threats and terrorism",
      subtitle: null,
      audience: "Board risk committee",
      purpose: "discussion",
      date: "2025-10-20",
      prepared_by: "Security adviser",
      organisation: null,
      marking: "TLP:AMBER",
      template: "board-briefing",
      edition: null,
      staleness_months: 12,
      summary: "**What changed.** MI5 reports a rise.",
      objectives: [],
    },
    statistics: [
      {
        id: "state-threat-investigations",
        label: "Increase in individuals investigated",
        value: 35,
        display: "+35%",
        direction: "up",
        period: "the last year",
        as_of: "2025-10-16",
        source: "MI5",
        source_url: "https://www.mi5.gov.uk",
        grade: null,
        series: [],
        marking: null,
      },
      {
        id: "late-stage-plots-disrupted",
        label: "Late-stage attack plots disrupted",
        value: 19,
        display: "19",
        direction: null,
        period: "since 2020",
        as_of: "2023-01-01",
        source: "MI5",
        source_url: "https://www.mi5.gov.uk",
        grade: null,
        series: [],
        marking: null,
      },
    ],
    links: [{ id: "ncsc", title: "NCSC guidance", url: "https://www.ncsc.gov.uk", organisation: "NCSC", use_for: null, audience: null }],
    sections: [
      { kind: "summary", title: "Bottom line up front", statistics: [], links: [] },
      { kind: "statistics", title: "Key figures", statistics: [], links: [] },
      { kind: "article", title: null, article: "mi5-update", statistics: [], links: [] },
    ],
    recommendations: [{ text: "Review insider-risk controls.", owner: "CSO", due: "2026-01-31" }],
    questions: [],
    articles: [
      {
        id: "mi5-update",
        article: {
          meta: { title: "MI5 annual threat update", source: "Professional Security", author: null, published: "2025-10-16", url: null, retrieved: null, why_it_matters: null, key_points: [], marking: null },
          body: "The Director General said…",
        },
      },
    ],
  };
}

export function opened(document: PackDocument = sampleDocument(), diagnostics: Diagnostic[] = []): OpenedPack {
  return { name: "mi5-threat-update-2025", document, revision: "rev-1", diagnostics };
}

export function saved(revision: string, diagnostics: Diagnostic[] = []): Saved {
  return { revision, written: ["pack.toml"], diagnostics };
}

/** A preview of A4 pages, one per fingerprint; pages are drawn by a mock of lib/pages in tests. */
export function preview(millis = 84, warnings: Diagnostic[] = [], fingerprints = ["page-1", "page-2"]): Preview {
  return {
    build: 1,
    pages: fingerprints.map((fingerprint) => ({ width: 595.28, height: 841.89, fingerprint, links: [] })),
    reading_minutes: 4,
    millis: millis as unknown as Preview["millis"],
    template: "board-briefing",
    edition: null,
    warnings,
  };
}

// Rust's TemplateView also says why a template cannot be used (`problem`, null when it can).
// Spread in untyped, so these fixtures stay valid while the generated binding catches up.
const usable = { problem: null } as object;
export const templates = [
  { name: "board-briefing", description: "Board pack", editions: [], sections: ["summary", "statistics", "article", "recommendations", "links"], ...usable },
  {
    name: "training-handout",
    description: "Handout",
    editions: ["participant", "facilitator"],
    sections: ["objectives", "statistics", "article", "questions", "links"],
    ...usable,
  },
] as TemplateView[];

export function library(): LibraryView {
  return {
    path: "/home/adviser/Briefings",
    packs: [
      { dir: "/home/adviser/Briefings/mi5-threat-update-2025", title: "State threats and terrorism", date: "2025-10-20", marking: "TLP:AMBER", modified: Date.UTC(2025, 9, 21, 9, 30), problem: null },
      { dir: "/home/adviser/Briefings/board-q3", title: "Quarterly board pack", date: "2025-07-01", marking: "OFFICIAL-SENSITIVE", modified: Date.UTC(2025, 6, 2, 14, 5), problem: null },
      {
        dir: "/home/adviser/Briefings/broken-pack",
        title: "broken-pack",
        date: null,
        marking: null,
        modified: Date.UTC(2025, 5, 1),
        problem: "broken-pack/pack.toml:3: `date` must be a date like 2025-10-16",
      },
    ],
    trash: [
      { dir: "/home/adviser/Briefings/.trash/old-briefing", title: "Old briefing", date: "2024-03-01", marking: "TLP:GREEN", modified: Date.UTC(2025, 8, 1), problem: null },
    ],
  };
}

/** An error as the commands throw it. */
export function apiError(kind: ApiError["kind"], message: string, diagnostics: Diagnostic[] = []): ApiError {
  return { kind, message, file: null, line: null, diagnostics };
}

/** What picking the seed page for import shows. */
export function importPreview(): ImportPreview {
  return {
    file_name: "mi5.txt",
    title: "MI5 annual threat update",
    byline: "Mark Rowe",
    date: null,
    source: "Professional Security Magazine",
    marking: null,
    body_markdown: "MI5’s fight against terrorism remains intense.",
    read_with: "the whole file, boilerplate lines removed",
    statistics: [
      { display: "35%", label: "increase in individuals investigated", period: "in the last year", sentence: "In the last year we’ve seen a 35 per cent increase." },
      { display: "19", label: "late-stage attack plots", period: "since the start of 2020", sentence: "since the start of 2020, MI5 and the police have disrupted 19 late-stage attack plots" },
    ],
    organisations: [
      { name: "NPSA", url: "https://www.npsa.gov.uk", context: false },
      { name: "GCHQ", url: "https://www.gchq.gov.uk", context: true },
    ],
  };
}

export function diagnostic(field: string | null, message: string, severity: Diagnostic["severity"] = "warning", file = "/lib/mi5-threat-update-2025/pack.toml"): Diagnostic {
  return { severity, file, line: 12, column: 1, field, message, hint: "Look for a newer figure." };
}

/** Copy `copy` of three in the distribution log, issued to `recipient`. */
export function logEntry(copy: number, recipient: string): LogEntry {
  const file = `mi5-board-briefing-copy-0${copy}-${recipient.toLowerCase().replace(/\W+/g, "-")}.pdf`;
  return {
    issued_at: "2026-11-28T09:30:00+00:00",
    issued_on: "2025-10-20",
    title: "State threats and terrorism",
    copy,
    of: 3,
    copy_id: `BP-TEST-${copy}`,
    recipient,
    role: copy === 2 ? "Audit chair" : null,
    organisation: null,
    email: null,
    template: "board-briefing",
    edition: null,
    file: `out/distribution-2025-10-20/${file}`,
    sha256: "ab".repeat(32),
  };
}

/** What a distribution to `names` would do. */
export function distributionPlan(names: string[], watermarked = false): DistributionPlanView {
  return {
    recipients: names.map((name) => ({ name, role: null, organisation: null, email: null })),
    template: "board-briefing",
    edition: null,
    watermarked,
    issue_date: "2025-10-20",
    folder: "/home/adviser/Briefings/mi5-threat-update-2025/out/distribution-2025-10-20",
    warnings: [],
  };
}
