import { parseExternalReferences } from './externalReferences.js';
import { listAnswer } from './listAnswer.js';
import { badRequest, type SimResponse } from './ProblemError.js';
import { parseExpand, renderDefinition, renderRestrictionsAnswer, renderUsagesAnswer } from './render.js';
import { findDefinition, resolveLevel } from './resolveDefinition.js';
import type { ApiRequest, SimContext } from './SimContext.js';

/** `GET …/levels/{level}/activity-definitions[?expand=…][&delta]` */
export function listDefinitions(ctx: SimContext, req: ApiRequest, client: string, structureVersion: string, levelText: string): SimResponse {
  const { structure, list } = resolveLevel(ctx, structureVersion, levelText);
  const expand = parseExpand(req.query.get('expand'));
  const wantsDelta = req.query.has('delta');
  if (wantsDelta && !ctx.fixture.deltaCollections.includes('activity-definitions')) {
    throw badRequest('delta', 'The activity-definitions collection does not support delta; list it in full.');
  }
  const delta = wantsDelta ? { client, scope: { kind: 'activity-definitions' as const, structureVersion: structure.id, level: list.level, expand: req.query.get('expand') } } : undefined;
  return listAnswer(ctx, req, list.items, (d) => renderDefinition(d, structure.levels, expand), delta);
}

/** `GET …/activity-definitions/{ref}[/usages|/restrictions]` */
export function getDefinition(ctx: SimContext, req: ApiRequest, structureVersion: string, levelText: string, ref: string, part: 'definition' | 'usages' | 'restrictions'): SimResponse {
  const { structure, list } = resolveLevel(ctx, structureVersion, levelText);
  const refs = parseExternalReferences(req.query.get('externalReferences'));
  const expand = parseExpand(req.query.get('expand'));
  const definition = findDefinition(list, refs.definitions, ref);
  if (part === 'usages') return { status: 200, body: renderUsagesAnswer(definition) };
  if (part === 'restrictions') return { status: 200, body: renderRestrictionsAnswer(definition) };
  return { status: 200, body: renderDefinition(definition, structure.levels, expand) };
}
