/**
 * Returns one shared instance for equal strings (or records), so that a million definitions
 * carrying the same structure version, name or translations hold one copy of it.
 */
export class Interner {
  readonly #strings = new Map<string, string>();
  readonly #records = new Map<string, Readonly<Record<string, string>>>();

  string(value: string): string {
    const known = this.#strings.get(value);
    if (known !== undefined) return known;
    this.#strings.set(value, value);
    return value;
  }

  /** Empty records become undefined: most definitions have no translations at all. */
  record(value: Readonly<Record<string, string>>): Readonly<Record<string, string>> | undefined {
    const keys = Object.keys(value);
    if (keys.length === 0) return undefined;
    keys.sort();
    let key = '';
    for (const k of keys) key += `${k}\u0000${value[k]}\u0000`;
    const known = this.#records.get(key);
    if (known !== undefined) return known;
    const copy: Record<string, string> = {};
    for (const k of keys) copy[this.string(k)] = this.string(value[k] as string);
    const frozen = Object.freeze(copy);
    this.#records.set(key, frozen);
    return frozen;
  }
}
