import { describe, expect, it } from 'vitest';
import { CodeIndex } from '../../../src/core/codeIndex.js';
import { lookupDialog, parseLevelList } from '../../../src/core/lookup.js';
import { IDS, seedModel } from '../../fixtures/seedModel.js';
import { day, SV } from '../../support/modelBuilder.js';

const index = CodeIndex.build(seedModel());
const input = { structureVersion: SV, levels: [1, 2, 3], badge: '0001234', date: day('2025-03-04') };
const DENY = { noUsagePolicy: 'deny' as const };

describe('a whole dialog looked up at once', () => {
  it('accepts the Cleaning dialog with every step named', () => {
    const r = lookupDialog(index, { ...input, codes: ['1', '100', '00026'], language: 'nl' }, DENY);
    expect(r.decision).toBe('ACCEPTED');
    expect(r.steps.map((s) => [s.level, s.code, s.decision, s.definitionId, s.name])).toEqual([
      [1, '1', 'ACCEPTED', IDS.maintenance, 'Onderhoud'],
      [2, '100', 'ACCEPTED', IDS.order100, 'Order 100'],
      [3, '00026', 'ACCEPTED', IDS.cleaning, 'Schoonmaken'],
    ]);
  });

  it('trims the codes as a terminal does', () => {
    expect(lookupDialog(index, { ...input, codes: [' 1', '100 ', '00026'] }, DENY).decision).toBe('ACCEPTED');
  });

  it('stops at the first failing step and reports its reason', () => {
    const r = lookupDialog(index, { ...input, codes: ['1', '200', '300'] }, DENY);
    expect(r.decision).toBe('WRONG_PARENT');
    expect(r.steps).toHaveLength(2);
    expect(r.steps[1]).toMatchObject({ level: 2, code: '200', decision: 'WRONG_PARENT', definitionId: IDS.order200 });
  });

  it('reports a refused badge without steps', () => {
    const r = lookupDialog(index, { ...input, badge: 'nobody', codes: ['1'] }, DENY);
    expect(r).toMatchObject({ decision: 'UNKNOWN_BADGE', steps: [] });
  });

  it('refuses more codes than levels', () => {
    expect(lookupDialog(index, { ...input, levels: [1], codes: ['1', '100'] }, DENY).decision).toBe('BAD_INPUT');
  });
});

describe('the levels of a lookup, as written after --levels or ?levels=', () => {
  it('are level numbers separated by commas', () => {
    expect(parseLevelList('1,2,3')).toEqual([1, 2, 3]);
    expect(parseLevelList(' 2 , 3')).toEqual([2, 3]);
  });

  it('are refused when they are no level numbers', () => {
    for (const text of ['x', '1,,2', '0,1', '1.5', '']) expect(parseLevelList(text)).toBeUndefined();
  });

  // A terminal's levels are strictly increasing (the config refuses others): a lookup walks them as one would.
  it('are refused when they repeat or go back up the structure', () => {
    expect(parseLevelList('1,1')).toBeUndefined();
    expect(parseLevelList('2,1')).toBeUndefined();
  });
});
