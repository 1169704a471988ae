import { describe, expect, it } from 'vitest';
import { checkDefinitionWrite, checkUsageAdd, checkUsageDelete, checkUsageUpdate, referenceProblem, type DefinitionWriteContext } from '../../../src/core/writeChecks.js';
import { usage } from '../../support/modelBuilder.js';

const ctx = (over: Partial<DefinitionWriteContext> = {}): DefinitionWriteContext => ({
  level: 3,
  existing: undefined,
  byInternalId: false,
  codeOwner: (c) => (c === '00026' ? 'cleaning' : undefined),
  externalReferenceOwner: (r) => (r === 'Cleaning' ? 'cleaning' : undefined),
  // Order 100 on the level above, by internal id or by its external reference ORD100.
  resolveParent: (ref) => (ref === 'order-100' || ref === 'ORD100' ? 'order-100' : undefined),
  manualCodes: true,
  ...over,
});
const write = { name: 'Sweeping', parentId: undefined, dataEntryCode: '777', externalReference: 'SWEEP', activeFrom: '2025-01-01', activeUntil: undefined };
const fields = (problems: { field: string }[]): string[] => problems.map((p) => p.field);

describe('checks of a definition write (seed 002)', () => {
  it('passes a good creation and a good update of the definition itself', () => {
    expect(checkDefinitionWrite(write, ctx())).toEqual([]);
    expect(checkDefinitionWrite({ ...write, dataEntryCode: '00026', externalReference: 'Cleaning', parentId: 'order-100' }, ctx({ existing: { id: 'cleaning', parentId: 'order-100' } }))).toEqual([]);
  });

  it('answers 404 for an unknown internal id, since only external references create', () => {
    expect(checkDefinitionWrite(write, ctx({ byInternalId: true }))).toMatchObject([{ status: 404 }]);
  });

  it('names every field at fault', () => {
    expect(fields(checkDefinitionWrite({ ...write, name: ' ' }, ctx()))).toEqual(['name.default']);
    expect(fields(checkDefinitionWrite({ ...write, dataEntryCode: undefined }, ctx()))).toEqual(['dataEntryCode']);
    expect(checkDefinitionWrite({ ...write, dataEntryCode: undefined }, ctx({ manualCodes: false }))).toEqual([]);
    expect(fields(checkDefinitionWrite({ ...write, dataEntryCode: '12345678901234567' }, ctx()))).toEqual(['dataEntryCode']);
    expect(fields(checkDefinitionWrite({ ...write, dataEntryCode: '00026' }, ctx()))).toEqual(['dataEntryCode']);
    expect(fields(checkDefinitionWrite({ ...write, externalReference: 'Cleaning' }, ctx()))).toEqual(['externalReference']);
    expect(fields(checkDefinitionWrite({ ...write, activeFrom: '2025-02-30' }, ctx()))).toEqual(['activeFrom']);
    expect(fields(checkDefinitionWrite({ ...write, activeUntil: '2024-12-31' }, ctx()))).toEqual(['activeUntil']);
  });

  it('takes a parent named by its external reference as seed 002 allows, and leaves one the cache cannot resolve to Protime', () => {
    expect(checkDefinitionWrite({ ...write, parentId: 'ORD100' }, ctx())).toEqual([]);
    expect(checkDefinitionWrite({ ...write, parentId: 'ORD100' }, ctx({ existing: { id: 'x', parentId: 'order-100' } }))).toEqual([]);
    expect(fields(checkDefinitionWrite({ ...write, parentId: 'ORD200' }, ctx({ existing: { id: 'x', parentId: 'order-100' } })))).toEqual(['parent.id']);
    const customKey = ctx({ resolveParent: () => 'unknown', existing: { id: 'x', parentId: 'order-100' } });
    expect(checkDefinitionWrite({ ...write, parentId: 'Custom-Order-100' }, customKey)).toEqual([]);
  });

  it('keeps the parent as it was created', () => {
    const existing = { id: 'x', parentId: 'order-100' };
    expect(fields(checkDefinitionWrite(write, ctx({ existing })))).toEqual(['parent.id']);
    expect(fields(checkDefinitionWrite({ ...write, parentId: 'order-200' }, ctx({ existing })))).toEqual(['parent.id']);
    expect(fields(checkDefinitionWrite({ ...write, parentId: 'order-100' }, ctx({ existing: { id: 'x', parentId: undefined } })))).toEqual(['parent.id']);
    expect(fields(checkDefinitionWrite({ ...write, parentId: 'nope' }, ctx()))).toEqual(['parent.id']);
    expect(fields(checkDefinitionWrite({ ...write, parentId: 'order-100' }, ctx({ level: 1 })))).toEqual(['parent.id']);
  });
});

describe('checks of usage writes (seeds 000 and 001)', () => {
  const stored = [usage('d', 'Circle', 13, '2025-01-01', '2025-12-31'), usage('d', 'Group', 5, '2025-01-01')];
  const circle13 = { kind: 'Circle' as const, reference: 13 };

  it('refuses an overlap with the same kind and reference only, naming the stored usage', () => {
    expect(checkUsageAdd(circle13, '2025-12-31', undefined, stored)[0]?.message).toContain('Circle 13 from 2025-01-01 until 2025-12-31');
    expect(checkUsageAdd(circle13, '2026-01-01', undefined, stored)).toEqual([]);
    expect(checkUsageAdd({ kind: 'Circle', reference: 14 }, '2025-06-01', undefined, stored)).toEqual([]);
  });

  it('needs the original dates exactly, with an open end left out or ""', () => {
    expect(checkUsageUpdate(circle13, { from: '2025-01-01', until: '2025-12-31' }, { from: '2025-01-15', until: '2025-12-31' }, stored)).toEqual([]);
    expect(checkUsageUpdate(circle13, { from: '2025-01-01', until: '2025-12-30' }, { from: '2025-01-15', until: undefined }, stored)).toMatchObject([{ status: 404, field: 'originalFrom' }]);
    expect(checkUsageUpdate({ kind: 'Group', reference: 5 }, { from: '2025-01-01', until: '' }, { from: '2025-02-01', until: '' }, stored)).toEqual([]);
    expect(checkUsageDelete({ kind: 'Group', reference: 5 }, '2025-01-01', undefined, stored)).toEqual([]);
    expect(checkUsageDelete({ kind: 'Group', reference: 5 }, '2025-01-01', '2025-12-31', stored)).toMatchObject([{ status: 404 }]);
  });
});

describe('references in URLs', () => {
  it('refuses what a URL path cannot carry and accepts the rest', () => {
    for (const bad of ['', '.', '..', 'a/b', 'a?b', 'a#b', 'a%b', 'a\\b', 'a\u0000']) expect(referenceProblem(bad), bad).toBeDefined();
    for (const good of ['Cleaning', '00026', 'Élan 3', '38fc2206-b51f-434a-9c36-9e0esfc5e70e']) expect(referenceProblem(good)).toBeUndefined();
  });
});
