// Renders a PDF onto canvases with pdf.js. pdf.js and its worker are bundled by
// Vite (no network); this module is imported lazily so the library view and the
// unit tests never load pdf.js.

import { GlobalWorkerOptions, getDocument } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

GlobalWorkerOptions.workerSrc = workerUrl;

/** The rendered pages of one PDF, ready to be put on screen. */
export interface RenderedPdf {
  canvases: HTMLCanvasElement[];
  pages: number;
}

/**
 * Draws every page of `bytes` on its own canvas, `cssWidth` pixels wide on screen.
 * Returns null if `stillWanted` turns false meanwhile (a newer preview arrived).
 */
export async function renderPdf(bytes: Uint8Array, cssWidth: number, stillWanted: () => boolean): Promise<RenderedPdf | null> {
  const task = getDocument({ data: bytes, isEvalSupported: false, enableXfa: false, useSystemFonts: false });
  const pdf = await task.promise;
  try {
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    const canvases: HTMLCanvasElement[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      if (!stillWanted()) return null;
      const page = await pdf.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const scale = Math.max(cssWidth, 200) / base.width;
      const viewport = page.getViewport({ scale: scale * ratio });
      const canvas = document.createElement("canvas");
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
      canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
      canvas.className = "pdf-page";
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", `Page ${n} of ${pdf.numPages}`);
      await page.render({ canvas, viewport }).promise;
      page.cleanup();
      canvases.push(canvas);
    }
    return { canvases, pages: pdf.numPages };
  } finally {
    void pdf.destroy();
  }
}
