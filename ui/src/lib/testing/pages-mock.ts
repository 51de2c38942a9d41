// A stand-in for `lib/pages` in component tests: jsdom has no canvas drawing, and
// the tests check what the app does with pages, not the pixels Rust paints.
// Use as `vi.mock("<path to>/lib/pages", () => import("<path to>/lib/testing/pages-mock"))`.
import type { Preview, PreviewPage } from "../../api";

export function pageSize(page: PreviewPage, cssWidth: number): { width: number; height: number } {
  return { width: Math.floor(cssWidth), height: Math.floor((page.height * cssWidth) / page.width) };
}

/** The page drawn as an empty canvas. */
export async function drawPage(_preview: Preview, index: number): Promise<HTMLElement> {
  const canvas = document.createElement("canvas");
  canvas.dataset.page = String(index + 1);
  return canvas;
}
