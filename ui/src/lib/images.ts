// The images of an article's Markdown body and their descriptions (alternative
// text): which images the body shows as figures, and writing a description into
// one of them without touching the rest of the text.
//
// An image counts as the core counts it for the `image_descriptions` check: a
// paragraph made only of images, one `![description](path)` to a line, also
// inside a block quote or a list item. Images inside a sentence, in code blocks
// and in indented code are left alone.

/** An image the body shows as a figure. */
export interface BodyImage {
  /** The address as written between the parentheses (`charts/threats.png`). */
  path: string;
  /** The description, with Markdown's backslash escapes undone. */
  description: string;
  /** 0-based line of the body the image is on. */
  line: number;
  /** Where the description's source text starts and ends in that line (the end is the `]`). */
  start: number;
  end: number;
}

/** The description as Markdown: characters that would end it or turn into formatting are escaped, line breaks become spaces. */
export function escapeDescription(text: string): string {
  return text
    .replace(/[ \t]*[\r\n]+[ \t]*/g, " ")
    .replace(/[\\[\]`*<]/g, "\\$&")
    .replace(/_/g, (underscore, at: number, s: string) => (/[\p{L}\p{N}]/u.test(s[at - 1] ?? "") && /[\p{L}\p{N}]/u.test(s[at + 1] ?? "") ? underscore : "\\_"))
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, "\\&");
}

/** A description as written in Markdown, as the reader hears it: backslash escapes undone. */
export function unescapeDescription(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, "$1");
}

/** The image that is all of `text` (leading and trailing spaces aside), with its offsets in `text`. */
function loneImage(text: string): { path: string; start: number; end: number } | null {
  const lead = /^[ \t]*/.exec(text)![0].length;
  if (!text.startsWith("![", lead)) return null;
  const start = lead + 2;
  let depth = 0;
  let end = start;
  for (; end < text.length; end++) {
    const c = text[end];
    if (c === "\\") end++;
    else if (c === "[") depth++;
    else if (c === "]") {
      if (depth === 0) break;
      depth--;
    }
  }
  if (end >= text.length) return null;
  const target = /^\([ \t]*(?:<([^<>\n]*)>|([^\s<>]*?))(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^()]*\)))?[ \t]*\)[ \t]*$/.exec(text.slice(end + 1));
  if (!target) return null;
  return { path: target[1] ?? target[2], start, end };
}

const BLANK = /^[ \t]*$/;
const QUOTE = /^ {0,3}>[ \t]?/;
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)/;
const HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const FENCE = /^[ \t]*(`{3,}|~{3,})/;

interface Paragraph {
  /** How many block quotes it is in. */
  depth: number;
  images: BodyImage[];
  /** False once a line of it is anything but a lone image. */
  onlyImages: boolean;
}

/** The images `markdown` shows as figures, in order. */
export function bodyImages(markdown: string | null | undefined): BodyImage[] {
  if (!markdown) return [];
  const found: BodyImage[] = [];
  let paragraph: Paragraph | null = null;
  let fence: { char: string; length: number } | null = null;
  // Inside a list, indented lines are the items' text rather than code.
  let inList = false;
  const lines = markdown.split("\n");
  for (let line = 0; line < lines.length; line++) {
    const text = lines[line].endsWith("\r") ? lines[line].slice(0, -1) : lines[line];
    let rest = text;
    let depth = 0;
    for (let q = QUOTE.exec(rest); q; q = QUOTE.exec(rest)) {
      depth++;
      rest = rest.slice(q[0].length);
    }
    if (fence) {
      const end = /^[ \t]*(`+|~+)[ \t]*$/.exec(rest);
      if (end && end[1][0] === fence.char && end[1].length >= fence.length) fence = null;
      continue;
    }
    if (BLANK.test(rest)) {
      paragraph = close(paragraph, found);
      continue;
    }
    const item = LIST_ITEM.exec(rest);
    if (item) inList = true;
    else if (!paragraph && !/^[ \t]/.test(rest)) inList = false;
    if (paragraph && !item && SETEXT_UNDERLINE.test(rest)) {
      // The paragraph above is a heading: its images are part of the heading, not figures.
      paragraph.onlyImages = false;
      paragraph = close(paragraph, found);
      continue;
    }
    if (THEMATIC_BREAK.test(rest)) {
      paragraph = close(paragraph, found);
      continue;
    }
    if (item) rest = rest.slice(item[0].length);
    else if (!paragraph && !inList && /^(?: {4}|\t)/.test(rest)) continue; // indented code
    if (HEADING.test(rest)) {
      paragraph = close(paragraph, found);
      continue;
    }
    const opening = FENCE.exec(rest);
    if (opening) {
      paragraph = close(paragraph, found);
      fence = { char: opening[1][0], length: opening[1].length };
      continue;
    }
    // A list item or a deeper quote starts a new paragraph; other text carries on the open one.
    if (item || !paragraph || depth > paragraph.depth) {
      close(paragraph, found);
      paragraph = { depth, images: [], onlyImages: true };
    }
    const image = loneImage(rest);
    if (!image) {
      paragraph.onlyImages = false;
      continue;
    }
    const offset = text.length - rest.length;
    const [start, end] = [offset + image.start, offset + image.end];
    paragraph.images.push({ path: image.path, description: unescapeDescription(text.slice(start, end)), line, start, end });
  }
  close(paragraph, found);
  return found;
}

/** Ends `paragraph`: its images are figures if it is nothing else. */
function close(paragraph: Paragraph | null, found: BodyImage[]): null {
  if (paragraph?.onlyImages) found.push(...paragraph.images);
  return null;
}

/** `markdown` with the description of its image `index` (as `bodyImages` counts them) replaced by `description`. */
export function describeImage(markdown: string, index: number, description: string): string {
  const image = bodyImages(markdown)[index];
  if (!image) return markdown;
  const lines = markdown.split("\n");
  const text = lines[image.line];
  lines[image.line] = text.slice(0, image.start) + escapeDescription(description) + text.slice(image.end);
  return lines.join("\n");
}
