/**
 * A secret that cannot leak by accident: string conversion, JSON, `util.inspect` (and so console.log
 * and pino's serialisers) all give `[redacted]`; only `reveal()` gives the value, to be called at
 * the one place that sends it. The value lives in a private field, so spreading or
 * `Object.entries` does not expose it either.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  // The registered symbol is util.inspect.custom; using Symbol.for keeps this file free of node:util.
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[redacted]';
  }
}
