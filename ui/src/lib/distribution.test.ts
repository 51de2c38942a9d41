import { describe, expect, it } from "vitest";
import { copyFileName, issuedAt, traceSummary } from "./distribution";
import { logEntry } from "./testing/fixtures";

describe("distribution words", () => {
  it("shows when a copy was issued at the issuer's own clock time", () => {
    expect(issuedAt("2026-11-28T09:30:00+00:00")).toBe("28 Nov 2026, 09:30");
    expect(issuedAt("2026-11-28T23:05:59-05:00")).toBe("28 Nov 2026, 23:05");
    expect(issuedAt("not a time")).toBe("not a time");
  });

  it("shortens a copy's file name to what tells copies apart", () => {
    expect(copyFileName("out/distribution-2025-10-20/q4-board-board-briefing-copy-03-jane-smith.pdf")).toBe("copy-03-jane-smith.pdf");
    expect(copyFileName("/elsewhere/other.pdf")).toBe("other.pdf");
  });

  it("says whose copy a traced file is, and how it knows", () => {
    const summary = traceSummary({ file_name: "found.pdf", trace: { by: "hash", matches: [{ pack_dir: "/lib/mi5", entry: logEntry(2, "Ravi Patel") }], logs_searched: 1 } });
    expect(summary.matched).toBe(true);
    expect(summary.headline).toBe("“found.pdf” is Ravi Patel’s copy.");
    expect(summary.lines[0]).toBe(
      "Copy 2 of 3 of “State threats and terrorism”, issued to Ravi Patel (Audit chair) on 28 Nov 2026, 09:30; pack folder mi5, board-briefing, file mi5-board-briefing-copy-02-ravi-patel.pdf.",
    );
    expect(summary.how).toContain("exactly as issued");
  });

  it("says plainly when a file matches nothing", () => {
    const summary = traceSummary({ file_name: "stranger.pdf", trace: { by: null, matches: [], logs_searched: 2 } });
    expect(summary.matched).toBe(false);
    expect(summary.headline).toBe("“stranger.pdf” matches no copy issued from this library (2 distribution logs searched).");
  });
});
