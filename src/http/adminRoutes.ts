import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AdminResult } from '../protime/admin/adminResult.js';
import type { AdminService } from '../protime/admin/AdminService.js';
import { parseLevel, type DefinitionRef, type ExternalReference } from '../protime/admin/DefinitionRef.js';
import { definitionBodySchema, parseBody, restrictionsBodySchema, usageBodySchema, usageUpdateBodySchema } from '../protime/admin/adminSchemas.js';

type Params = { sv: string; level: string; ref: string };
type Req = FastifyRequest<{ Params: Params; Querystring: { externalReferences?: string | string[] } }>;

const BASE = '/api/admin/activity-structure-versions/:sv/levels/:level/activity-definitions/:ref';

/**
 * `(activity-definitions,KEY)` out of a query that may name several collections, and all its
 * (collection, key) pairs, which are forwarded: the (people,…) and (terminals,…) ones are Protime's to read.
 */
export function definitionKey(query: string | string[] | undefined): { key: string | undefined; pairs: ExternalReference[] | undefined } | { error: string } {
  if (Array.isArray(query)) return { error: `give externalReferences once, naming every collection in it, e.g. (activity-definitions,@data-entry-code) (got it ${query.length} times).` };
  if (query === undefined || query === '') return { key: undefined, pairs: undefined };
  const groups = [...query.matchAll(/\(([^(),]+),([^()]+)\)/g)];
  if (groups.length === 0 || groups.map((g) => g[0]).join('') !== query) return { error: `externalReferences must look like (activity-definitions,@data-entry-code) (got "${query}").` };
  const pairs = groups.map((g): ExternalReference => [g[1] as string, g[2] as string]);
  return { key: pairs.find(([collection]) => collection === 'activity-definitions')?.[1], pairs };
}

function send(reply: FastifyReply, result: AdminResult): FastifyReply {
  if (result.ok && result.location !== undefined) reply.header('location', result.location);
  if (!result.ok && result.retryAfter !== undefined) reply.header('retry-after', result.retryAfter);
  return reply.code(result.status).send(result.body ?? undefined);
}

function bad(reply: FastifyReply, field: string, message: string): FastifyReply {
  return reply.code(400).send({ error: { code: 'INVALID', message, field } });
}

/**
 * Protime's write endpoints mirrored under /api/admin, with the same paths, query and bodies, so an
 * integrator can point an existing Protime client at the gateway. Registered inside the
 * token-protected scope.
 */
export function adminRoutes(app: FastifyInstance, admin: AdminService): void {
  const target = (req: Req, reply: FastifyReply): DefinitionRef | undefined => {
    const level = parseLevel(req.params.level);
    if (level === undefined) {
      bad(reply, 'level', `level must be a level number (got "${req.params.level}").`);
      return undefined;
    }
    const key = definitionKey(req.query.externalReferences);
    if ('error' in key) {
      bad(reply, 'externalReferences', key.error);
      return undefined;
    }
    return { structureVersion: req.params.sv, level, reference: req.params.ref, referenceKey: key.key, externalReferences: key.pairs };
  };
  const withBody =
    <S extends z.ZodType>(schema: S, run: (ref: DefinitionRef, body: z.infer<S>) => Promise<AdminResult>) =>
    async (req: Req, reply: FastifyReply): Promise<FastifyReply> => {
      const ref = target(req, reply);
      if (ref === undefined) return reply;
      const body = parseBody(schema, req.body);
      if (!body.ok) return bad(reply, body.problem.field, body.problem.message);
      return send(reply, await run(ref, body.value));
    };
  const withoutBody =
    (run: (ref: DefinitionRef) => Promise<AdminResult>) =>
    async (req: Req, reply: FastifyReply): Promise<FastifyReply> => {
      const ref = target(req, reply);
      if (ref === undefined) return reply;
      return send(reply, await run(ref));
    };

  app.put(BASE, withBody(definitionBodySchema, (ref, body) => admin.putDefinition(ref, body)));
  app.get(`${BASE}/usages`, withoutBody((ref) => admin.listUsages(ref)));
  app.post(`${BASE}/usages`, withBody(usageBodySchema, (ref, body) => admin.addUsage(ref, body)));
  app.put(`${BASE}/usages`, withBody(usageUpdateBodySchema, (ref, body) => admin.updateUsage(ref, body)));
  app.delete(`${BASE}/usages`, withBody(usageBodySchema, (ref, body) => admin.deleteUsage(ref, body)));
  app.get(`${BASE}/restrictions`, withoutBody((ref) => admin.getRestrictions(ref)));
  app.put(`${BASE}/restrictions`, withBody(restrictionsBodySchema, (ref, body) => admin.putRestrictions(ref, body)));
}
