import { z } from 'zod';
import { parseExternalReferences } from './externalReferences.js';
import { restrictionSchema } from './fixtureSchema.js';
import { badRequest, type SimResponse } from './ProblemError.js';
import { renderRestrictionsAnswer } from './render.js';
import { parseBody, readJson } from './requestBody.js';
import { findDefinition, resolveLevel } from './resolveDefinition.js';
import type { ApiRequest, SimContext } from './SimContext.js';

/**
 * `PUT …/activity-definitions/{ref}/restrictions`: a bare JSON array replaces the restrictions
 * (`[]` clears them); every listed definition must exist on the listed level of the same structure.
 */
export function putRestrictions(ctx: SimContext, req: ApiRequest, structureVersion: string, levelText: string, ref: string): SimResponse {
  const { structure, list } = resolveLevel(ctx, structureVersion, levelText);
  const definition = findDefinition(list, parseExternalReferences(req.query.get('externalReferences')).definitions, ref);
  const json = readJson(req.body);
  if (!Array.isArray(json)) throw badRequest('$', 'The restrictions body must be a bare JSON array of {level, activityDefinitions}.');
  const restrictions = parseBody(z.array(restrictionSchema), json);
  restrictions.forEach((r, i) => {
    const target = ctx.store.definitions.list(structure.id, r.level);
    if (target === undefined) throw badRequest(`[${i}].level`, `Level ${r.level} does not exist in structure version ${structure.id}.`);
    r.activityDefinitions.forEach((a, j) => {
      if (target.find({ kind: 'id' }, a.id) === undefined) {
        throw badRequest(`[${i}].activityDefinitions[${j}].id`, `Activity definition ${a.id} does not exist on level ${r.level}.`);
      }
    });
  });
  ctx.store.definitions.setRestrictions(definition, restrictions);
  return { status: 200, body: renderRestrictionsAnswer(definition) };
}
