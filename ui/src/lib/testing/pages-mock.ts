// A stand-in for `lib/pages` in component tests: jsdom has no canvas drawing, and
// the tests check what the app does with pages, not the pixels Rust paints.
// Use as `vi.mock("<path to>/lib/pages", () => import("<path to>/lib/testing/pages-mock"))`.
import { vi } from "vitest";
import type { Preview } from "../../api";

/** Page sizes are worked out as in the app. */
export const { pageSize } = await vi.importActual<typeof import("../pages")>("../pages");

/** The page drawn as an empty canvas. */
export async function drawPage(_preview: Preview, index: number): Promise<HTMLElement> {
  const canvas = document.createElement("canvas");
  canvas.dataset.page = String(index + 1);
  return canvas;
}
