import { isAlias, isCollection, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { ConfigProblem } from './configTypes.js';

export interface Located {
  line?: number;
  column?: number;
}

/**
 * A parsed YAML document that can say where a key path (as zod reports it, e.g.
 * `['terminals', 0, 'levels']`) was written. Plain `YAML.parse` loses positions, which is why the
 * document API is used: every problem an operator sees must come with its line.
 */
export class YamlLocator {
  readonly doc: Document;
  readonly #lines = new LineCounter();

  constructor(text: string) {
    // uniqueKeys: a key written twice is an error, not a silent "last one wins".
    // prettyErrors off: its messages carry a multi-line source excerpt; we report line/column ourselves.
    this.doc = parseDocument(text, { lineCounter: this.#lines, prettyErrors: false, uniqueKeys: true });
  }

  /** Syntax errors with the parser's position; when there is any, the content is not trustworthy. */
  syntaxProblems(): ConfigProblem[] {
    return this.doc.errors.map((e) => ({ ...this.at(e.pos[0]), key: '', message: firstLine(e.message) }));
  }

  /** The plain data; an empty file is an empty mapping (so "required" problems follow). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 }) ?? {};
  }

  at(offset: number): Located {
    const { line, col } = this.#lines.linePos(offset);
    return { line, column: col };
  }

  /**
   * The position of the deepest node on `path` that exists: the key itself for a key of a
   * mapping (so an unknown or mistyped key points at its own line), the entry for an item of a
   * list, and the parent key when a required key is missing. Nothing for the top level.
   */
  locate(path: readonly PropertyKey[]): Located {
    let node: unknown = this.doc.contents;
    let found: Located = {};
    for (const key of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      if (!isCollection(node)) break;
      const items = node.items as unknown[];
      const item = items.find((it, i) => (isPair(it) ? isScalar(it.key) && String(it.key.value) === String(key) : i === key));
      if (item === undefined) break;
      const marker = isPair(item) ? item.key : item;
      const range = (marker as { range?: [number, number, number] | null } | null)?.range;
      if (range !== undefined && range !== null) found = this.at(range[0]);
      node = isPair(item) ? item.value : item;
    }
    return found;
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}
