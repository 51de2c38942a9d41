// A stand-in for `lib/pdf` in component tests: jsdom has no canvas drawing, and
// the tests check what the app does with pages, not how pdf.js draws them.
// Use as `vi.mock("<path to>/lib/pdf", () => import("<path to>/lib/testing/pdf-mock"))`.
import type { LoadedPdf } from "../pdf";

/** One A4-proportioned page, drawn as an empty canvas. */
export async function loadPdf(): Promise<LoadedPdf> {
  return {
    pages: 1,
    firstPageSize: async (width: number) => ({ width, height: Math.round(width * 1.414) }),
    render: async () => document.createElement("canvas"),
    close: () => {},
  };
}
