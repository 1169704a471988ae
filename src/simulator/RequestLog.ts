import type { ActiveFault } from './FaultList.js';

export interface RequestLogEntry {
  method: string;
  /** Path and query as requested. */
  path: string;
  /** The status answered; null while unanswered, or when the connection was dropped instead. */
  status: number | null;
  /** The injected fault that hit this request, if any. */
  fault?: ActiveFault['kind'];
}

/** Every request the simulator received, in arrival order. */
export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];

  begin(method: string, path: string): RequestLogEntry {
    const entry: RequestLogEntry = { method, path, status: null };
    this.#entries.push(entry);
    return entry;
  }

  all(): RequestLogEntry[] {
    return this.#entries.map((e) => ({ ...e }));
  }
}
