import { PtgwError } from '../core/errors.js';
import { fixtureSchema, type Fixture } from './fixtureSchema.js';

/**
 * Validates a fixture's shape and its cross references (structure versions, levels, parents,
 * restrictions, unique ids and codes), so that a broken fixture fails at start-up with one sentence
 * naming the file and the field, rather than as odd answers later.
 */
export function parseFixture(json: unknown, source: string): Fixture {
  const parsed = fixtureSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined ? '(root)' : fieldPath(issue.path);
    throw invalid(source, field, issue?.message ?? 'is invalid');
  }
  checkReferences(parsed.data, source);
  return parsed.data;
}

function checkReferences(fixture: Fixture, source: string): void {
  unique(fixture.clients.map((c) => c.clientId), 'clients', 'clientId', source);
  unique(fixture.structureVersions.map((s) => s.id), 'structureVersions', 'id', source);
  unique(fixture.definitions.map((d) => d.id), 'definitions', 'id', source);
  unique(fixture.people.map((p) => p.id), 'people', 'id', source);
  unique(fixture.terminals.map((t) => t.id), 'terminals', 'id', source);

  const levelsOf = new Map(fixture.structureVersions.map((s) => [s.id, s.levels]));
  const byId = new Map(fixture.definitions.map((d) => [d.id, d]));
  const taken = new Set<string>();
  const claim = (key: string, field: string, value: string): void => {
    if (taken.has(key)) throw invalid(source, field, `"${value}" is used twice on the same structure version and level`);
    taken.add(key);
  };
  fixture.definitions.forEach((d, i) => {
    const at = `definitions[${i}]`;
    const levels = levelsOf.get(d.structureVersion);
    if (levels === undefined) throw invalid(source, `${at}.structureVersion`, `"${d.structureVersion}" is not one of structureVersions`);
    if (d.level > levels) throw invalid(source, `${at}.level`, `${d.level} is beyond the ${levels} levels of its structure version`);
    if (d.parent !== undefined) {
      const parent = byId.get(d.parent.id);
      if (d.level === 1) throw invalid(source, `${at}.parent.id`, 'is set on a level-1 definition, which has no level above');
      if (parent === undefined || parent.structureVersion !== d.structureVersion || parent.level !== d.level - 1) {
        throw invalid(source, `${at}.parent.id`, `"${d.parent.id}" is not a definition on level ${d.level - 1} of the same structure version`);
      }
    }
    const scope = `${d.structureVersion}\u0000${d.level}`;
    if (d.dataEntryCode !== undefined) claim(`${scope}\u0000code\u0000${d.dataEntryCode}`, `${at}.dataEntryCode`, d.dataEntryCode);
    if (d.externalReference !== undefined) claim(`${scope}\u0000ext\u0000${d.externalReference}`, `${at}.externalReference`, d.externalReference);
    for (const [key, value] of Object.entries(d.customReferences)) claim(`${scope}\u0000custom\u0000${key}\u0000${value}`, `${at}.customReferences.${key}`, value);
    d.restrictions.forEach((r, j) => {
      if (r.level > levels) throw invalid(source, `${at}.restrictions[${j}].level`, `${r.level} is beyond the ${levels} levels of its structure version`);
      r.activityDefinitions.forEach((ref, k) => {
        const target = byId.get(ref.id);
        if (target === undefined || target.structureVersion !== d.structureVersion || target.level !== r.level) {
          throw invalid(source, `${at}.restrictions[${j}].activityDefinitions[${k}].id`, `"${ref.id}" is not a definition on level ${r.level} of the same structure version`);
        }
      });
    });
  });
}

function unique(values: readonly (string | number)[], list: string, field: string, source: string): void {
  const seen = new Set<string | number>();
  values.forEach((v, i) => {
    if (seen.has(v)) throw invalid(source, `${list}[${i}].${field}`, `"${v}" appears twice`);
    seen.add(v);
  });
}

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

function invalid(source: string, field: string, message: string): PtgwError {
  return new PtgwError('CONFIG_INVALID', `Simulator fixture ${source}: ${field} ${message}.`, { field });
}
