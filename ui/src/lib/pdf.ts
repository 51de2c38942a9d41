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

/** A parsed PDF whose pages can be drawn one at a time. */
export interface LoadedPdf {
  pages: number;
  /** On-screen size of page 1 when drawn `cssWidth` pixels wide. */
  firstPageSize(cssWidth: number): Promise<{ width: number; height: number }>;
  /** Draws page `n` (1-based) on a new canvas `cssWidth` pixels wide. */
  render(n: number, cssWidth: number): Promise<HTMLCanvasElement>;
  close(): void;
}

export async function loadPdf(bytes: Uint8Array): Promise<LoadedPdf> {
  const pdf = await getDocument({ data: bytes, worker: sharedWorker(), isEvalSupported: false, enableXfa: false }).promise;
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  return {
    pages: pdf.numPages,
    async firstPageSize(cssWidth) {
      const page = await pdf.getPage(1);
      const base = page.getViewport({ scale: 1 });
      return { width: Math.floor(cssWidth), height: Math.floor((base.height * cssWidth) / base.width) };
    },
    async render(n, cssWidth) {
      const page = await pdf.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: (cssWidth / base.width) * ratio });
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
      return canvas;
    },
    close() {
      void pdf.destroy();
    },
  };
}
