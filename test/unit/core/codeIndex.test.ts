import { describe, expect, it } from 'vitest';
import { CodeIndex } from '../../../src/core/codeIndex.js';
import { seedModel } from '../../fixtures/seedModel.js';
import { def, person, snapshot, SV } from '../../support/modelBuilder.js';

describe('the code index', () => {
  const index = CodeIndex.build(seedModel());

  it('counts what it holds, for the status page', () => {
    expect(index.stats).toEqual({ definitions: 9, usages: 10, restrictions: 2, people: 5 });
    expect(index.populated).toBe(true);
  });

  it('names a definition in the terminal language, falling back to the default name', () => {
    const cleaning = index.find(SV, 3, '00026');
    expect(cleaning?.displayName('fr')).toBe('Nettoyer');
    expect(cleaning?.displayName('de')).toBe('Cleaning');
    expect(cleaning?.displayName(undefined)).toBe('Cleaning');
  });

  it('shares one copy of repeated names and translations', () => {
    const idx = CodeIndex.build(
      snapshot({
        definitions: [
          def({ id: 'a', level: 1, code: '1', name: `Clean${'ing'}`, translations: { nl: 'Schoonmaken' } }),
          def({ id: 'b', level: 1, code: '2', name: ['Clean', 'ing'].join(''), translations: { nl: 'Schoonmaken' } }),
        ],
      }),
    );
    expect(idx.byId('a')?.translations).toBe(idx.byId('b')?.translations);
    expect(idx.byId('a')?.structureVersion).toBe(idx.byId('b')?.structureVersion);
  });

  it('lists the definitions of one level', () => {
    expect([...index.definitionsOn(SV, 2)].map((d) => d.code).sort()).toEqual(['100', '200']);
    expect([...index.definitionsOn('nope', 2)]).toEqual([]);
  });

  it('skips definitions without a data entry code for lookups but still knows them by id', () => {
    const idx = CodeIndex.build(snapshot({ definitions: [def({ id: 'nocode', level: 1 })], people: [person({ id: 1 })] }));
    expect(idx.byId('nocode')).toBeDefined();
    expect([...idx.definitionsOn(SV, 1)]).toEqual([]);
  });

  it('finds a code that differs only by case for a device that upper-cases, never guessing between two', () => {
    const idx = CodeIndex.build(
      snapshot({
        definitions: [def({ id: 'lower', level: 1, code: 'ab1' }), def({ id: 'upper', level: 1, code: 'CD2' }), def({ id: 'x1', level: 2, code: 'xy' }), def({ id: 'x2', level: 2, code: 'Xy' })],
      }),
    );
    expect(idx.find(SV, 1, 'AB1')).toBeUndefined();
    expect(idx.find(SV, 1, 'AB1', true)?.id).toBe('lower');
    expect(idx.find(SV, 1, 'CD2', true)?.id).toBe('upper');
    // The exact code wins; two codes folding together are no match.
    expect(idx.find(SV, 2, 'xy', true)?.id).toBe('x1');
    expect(idx.find(SV, 2, 'XY', true)).toBeUndefined();
    expect(idx.find(SV, 1, 'AB1', true) === idx.find(SV, 2, 'AB1', true)).toBe(false);
  });

  it('ignores usages and restrictions of definitions it does not hold, and keeps allowing one not held yet', () => {
    const idx = CodeIndex.build(
      snapshot({
        definitions: [def({ id: 'a', level: 1, code: '1' })],
        usages: [{ definitionId: 'ghost', kind: 'Group', reference: 1, from: 0, until: 10 }],
        restrictions: [{ definitionId: 'ghost', level: 2, allowed: ['a'] }, { definitionId: 'a', level: 2, allowed: ['ghost'] }],
      }),
    );
    expect(idx.stats).toMatchObject({ usages: 0, restrictions: 1 });
    // 'ghost' may arrive with a later sync: it is allowed then.
    expect([...(idx.byId('a')?.restrictions?.get(2)?.[0] ?? [])]).toEqual(['ghost']);
  });
});
