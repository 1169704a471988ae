import { ChangeLog } from './ChangeLog.js';
import type { DefinitionRecord, DefinitionRefKind } from './DefinitionRecord.js';

/**
 * The definitions of one (structure version, level) — one list path, one delta collection. The
 * array gives the stable listing order (continuation tokens are offsets into it); the maps make
 * every lookup by reference O(1).
 */
export class LevelList {
  readonly items: DefinitionRecord[] = [];
  readonly log = new ChangeLog<string>();
  readonly #byId = new Map<string, DefinitionRecord>();
  readonly #byCode = new Map<string, DefinitionRecord>();
  readonly #byExternal = new Map<string, DefinitionRecord>();
  /** Custom key → value → definition. */
  readonly #byCustom = new Map<string, Map<string, DefinitionRecord>>();

  constructor(
    readonly structureVersion: string,
    readonly level: number,
  ) {}

  find(ref: DefinitionRefKind, value: string): DefinitionRecord | undefined {
    switch (ref.kind) {
      case 'id':
        return this.#byId.get(value);
      case 'data-entry-code':
        return this.#byCode.get(value);
      case 'external-reference':
        return this.#byExternal.get(value);
      case 'custom':
        return this.#byCustom.get(ref.key)?.get(value);
    }
  }

  append(record: DefinitionRecord): void {
    this.items.push(record);
    this.index(record);
  }

  remove(record: DefinitionRecord): void {
    const at = this.items.indexOf(record);
    if (at >= 0) this.items.splice(at, 1);
    this.unindex(record);
  }

  index(record: DefinitionRecord): void {
    this.#byId.set(record.id, record);
    if (record.dataEntryCode !== undefined) this.#byCode.set(record.dataEntryCode, record);
    if (record.externalReference !== undefined) this.#byExternal.set(record.externalReference, record);
    for (const [key, value] of Object.entries(record.customReferences)) {
      let values = this.#byCustom.get(key);
      if (values === undefined) {
        values = new Map();
        this.#byCustom.set(key, values);
      }
      values.set(value, record);
    }
  }

  unindex(record: DefinitionRecord): void {
    this.#byId.delete(record.id);
    if (record.dataEntryCode !== undefined) this.#byCode.delete(record.dataEntryCode);
    if (record.externalReference !== undefined) this.#byExternal.delete(record.externalReference);
    for (const [key, value] of Object.entries(record.customReferences)) this.#byCustom.get(key)?.delete(value);
  }
}
