// Draws PDF pages onto canvases with pdf.js. pdf.js and its worker are bundled by
// Vite (no network). One worker is kept for the whole session, so a refresh does
// not pay for starting it again. This module is imported lazily, so the library
// view and the unit tests never load pdf.js.

import { GlobalWorkerOptions, PDFWorker, getDocument } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

GlobalWorkerOptions.workerSrc = workerUrl;

let worker: PDFWorker | null = null;

function sharedWorker(): PDFWorker {
  if (!worker || worker.destroyed) worker = new PDFWorker();
  return worker;
}

/** Where a link on a page leads: a web or mail address, or another page (0-based). */
export type LinkTarget = { url: string } | { page: number };

/** A parsed PDF whose pages can be drawn one at a time. */
export interface LoadedPdf {
  pages: number;
  /** On-screen size of page 1 when drawn `cssWidth` pixels wide. */
  firstPageSize(cssWidth: number): Promise<{ width: number; height: number }>;
  /**
   * Draws page `n` (1-based) `cssWidth` pixels wide: a canvas with the page's
   * links laid over it, which call `onLink` when followed (never navigate).
   */
  render(n: number, cssWidth: number, onLink: (target: LinkTarget) => void): Promise<HTMLElement>;
  close(): void;
}

/** The subset of a pdf.js link annotation read here. */
interface LinkAnnotation {
  subtype: string;
  rect: number[];
  url?: string;
  unsafeUrl?: string;
  dest?: unknown;
}

export async function loadPdf(bytes: Uint8Array): Promise<LoadedPdf> {
  // disableFontFace: glyphs are drawn as paths instead of loading each build's
  // embedded fonts into the webview; measured with `make bench-preview`, it
  // cut the edit-to-pages-shown time from a median of 90 ms (max 220) to 65 ms (max 104).
  const pdf = await getDocument({ data: bytes, worker: sharedWorker(), isEvalSupported: false, enableXfa: false, disableFontFace: true }).promise;
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  return {
    pages: pdf.numPages,
    async firstPageSize(cssWidth) {
      const page = await pdf.getPage(1);
      const base = page.getViewport({ scale: 1 });
      return { width: Math.floor(cssWidth), height: Math.floor((base.height * cssWidth) / base.width) };
    },
    async render(n, cssWidth, onLink) {
      const page = await pdf.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: (cssWidth / base.width) * ratio });
      const sheet = document.createElement("div");
      sheet.className = "pdf-page";
      sheet.style.width = `${Math.floor(viewport.width / ratio)}px`;
      sheet.style.height = `${Math.floor(viewport.height / ratio)}px`;
      const canvas = document.createElement("canvas");
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", `Page ${n} of ${pdf.numPages}`);
      sheet.append(canvas);
      const [annotations] = await Promise.all([page.getAnnotations({ intent: "display" }), page.render({ canvas, viewport }).promise]);
      for (const annotation of annotations as LinkAnnotation[]) {
        if (annotation.subtype !== "Link") continue;
        const target = await linkTarget(annotation);
        if (!target) continue;
        const [x1, y1, x2, y2] = viewport.convertToViewportRectangle(annotation.rect);
        sheet.append(linkElement(target, {
          left: Math.min(x1, x2) / ratio,
          top: Math.min(y1, y2) / ratio,
          width: Math.abs(x2 - x1) / ratio,
          height: Math.abs(y2 - y1) / ratio,
        }, onLink));
      }
      page.cleanup();
      return sheet;
    },
    close() {
      void pdf.destroy();
    },
  };

  /** A link's target; internal links resolve to the page they point at. */
  async function linkTarget(annotation: LinkAnnotation): Promise<LinkTarget | null> {
    const url = annotation.url ?? annotation.unsafeUrl;
    if (url) return { url };
    if (!annotation.dest) return null;
    try {
      const dest = typeof annotation.dest === "string" ? await pdf.getDestination(annotation.dest) : annotation.dest;
      if (!Array.isArray(dest) || !dest[0]) return null;
      const ref = dest[0];
      return { page: typeof ref === "number" ? ref : await pdf.getPageIndex(ref) };
    } catch {
      return null;
    }
  }
}

/**
 * A link drawn over the page. It has no href, so nothing the PDF contains can
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
