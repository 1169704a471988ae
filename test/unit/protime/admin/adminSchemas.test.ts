import { describe, expect, it } from 'vitest';
import { definitionBodySchema, parseBody, usageBodySchema } from '../../../../src/protime/admin/adminSchemas.js';

function problem(result: ReturnType<typeof parseBody>): { field: string; message: string } {
  if (result.ok) throw new Error('expected a problem');
  return result.problem;
}

describe('parsing an admin write body', () => {
  it('says a field of the wrong type has the wrong type, not that it is missing', () => {
    const p = problem(parseBody(definitionBodySchema, { name: { default: 5 } }));
    expect(p.field).toBe('name.default');
    expect(p.message).not.toMatch(/required/);
    expect(p.message).toMatch(/string/);
  });

  it('says a body that is no JSON object is not one, not that it is missing', () => {
    const p = problem(parseBody(usageBodySchema, 'hello'));
    expect(p.field).toBe('(body)');
    expect(p.message).not.toMatch(/required/);
  });

  it('says a field left out is required', () => {
    const p = problem(parseBody(usageBodySchema, { activityUsageKind: 'Group', usageReference: { id: 5 } }));
    expect(p).toMatchObject({ field: 'from', message: 'from is required.' });
  });

  it('says a missing body is required', () => {
    expect(problem(parseBody(usageBodySchema, undefined))).toMatchObject({ field: '(body)', message: '(body) is required.' });
  });
});
