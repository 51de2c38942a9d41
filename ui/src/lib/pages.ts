// Draws a preview's pages. Rust lays the pack out and paints each page from the
// same layout the PDF is written from (`preview_page`: its colours and a colour
// index per pixel), at the size it will be shown; this module only puts those
// pixels on a canvas and lays the page's links over it. No PDF is parsed or
// drawn in the webview: a page of text took pdf.js 200–250 ms in WebKit's
// software canvas; a painted page arrives in a few tens of milliseconds.

import { api, type Preview, type PreviewPage } from "../api";

/** Where a link on a page leads: a web or mail address, or another page (0-based). */
export type LinkTarget = { url: string } | { page: number };

/** A page's on-screen size when shown `cssWidth` pixels wide. */
export function pageSize(page: PreviewPage, cssWidth: number): { width: number; height: number } {
  return { width: Math.floor(cssWidth), height: Math.floor((page.height * cssWidth) / page.width) };
}

/**
 * Page `index` (0-based) of `preview`, `cssWidth` pixels wide: a canvas with the
 * page's links laid over it, which call `onLink` when followed (never navigate).
 */
export async function drawPage(preview: Preview, index: number, cssWidth: number, onLink: (target: LinkTarget) => void): Promise<HTMLElement> {
  const page = preview.pages[index];
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  const size = pageSize(page, cssWidth);
  const image = pagePixels(await api.previewPage(preview.build, index, Math.max(1, Math.round(size.width * ratio))));
  const sheet = document.createElement("div");
  sheet.className = "pdf-page";
  sheet.style.width = `${size.width}px`;
  sheet.style.height = `${size.height}px`;
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `Page ${index + 1} of ${preview.pages.length}`);
  canvas.getContext("2d")?.putImageData(image, 0, 0);
  sheet.append(canvas);
  for (const link of page.links) {
    const target: LinkTarget | null = link.url ? { url: link.url } : link.page !== null ? { page: link.page } : null;
    if (!target) continue;
    sheet.append(
      linkElement(target, { left: link.left * size.width, top: link.top * size.height, width: link.width * size.width, height: link.height * size.height }, onLink),
    );
  }
  return sheet;
}

/**
 * The pixels of a page as `preview_page` sends them: width, height and a count
 * of colours (u32, little-endian); then that many RGBA colours and a byte per
 * pixel naming one, or, with a count of 0, the RGBA pixels themselves.
 */
export function pagePixels(sent: ArrayBuffer): ImageData {
  const [width, height, colours] = new Uint32Array(sent, 0, 3);
  if (colours === 0) return new ImageData(new Uint8ClampedArray(sent, 12, width * height * 4), width, height);
  const palette = new Uint32Array(sent, 12, colours);
  const indices = new Uint8Array(sent, 12 + 4 * colours, width * height);
  const pixels = new Uint32Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = palette[indices[i]];
  return new ImageData(new Uint8ClampedArray(pixels.buffer), width, height);
}

/**
 * A link drawn over the page. It has no href, so nothing the page contains can
 * make the webview navigate: following it only calls `onLink`.
 */
function linkElement(target: LinkTarget, box: { left: number; top: number; width: number; height: number }, onLink: (target: LinkTarget) => void): HTMLElement {
  const link = document.createElement("span");
  link.className = "pdf-link";
  link.setAttribute("role", "link");
  link.tabIndex = 0;
  const label = "url" in target ? target.url : `Page ${target.page + 1}`;
  link.title = label;
  link.setAttribute("aria-label", label);
  if ("url" in target) link.dataset.url = target.url;
  else link.dataset.page = String(target.page + 1);
  Object.assign(link.style, { left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px` });
  const follow = (event: Event) => {
    event.preventDefault();
    event.stopPropagation();
    onLink(target);
  };
  link.addEventListener("click", follow);
  link.addEventListener("keydown", (event) => {
    if (event.key === "Enter") follow(event);
  });
  return link;
}
