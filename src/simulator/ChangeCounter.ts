/**
 * The tenant-wide change counter behind every `changeVersion`. Versions are rendered as 20-digit
 * zero-padded decimals so that comparing them as strings (as clients must) orders them numerically.
 */
export class ChangeCounter {
  #current = 0;

  /** The newest version handed out: the high-water mark a delta starts from. */
  get current(): number {
    return this.#current;
  }

  next(): number {
    this.#current += 1;
    return this.#current;
  }
}

export function formatChangeVersion(version: number): string {
  return String(version).padStart(20, '0');
}
