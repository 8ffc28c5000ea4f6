// The emblem an office uploads for a template (the State emblem, or a mass organisation's logo):
// a PNG recognised by its first bytes, or an SVG accepted only when it is well-formed markup with
// nothing active in it. An SVG is a script vector, so the check is strict and refuses rather than
// cleans: no DOCTYPE or entity (no XML bombs or external entities), no CDATA, no script, no
// foreignObject, image, iframe, embed, object, animation or link elements, no on* attribute, no
// reference outside the file (href and url() only to "#id"). The renderer shows it in an <img>
// (Chromium's secure static mode: no scripts, no loads) with JavaScript off and the network blocked.
import { createHash } from 'node:crypto';
import type { FieldProblem } from '../errors.ts';

export const MAX_EMBLEM_BYTES = 1024 * 1024;

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface CheckedEmblem {
  contentType: 'image/png' | 'image/svg+xml';
  content: Buffer;
  sha256: string;
}

/** Elements that run, load or link something, refused wherever they appear (names compared without a namespace prefix, in lower case). */
const ACTIVE_ELEMENTS = new Set(['script', 'foreignobject', 'iframe', 'embed', 'object', 'image', 'feimage', 'a', 'animate', 'animatemotion', 'animatetransform', 'set', 'handler', 'listener', 'audio', 'video', 'canvas', 'link', 'meta', 'base', 'html', 'body']);

/** The upload as a stored emblem, or the problem with it (a 422 on the `emblem` field). */
export function checkEmblem(content: Buffer): CheckedEmblem | FieldProblem {
  const sha256 = createHash('sha256').update(content).digest('hex');
  if (content.length >= 16 && content.subarray(0, 8).equals(PNG_MAGIC) && content.subarray(12, 16).toString('latin1') === 'IHDR') {
    return { contentType: 'image/png', content, sha256 };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content).replace(/^\ufeff/, '');
  } catch {
    return typeProblem;
  }
  // Markup naming an svg element near its start is taken for an SVG, and then has to pass the check.
  if (!/^\s*</.test(text) || !/<svg[\s>]/i.test(text.slice(0, 4096))) return typeProblem;
  return svgIsInert(text) ? { contentType: 'image/svg+xml', content, sha256 } : unsafeProblem;
}

const typeProblem: FieldProblem = { field: 'emblem', reason: 'emblem_type', key: 'layouts.emblemType' };
const unsafeProblem: FieldProblem = { field: 'emblem', reason: 'emblem_unsafe', key: 'layouts.emblemUnsafe' };

const TAG = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const ATTRIBUTE = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Whether an SVG is well-formed (balanced tags, quoted attributes) with nothing active or external in it. */
export function svgIsInert(svg: string): boolean {
  if (/<!DOCTYPE|<!ENTITY|<!\[CDATA\[/i.test(svg)) return false;
  // The XML declaration and comments carry nothing the check needs; a comment is never parsed as markup.
  const text = svg.replace(/^\s*<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  if (/<\?|<!/.test(text)) return false;
  const open: string[] = [];
  let position = 0;
  let rootSeen = false;
  let inStyle = false;
  while (position < text.length) {
    const next = text.indexOf('<', position);
    const between = text.slice(position, next === -1 ? text.length : next);
    if (between.includes('>') || (inStyle && !inertCss(between))) return false;
    if (next === -1) break;
    TAG.lastIndex = next;
    const tag = TAG.exec(text);
    if (!tag) return false;
    const [, closing, name, attributes, selfClosing] = tag as unknown as [string, string, string, string, string];
    const local = name.split(':').pop()!.toLowerCase();
    if (closing) {
      if (attributes || selfClosing || open.pop() !== name) return false;
      if (local === 'style') inStyle = false;
    } else {
      if (open.length === 0 && (rootSeen || local !== 'svg')) return false;
      rootSeen = true;
      if (ACTIVE_ELEMENTS.has(local)) return false;
      for (const [, attribute, double, single] of attributes.matchAll(ATTRIBUTE)) {
        if (!inertAttribute(attribute!, double ?? single ?? '')) return false;
      }
      if (!selfClosing) {
        open.push(name);
        if (local === 'style') inStyle = true;
      }
    }
    position = TAG.lastIndex;
  }
  return rootSeen && open.length === 0;
}

function inertAttribute(name: string, value: string): boolean {
  const local = name.split(':').pop()!.toLowerCase();
  if (local.startsWith('on')) return false;
  const decoded = value.replace(/&#x?[0-9a-f]+;?/gi, '\u0000'); // an escaped character hides nothing: refused below
  if (decoded.includes('\u0000') && /href|src|style/i.test(local)) return false;
  if (local === 'href' || local === 'src') return value.trim().startsWith('#');
  if (local === 'style') return inertCss(value);
  return !/url\s*\(\s*['"]?\s*(?!#)/i.test(value) && !/javascript:/i.test(value);
}

/** CSS with no import, no expression and no url() but to "#id". */
function inertCss(css: string): boolean {
  return !/@import|expression\s*\(|javascript:|\\/i.test(css) && !/url\s*\(\s*['"]?\s*(?!#)/i.test(css);
}
