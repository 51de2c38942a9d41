// A tiny Markdown renderer for previews inside the editor: paragraphs, headings,
// lists, block quotes, emphasis, code and links. Every piece of text is escaped
// first, so the result is safe to insert as HTML; links are shown as text (a click
// must never navigate the app's window away).

/** Escapes the five HTML-significant characters. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Inline markup over already escaped text. */
function inline(escaped: string): string {
  const codes: string[] = [];
  let out = escaped.replace(/`([^`]+)`/g, (_, code: string) => {
    codes.push(`<code>${code}</code>`);
    return `\u0000${codes.length - 1}\u0000`;
  });
  out = out
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<span class="md-link">$1</span> <span class="md-url">($2)</span>')
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/__([^_]+)__/g, "<strong>$1</strong>")
    .replace(/(^|[^*\w])\*([^*\s][^*]*?)\*(?!\w)/g, "$1<em>$2</em>")
    .replace(/(^|[^_\w])_([^_\s][^_]*?)_(?!\w)/g, "$1<em>$2</em>")
    .replace(/\\\n/g, "<br>");
  return out.replace(/\u0000(\d+)\u0000/g, (_, i: string) => codes[Number(i)]);
}

/** Renders `markdown` to HTML in which all text has been escaped. */
export function renderMarkdown(markdown: string | null | undefined): string {
  if (!markdown) return "";
  const lines = escapeHtml(markdown.replace(/\r\n?/g, "\n")).split("\n");
  const html: string[] = [];
  let i = 0;
  const isBlank = (l: string) => l.trim() === "";
  const bullet = /^\s*[-*+]\s+(.*)$/;
  const numbered = /^\s*\d+[.)]\s+(.*)$/;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i++;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = heading[1].length;
      html.push(`<h${level}>${inline(heading[2])}</h${level}>`);
      i++;
      continue;
    }
    if (/^```/.test(line)) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^```/.test(lines[i])) body.push(lines[i++]);
      i++;
      html.push(`<pre><code>${body.join("\n")}</code></pre>`);
      continue;
    }
    if (/^\s*(---|\*\*\*|___)\s*$/.test(line)) {
      html.push("<hr>");
      i++;
      continue;
    }
    if (/^&gt;\s?/.test(line)) {
      const quote: string[] = [];
      while (i < lines.length && /^&gt;\s?/.test(lines[i])) quote.push(lines[i++].replace(/^&gt;\s?/, ""));
      html.push(`<blockquote>${renderEscapedParagraphs(quote)}</blockquote>`);
      continue;
    }
    const list = bullet.test(line) ? { tag: "ul", pattern: bullet } : numbered.test(line) ? { tag: "ol", pattern: numbered } : null;
    if (list) {
      const items: string[] = [];
      while (i < lines.length && !isBlank(lines[i])) {
        const m = list.pattern.exec(lines[i]);
        if (m) items.push(m[1]);
        else items[items.length - 1] += " " + lines[i].trim();
        i++;
      }
      html.push(`<${list.tag}>${items.map((it) => `<li>${inline(it)}</li>`).join("")}</${list.tag}>`);
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      !isBlank(lines[i]) &&
      !/^#{1,6}\s/.test(lines[i]) &&
      !/^```/.test(lines[i]) &&
      !(para.length && (bullet.test(lines[i]) || numbered.test(lines[i])))
    ) {
      para.push(lines[i++]);
    }
    html.push(`<p>${inline(para.join("\n"))}</p>`);
  }
  return html.join("\n");
}

function renderEscapedParagraphs(lines: string[]): string {
  return lines
    .join("\n")
    .split(/\n\s*\n/)
    .filter((p) => p.trim())
    .map((p) => `<p>${inline(p)}</p>`)
    .join("");
}
