export interface ChangeEntry<K> {
  version: number;
  id: K;
  /** The item left the collection (deleted, or moved to another structure version or level). */
  removed: boolean;
}

/**
 * Append-only record of the changes of one delta collection. Versions only grow, so the changes
 * after a mark are found by binary search instead of a scan of the whole collection.
 */
export class ChangeLog<K> {
  readonly #entries: ChangeEntry<K>[] = [];
  /** The last answer: every page of one delta walk asks for the same (after, upTo), and it cannot change. */
  #last: { after: number; upTo: number; changes: ChangeEntry<K>[] } | undefined;

  record(version: number, id: K, removed: boolean): void {
    this.#entries.push({ version, id, removed });
  }

  /**
   * The latest change of each item changed in (after, upTo], ordered by that change's version, so
   * that paging through the answer is stable while later changes keep arriving.
   */
  between(after: number, upTo: number): readonly ChangeEntry<K>[] {
    if (this.#last?.after === after && this.#last.upTo === upTo) return this.#last.changes;
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#entries[mid]!.version <= after) lo = mid + 1;
      else hi = mid;
    }
    const latest = new Map<K, ChangeEntry<K>>();
    for (let i = lo; i < this.#entries.length; i++) {
      const entry = this.#entries[i]!;
      if (entry.version > upTo) break;
      latest.delete(entry.id);
      latest.set(entry.id, entry);
    }
    this.#last = { after, upTo, changes: [...latest.values()] };
    return this.#last.changes;
  }
}
