import { formatOptionalDay, OPEN_END, OPEN_START, parseDay, type Day } from '../core/day.js';
import type { Definition, Usage, UsageKind } from '../core/model.js';

/** How the cache's rows and the model's definitions and usages turn into each other. */

export type Row = Record<string, unknown>;

export function dayOr(text: unknown, open: Day): Day {
  return typeof text === 'string' ? (parseDay(text) ?? open) : open;
}

export function toDefinition(r: Row): Definition {
  return {
    id: r.id as string,
    structureVersion: r.structure_version as string,
    level: r.level as number,
    parentId: (r.parent_id as string | null) ?? undefined,
    dataEntryCode: (r.data_entry_code as string | null) ?? undefined,
    shortCode: (r.short_code as string | null) ?? undefined,
    externalReference: (r.external_reference as string | null) ?? undefined,
    name: { default: r.name as string, translations: r.translations === null ? {} : (JSON.parse(r.translations as string) as Record<string, string>) },
    info: (r.info as string | null) ?? undefined,
    activeFrom: dayOr(r.active_from, OPEN_START),
    activeUntil: dayOr(r.active_until, OPEN_END),
    changeVersion: (r.change_version as string | null) ?? undefined,
  };
}

/** A definition as its row stores it. */
export function definitionRow(d: Definition): Record<string, string | number | null> {
  return {
    id: d.id,
    structureVersion: d.structureVersion,
    level: d.level,
    parentId: d.parentId ?? null,
    dataEntryCode: d.dataEntryCode ?? null,
    shortCode: d.shortCode ?? null,
    externalReference: d.externalReference ?? null,
    name: d.name.default,
    translations: Object.keys(d.name.translations).length === 0 ? null : JSON.stringify(d.name.translations),
    info: d.info ?? null,
    activeFrom: formatOptionalDay(d.activeFrom) ?? null,
    activeUntil: formatOptionalDay(d.activeUntil) ?? null,
    changeVersion: d.changeVersion ?? null,
  };
}

export function usageRow(u: Usage): [kind: UsageKind, reference: number, from: string, until: string | null] {
  return [u.kind, u.reference, formatOptionalDay(u.from) ?? '0001-01-01', formatOptionalDay(u.until) ?? null];
}
