import { beforeAll, describe, expect, it } from 'vitest';
import { CodeIndex, type IndexedDefinition } from '../../../src/core/codeIndex.js';
import type { Snapshot } from '../../../src/core/model.js';
import { decideBadge, decideStep, type StepDecision, type ValidatorOptions } from '../../../src/core/validator.js';
import { IDS, seedModel } from '../../fixtures/seedModel.js';
import { day, def, person, snapshot, SV } from '../../support/modelBuilder.js';

const DENY: ValidatorOptions = { noUsagePolicy: 'deny' };
let index: CodeIndex;

beforeAll(() => {
  index = CodeIndex.build(seedModel());
});

function chosen(...ids: string[]): IndexedDefinition[] {
  return ids.map((id) => {
    const d = index.byId(id);
    if (d === undefined) throw new Error(id);
    return d;
  });
}

/** The dialog Maintenance > Order 100 > code, as a worker types it. */
function operation(code: string, date: string, badge = '0001234', choices = chosen(IDS.maintenance, IDS.order100)): StepDecision {
  return decideStep(index, { structureVersion: SV, level: 3, code, badge, date: day(date), choices }, DENY);
}

describe('the validator, rule by rule, on the seed examples', () => {
  it('accepts Cleaning 00026 for person 1234 inside every window, naming the definition', () => {
    const d = operation('00026', '2025-03-04');
    expect(d.reason).toBe('ACCEPTED');
    expect(d.accepted && d.definition.id).toBe(IDS.cleaning);
    expect(d.explanation).toContain('Cleaning');
  });

  describe('UNKNOWN_BADGE', () => {
    it('rejects a badge that maps to no person', () => {
      expect(operation('00026', '2025-03-04', '0009999').reason).toBe('UNKNOWN_BADGE');
    });
    it('takes the holder in service that day when a badge passed from a leaver to a new hire', () => {
      const shared = CodeIndex.build(
        snapshot({ people: [person({ id: 100, badge: '0042', outOfService: '2025-03-07' }), person({ id: 200, badge: '0042', inService: '2025-03-10' })] }),
      );
      const who = (date: string): number | string => {
        const d = decideBadge(shared, '0042', day(date));
        return d.accepted ? d.person.id : d.reason;
      };
      expect(who('2025-03-04')).toBe(100);
      expect(who('2025-03-10')).toBe(200);
      expect(who('2025-03-08')).toBe('UNKNOWN_BADGE');
    });
    it('does not confuse badges that differ by leading zeros', () => {
      expect(operation('00026', '2025-03-04', '1234').reason).toBe('UNKNOWN_BADGE');
    });
    it('rejects a person out of service, and accepts them on their last day in service', () => {
      const base = { structureVersion: SV, level: 1, code: '1', badge: '0000099', choices: [] };
      expect(decideStep(index, { ...base, date: day('2025-04-01') }, DENY).reason).toBe('UNKNOWN_BADGE');
      expect(decideStep(index, { ...base, date: day('2025-03-31') }, DENY).reason).toBe('ACCEPTED');
    });
    it('rejects a person before their in-service date, and accepts them on it', () => {
      expect(decideBadge(index, '0000099', day('2019-12-31')).accepted).toBe(false);
      expect(decideBadge(index, '0000099', day('2020-01-01')).accepted).toBe(true);
    });
    it('knows every badge of a person with several', () => {
      expect(decideBadge(index, 'B77', day('2025-03-04')).accepted).toBe(true);
      expect(decideBadge(index, '0000077', day('2025-03-04')).accepted).toBe(true);
    });
    it('is checked before the code', () => {
      expect(operation('nonsense', '2025-03-04', 'nobody').reason).toBe('UNKNOWN_BADGE');
    });
  });

  describe('UNKNOWN_CODE', () => {
    it('rejects a code that is on no definition of the level', () => {
      expect(operation('99999', '2025-03-04').reason).toBe('UNKNOWN_CODE');
    });
    it('treats codes that differ only by leading zeros as different codes', () => {
      expect(operation('00026', '2025-03-04').accepted && operation('00026', '2025-03-04')).toMatchObject({ definition: { id: IDS.cleaning } });
      expect(operation('26', '2025-03-04')).toMatchObject({ reason: 'ACCEPTED', definition: { id: IDS.painting } });
      expect(operation('026', '2025-03-04').reason).toBe('UNKNOWN_CODE');
    });
    it('looks only at the level asked for', () => {
      // "100" is an order (level 2), not an operation.
      expect(operation('100', '2025-03-04').reason).toBe('UNKNOWN_CODE');
    });
    it('looks only at the structure version asked for', () => {
      const d = decideStep(index, { structureVersion: 'other-sv', level: 1, code: '1', badge: '0001234', date: day('2025-03-04'), choices: [] }, DENY);
      expect(d.reason).toBe('UNKNOWN_CODE');
    });
    it('compares exactly: case and inner spaces matter', () => {
      const idx = CodeIndex.build(snapshot({ definitions: [def({ id: 'x', level: 1, code: 'AB1' })], people: [person({ id: 1 })] }));
      const step = (code: string): string => decideStep(idx, { structureVersion: SV, level: 1, code, badge: '1', date: 0, choices: [] }, { noUsagePolicy: 'allow' }).reason;
      expect(step('AB1')).toBe('ACCEPTED');
      expect(step('ab1')).toBe('UNKNOWN_CODE');
      expect(step('A B1')).toBe('UNKNOWN_CODE');
    });
  });

  describe('NOT_YET_ACTIVE and EXPIRED (inclusive windows)', () => {
    it('rejects Cleaning the day before activeFrom and accepts it on activeFrom', () => {
      // Person 5 uses group 5 (open-ended from 2025-01-01), so only the active window decides.
      expect(operation('00026', '2024-12-31', '0000005').reason).toBe('NOT_YET_ACTIVE');
      expect(operation('00026', '2025-01-01', '0000005').reason).toBe('ACCEPTED');
    });
    it('accepts Cleaning on activeUntil and rejects it the day after', () => {
      expect(operation('00026', '2026-01-01', '0000005').reason).toBe('ACCEPTED');
      expect(operation('00026', '2026-01-02', '0000005').reason).toBe('EXPIRED');
    });
    it('rejects definition 20003 after 2025-09-30, and passes the window on that day', () => {
      expect(operation('20003', '2025-10-01').reason).toBe('EXPIRED');
      // On its last day the window passes; the next rule (restrictions) decides.
      expect(operation('20003', '2025-09-30').reason).toBe('RESTRICTED');
    });
    it('never expires a definition with open ends', () => {
      expect(operation('26', '2099-12-31').reason).toBe('ACCEPTED');
      expect(operation('26', '2020-01-01').reason).toBe('ACCEPTED');
    });
  });

  describe('WRONG_PARENT', () => {
    it('rejects an operation whose parent is not the order chosen', () => {
      // Welding belongs under Order 200; the dialog chose Order 100.
      expect(operation('300', '2025-03-04').reason).toBe('WRONG_PARENT');
    });
    it('accepts the same operation under its own parent', () => {
      expect(operation('300', '2025-03-04', '0001234', chosen(IDS.production, IDS.order200)).reason).toBe('ACCEPTED');
    });
    it('rejects an order under the wrong department', () => {
      const d = decideStep(index, { structureVersion: SV, level: 2, code: '200', badge: '0001234', date: day('2025-03-04'), choices: chosen(IDS.maintenance) }, DENY);
      expect(d.reason).toBe('WRONG_PARENT');
    });
    it('checks the ancestor when the terminal skips a level', () => {
      const skip = (code: string, dep: string): string =>
        decideStep(index, { structureVersion: SV, level: 3, code, badge: '0001234', date: day('2025-03-04'), choices: chosen(dep) }, DENY).reason;
      expect(skip('300', IDS.maintenance)).toBe('WRONG_PARENT');
      expect(skip('300', IDS.production)).toBe('ACCEPTED');
    });
    it('lets a code through under any choice when its parent on the skipped level has no parent', () => {
      const own = CodeIndex.build(
        snapshot({
          definitions: [def({ id: 'A', level: 1, code: '1' }), def({ id: 'X', level: 2, code: '2' }), def({ id: 'Y', level: 3, code: '3', parent: 'X' }), def({ id: 'Z', level: 3, code: '4', parent: 'missing' })],
          people: [person({ id: 7, badge: 'b7' })],
        }),
      );
      const step = (code: string): string =>
        decideStep(own, { structureVersion: SV, level: 3, code, badge: 'b7', date: day('2025-03-04'), choices: [own.byId('A') as IndexedDefinition] }, { noUsagePolicy: 'allow' }).reason;
      expect(step('3')).toBe('ACCEPTED');
      // A parent that is not in the cache cannot be checked: still refused.
      expect(step('4')).toBe('WRONG_PARENT');
    });
    it('has nothing to check when no level above was chosen', () => {
      expect(operation('300', '2025-03-04', '0001234', []).reason).toBe('ACCEPTED');
    });
  });

  describe('RESTRICTED', () => {
    it('rejects what one of two restrictions on the same level leaves out', () => {
      // Order 100 allows Inspection, Maintenance does not: both must allow it.
      expect(operation('20003', '2025-03-04').reason).toBe('RESTRICTED');
      expect(operation('400', '2025-03-04').reason).toBe('RESTRICTED');
    });
    it('accepts what the intersection of both restrictions allows', () => {
      expect(operation('26', '2025-03-04').reason).toBe('ACCEPTED');
    });
    it('applies a single restriction alone when only one carrier was chosen', () => {
      const d = decideStep(index, { structureVersion: SV, level: 3, code: '20003', badge: '0001234', date: day('2025-03-04'), choices: chosen(IDS.order100) }, DENY);
      expect(d.reason).toBe('ACCEPTED');
    });
    it('leaves levels that no restriction lists alone', () => {
      const d = decideStep(index, { structureVersion: SV, level: 2, code: '100', badge: '0001234', date: day('2025-03-04'), choices: chosen(IDS.maintenance) }, DENY);
      expect(d.reason).toBe('ACCEPTED');
    });
  });

  describe('NO_USAGE', () => {
    it('accepts person 1234 from the first to the last day of their Person usage only', () => {
      expect(operation('00026', '2025-01-31').reason).toBe('NO_USAGE');
      expect(operation('00026', '2025-02-01').reason).toBe('ACCEPTED');
      expect(operation('00026', '2025-12-31').reason).toBe('ACCEPTED');
      expect(operation('00026', '2026-01-01').reason).toBe('NO_USAGE');
    });
    it('accepts a member of circle 13 from 2025-01-15 to 2025-12-31', () => {
      expect(operation('00026', '2025-01-14', '0000013').reason).toBe('NO_USAGE');
      expect(operation('00026', '2025-01-15', '0000013').reason).toBe('ACCEPTED');
      expect(operation('00026', '2025-12-31', '0000013').reason).toBe('ACCEPTED');
      expect(operation('00026', '2026-01-01', '0000013').reason).toBe('NO_USAGE');
    });
    it('accepts a member of group 5 on an open-ended usage far in the future, within the active window', () => {
      expect(operation('00026', '2025-12-31', '0000005').reason).toBe('ACCEPTED');
    });
    it('rejects a person whose groups and circles are all elsewhere', () => {
      expect(operation('00026', '2025-03-04', '0000077').reason).toBe('NO_USAGE');
    });
    it('denies a definition without usages, unless the policy allows it', () => {
      const model: Snapshot = snapshot({ definitions: [def({ id: 'bare', level: 1, code: '7' })], people: [person({ id: 1 })] });
      const idx = CodeIndex.build(model);
      const input = { structureVersion: SV, level: 1, code: '7', badge: '1', date: day('2025-03-04'), choices: [] };
      expect(decideStep(idx, input, DENY).reason).toBe('NO_USAGE');
      expect(decideStep(idx, input, { noUsagePolicy: 'allow' }).reason).toBe('ACCEPTED');
    });
    it('finds usages among many (binary search path) for people, groups and circles', () => {
      const usages = [];
      for (let p = 1000; p < 1200; p++) usages.push({ definitionId: 'big', kind: 'Person' as const, reference: p, from: day('2025-01-01'), until: day('2025-06-30') });
      usages.push({ definitionId: 'big', kind: 'Group' as const, reference: 42, from: day('2025-07-01'), until: day('2025-07-31') });
      usages.push({ definitionId: 'big', kind: 'Circle' as const, reference: 8, from: day('2024-01-01'), until: day('2024-01-01') });
      const idx = CodeIndex.build(
        snapshot({
          definitions: [def({ id: 'big', level: 1, code: 'B' })],
          usages,
          people: [person({ id: 1100, badge: 'p' }), person({ id: 5000, badge: 'g', groups: [3, 42] }), person({ id: 5001, badge: 'c', circles: [8] })],
        }),
      );
      const at = (badge: string, date: string): string => decideStep(idx, { structureVersion: SV, level: 1, code: 'B', badge, date: day(date), choices: [] }, DENY).reason;
      expect(at('p', '2025-06-30')).toBe('ACCEPTED');
      expect(at('p', '2025-07-01')).toBe('NO_USAGE');
      expect(at('g', '2025-07-01')).toBe('ACCEPTED');
      expect(at('g', '2025-06-30')).toBe('NO_USAGE');
      expect(at('c', '2024-01-01')).toBe('ACCEPTED');
      expect(at('c', '2024-01-02')).toBe('NO_USAGE');
    });
  });

  describe('CACHE_EMPTY', () => {
    it('rejects everything before the first sync', () => {
      const idx = CodeIndex.build(snapshot({ syncedAt: undefined }));
      expect(decideBadge(idx, '0001234', day('2025-03-04'))).toMatchObject({ accepted: false, reason: 'CACHE_EMPTY' });
    });
    it('accepts a synced but empty tenant as synced: an unknown badge, not an empty cache', () => {
      const idx = CodeIndex.build(snapshot({}));
      expect(decideBadge(idx, '0001234', day('2025-03-04'))).toMatchObject({ reason: 'UNKNOWN_BADGE' });
    });
  });

  describe('bad input never throws', () => {
    const cases: [string, string, string][] = [
      ['an empty code', '', 'BAD_INPUT'],
      ['a code with a control character', '00\u000126', 'BAD_INPUT'],
      ['a code with an escape sequence', '\u001b[2J', 'BAD_INPUT'],
      ['a code with the replacement character of invalid UTF-8', '00\ufffd26', 'BAD_INPUT'],
      ['a code with a lone surrogate', '00\ud83d', 'BAD_INPUT'],
      ['an over-long code', '12345678901234567', 'UNKNOWN_CODE'],
      ['a non-ASCII code', 'ÉÈ€', 'UNKNOWN_CODE'],
      ['a code of 16 characters', '1234567890123456', 'UNKNOWN_CODE'],
    ];
    for (const [what, code, reason] of cases) {
      it(`gives ${reason} for ${what}`, () => {
        expect(operation(code, '2025-03-04').reason).toBe(reason);
      });
    }
    it('gives BAD_INPUT for an empty badge or one with control characters, UNKNOWN_BADGE for a huge or non-ASCII one', () => {
      expect(decideBadge(index, '', 0)).toMatchObject({ reason: 'BAD_INPUT' });
      expect(decideBadge(index, '12\u0000', 0)).toMatchObject({ reason: 'BAD_INPUT' });
      expect(decideBadge(index, 'x'.repeat(10_000), 0)).toMatchObject({ reason: 'UNKNOWN_BADGE' });
      expect(decideBadge(index, 'ñø', 0)).toMatchObject({ reason: 'UNKNOWN_BADGE' });
    });
    it('does not echo control characters in explanations', () => {
      expect(operation('\u001b[2J', '2025-03-04').explanation).not.toContain('\u001b');
      expect(decideBadge(index, 'A\u0007', 0)).toMatchObject({ reason: 'BAD_INPUT' });
    });
  });
});

describe('the rule order', () => {
  it('reports the first failing rule when several fail', () => {
    // Inspection after 2025-09-30 under Order 200 for person 77: expired, wrong parent, restricted and no usage.
    const d = decideStep(
      index,
      { structureVersion: SV, level: 3, code: '20003', badge: '0000077', date: day('2025-10-01'), choices: chosen(IDS.production, IDS.order200) },
      DENY,
    );
    expect(d.reason).toBe('EXPIRED');
    const before = decideStep(
      index,
      { structureVersion: SV, level: 3, code: '20003', badge: '0000077', date: day('2025-06-01'), choices: chosen(IDS.production, IDS.order200) },
      DENY,
    );
    expect(before.reason).toBe('WRONG_PARENT');
  });
});
