// Turns the raw V8 coverage that Node writes under NODE_V8_COVERAGE into
// LCOV line records for the TypeScript sources (scripts/coverage runs it).
//
// V8 counts executions of byte ranges of the JavaScript that tsx (esbuild)
// generated, not of lines, and it has no idea which TypeScript lines hold
// code. Both come from the source map tsx hands Node, which Node stores next
// to the counts ("source-map-cache"):
// - a TypeScript line is executable when the generated JavaScript has code
//   mapped to it (blank lines, comments, types and interfaces map to
//   nothing, since they compile to nothing);
// - it ran when the V8 range around any of that code has a count above 0
//   (the innermost range decides, as V8's block coverage nests them).
// Each test file runs in its own process, so a line ran if it ran in any.
// A module imported only for its types is never loaded, so V8 never sees it:
// when TypeScript compiles it to no JavaScript at all, it gets an empty
// record (no code lines); any other module no test loads gets none, and the
// report then names it as not measured.
//
// Usage: node --import tsx tools/coverage_lcov.ts V8_DIR OUT.lcov [ROOT]
// (only sources under ROOT, default the current folder, outside
// node_modules/ and tests/, are written).

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

interface V8Range {
  startOffset: number;
  endOffset: number;
  count: number;
}

interface V8Script {
  url: string;
  functions: { ranges: V8Range[] }[];
}

interface CachedSourceMap {
  lineLengths: number[];
  data: { sources: string[]; mappings: string };
}

interface V8File {
  result: V8Script[];
  'source-map-cache'?: Record<string, CachedSourceMap>;
}

/** Original line (1-based) → whether any code mapped to it ran. */
type LineHits = Map<number, boolean>;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One source-map segment: a generated position and, when it has one, the original position. */
interface Segment {
  generatedLine: number;
  generatedColumn: number;
  source: number;
  originalLine: number;
}

/** Decodes the mappings string (base64 VLQ, fields relative to the previous segment). */
export function decodeMappings(mappings: string): Segment[] {
  const segments: Segment[] = [];
  let source = 0;
  let originalLine = 0;
  mappings.split(';').forEach((group, generatedLine) => {
    let generatedColumn = 0;
    for (const text of group.split(',')) {
      if (text === '') continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of text) {
        const digit = BASE64.indexOf(char);
        if (digit < 0) throw new Error(`invalid source-map character ${JSON.stringify(char)}`);
        value += (digit & 31) * 2 ** shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
          value = 0;
          shift = 0;
        }
      }
      generatedColumn += fields[0] ?? 0;
      if (fields.length < 4) continue; // generated code that maps to no original text
      source += fields[1] ?? 0;
      originalLine += fields[2] ?? 0; // columns and names are not needed for lines
      segments.push({ generatedLine, generatedColumn, source, originalLine: originalLine + 1 });
    }
  });
  return segments;
}

/** The count of the innermost range holding `offset` (ranges nest in V8 block coverage). */
export function countAt(ranges: V8Range[], offset: number): number {
  let best: V8Range | undefined;
  for (const range of ranges) {
    if (range.startOffset <= offset && offset < range.endOffset) {
      if (!best || range.endOffset - range.startOffset <= best.endOffset - best.startOffset) {
        best = range;
      }
    }
  }
  return best?.count ?? 0;
}

/** Per original line of one script: executable lines and whether each ran. */
export function lineHits(script: V8Script, map: CachedSourceMap): LineHits {
  const lineStarts: number[] = [];
  let at = 0;
  for (const length of map.lineLengths) {
    lineStarts.push(at);
    at += length + 1; // the newline
  }
  const ranges = script.functions.flatMap((f) => f.ranges);
  const self = map.data.sources.findIndex((s) => s === script.url);
  const hits: LineHits = new Map();
  for (const segment of decodeMappings(map.data.mappings)) {
    if (segment.source !== self) continue;
    const start = lineStarts[segment.generatedLine];
    if (start === undefined) continue;
    const ran = countAt(ranges, start + segment.generatedColumn) > 0;
    hits.set(segment.originalLine, (hits.get(segment.originalLine) ?? false) || ran);
  }
  return hits;
}

/** Lines that hold only a comment or nothing: a mapping onto one is the generator's own. */
function codeLines(path: string): (line: number) => boolean {
  const lines = readFileSync(path, 'utf8').split('\n');
  return (line) => {
    const text = (lines[line - 1] ?? '').trim();
    return text !== '' && !text.startsWith('//') && !text.startsWith('/*') && !text.startsWith('*');
  };
}

/** Whether TypeScript compiles the file to no JavaScript (types and interfaces only). */
export function compilesToNothing(source: string): boolean {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: true },
  });
  return outputText.replace(/export\s*\{\s*\};?/g, '').trim() === '';
}

/** Every TypeScript source under `dir` that is book code (no tests, tools, SDK or packages). */
function sources(dir: string, top = true): string[] {
  const skipped = top ? ['node_modules', 'tests', 'tools', 'sdk'] : ['node_modules'];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.') && !skipped.includes(entry.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sources(path, false);
      return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
    })
    .sort();
}

function main(args: string[]): void {
  const [dir, out, rootArg] = args;
  if (!dir || !out) throw new Error('usage: coverage_lcov.ts V8_DIR OUT.lcov [ROOT]');
  const root = resolve(rootArg ?? '.') + sep;
  const merged = new Map<string, LineHits>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = JSON.parse(readFileSync(join(dir, name), 'utf8')) as V8File;
    const maps = file['source-map-cache'] ?? {};
    for (const script of file.result) {
      if (!script.url.startsWith('file://') || !script.url.endsWith('.ts')) continue;
      const path = fileURLToPath(script.url);
      const rel = path.startsWith(root) ? path.slice(root.length) : undefined;
      if (rel === undefined || /^(node_modules|tests|tools)\//.test(rel)) continue;
      const map = maps[script.url];
      if (!map) throw new Error(`${rel}: Node recorded no source map for it`);
      const into = merged.get(path) ?? new Map<number, boolean>();
      for (const [line, ran] of lineHits(script, map)) into.set(line, (into.get(line) ?? false) || ran);
      merged.set(path, into);
    }
  }
  for (const path of sources(root.slice(0, -1))) {
    if (!merged.has(path) && compilesToNothing(readFileSync(path, 'utf8'))) {
      merged.set(path, new Map());
    }
  }
  let lcov = '';
  for (const path of [...merged.keys()].sort()) {
    const isCode = codeLines(path);
    const lines = [...(merged.get(path) ?? new Map<number, boolean>())]
      .filter(([line]) => isCode(line))
      .sort(([a], [b]) => a - b);
    lcov += `SF:${path}\n`;
    for (const [line, ran] of lines) lcov += `DA:${line},${ran ? 1 : 0}\n`;
    lcov += `LF:${lines.length}\nLH:${lines.filter(([, ran]) => ran).length}\nend_of_record\n`;
  }
  writeFileSync(out, lcov);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
