import { isCollection, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';

export interface Located {
  line?: number;
  column?: number;
}

/** A parsed YAML document that can say on which line a key path (as zod reports it) was written. */
export class YamlLocator {
  readonly doc: Document;
  readonly #lines: LineCounter;

  constructor(text: string) {
    this.#lines = new LineCounter();
    this.doc = parseDocument(text, { lineCounter: this.#lines, prettyErrors: false, uniqueKeys: true });
  }

  at(offset: number): Located {
    const { line, col } = this.#lines.linePos(offset);
    return { line, column: col };
  }

  /** The line of the deepest node on the path that exists (the key itself for an unknown key). */
  locate(path: readonly PropertyKey[]): Located {
    let node: unknown = this.doc.contents;
    let found: Located = {};
    for (const key of path) {
      if (!isCollection(node)) break;
      const pair = (node.items as unknown[]).find((item, i) => (isPair(item) ? isScalar(item.key) && String(item.key.value) === String(key) : i === key));
      if (pair === undefined) break;
      const keyNode = isPair(pair) ? pair.key : pair;
      const range = (keyNode as { range?: [number, number, number] } | null)?.range;
      if (range !== undefined) found = this.at(range[0]);
      node = isPair(pair) ? pair.value : pair;
    }
    return found;
  }
}
