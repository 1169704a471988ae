import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ModelStore } from '../../cache/ModelStore.js';
import { openCache } from '../../cache/openCache.js';
import { PtgwError } from '../../core/errors.js';
import type { AdminResult } from '../../protime/admin/adminResult.js';
import { AdminService } from '../../protime/admin/AdminService.js';
import { parseLevel, type DefinitionRef } from '../../protime/admin/DefinitionRef.js';
import { definitionBodySchema, parseBody, restrictionsBodySchema, usageBodySchema, usageUpdateBodySchema } from '../../protime/admin/adminSchemas.js';
import type { CliIo } from '../cliIo.js';
import type { Config } from '../config/loadConfig.js';
import { loadConfig } from '../config/loadConfig.js';
import { createLogger } from '../logger.js';
import { createClient } from '../upstream.js';
import { parseImportCsv } from '../import/csvRows.js';
import { importDefinitions } from '../import/importDefinitions.js';

export interface TargetOptions {
  config?: string;
  structureVersion?: string;
  level: string;
  refKey?: string;
}

interface Session {
  config: Config;
  admin: AdminService;
  store: ModelStore;
}

/** Opens the cache (for local checks and refreshes) and a Protime client around `use`. */
async function adminSession<T>(options: { config?: string; verbose?: boolean }, use: (s: Session) => Promise<T>): Promise<T> {
  const config = loadConfig({ path: options.config });
  const logger = createLogger({ level: options.verbose === true ? 'debug' : 'silent', destination: process.stderr });
  const db = openCache(config.cache.path);
  const client = createClient(config, logger);
  try {
    const store = new ModelStore(db);
    const admin = new AdminService({
      client,
      store,
      logger,
      onChange: () => undefined,
      manualCodes: config.protime.dataEntryCodes === 'manual',
      levelsOf: (sv) => config.protime.structureVersions.find((s) => s.id === sv)?.levels,
    });
    return await use({ config, admin, store });
  } finally {
    await client.close();
    db.close();
  }
}

/** Runs one admin operation and reports its outcome. */
function withAdmin(options: TargetOptions & { verbose?: boolean }, run: (s: Session) => Promise<AdminResult>, io: CliIo): Promise<number> {
  return adminSession(options, async (s) => report(await run(s), io));
}

/** Success prints Protime's answer; a local refusal exits 2 (fix the request), an upstream one 1. */
function report(result: AdminResult, io: CliIo): number {
  if (result.ok) {
    if (result.body !== undefined && result.body !== '') io.out(`${JSON.stringify(result.body, null, 2)}\n`);
    else io.out(`done (${result.status})\n`);
    return 0;
  }
  const e = result.body.error;
  io.err(`ptgw: ${e.field === undefined ? '' : `${e.field}: `}${e.message}\n`);
  return e.code === 'INVALID' || e.code === 'NOT_FOUND' ? 2 : 1;
}

export function definitionRef(config: Config, options: TargetOptions, reference: string): DefinitionRef {
  const structureVersion = options.structureVersion ?? config.protime.structureVersions[0]?.id;
  if (structureVersion === undefined) throw new PtgwError('USAGE', 'No structure version: pass --structure-version.');
  const level = parseLevel(options.level);
  if (level === undefined) throw new PtgwError('USAGE', `--level must be a level number (got "${options.level}").`);
  return { structureVersion, level, reference, referenceKey: options.refKey };
}

/**
 * A file (or standard input for -) as UTF-8 text. Bytes that are not UTF-8 (an Excel export in
 * cp1252, say) are refused, not turned into "�" in names that then go to Protime.
 */
function readText(file: string): string {
  const what = file === '-' ? 'Standard input' : file;
  let bytes: Buffer;
  try {
    bytes = file === '-' ? readFileSync(0) : readFileSync(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new PtgwError('USAGE', code === 'ENOENT' ? `${what} does not exist.` : `${what} cannot be read (${code ?? (cause as Error).message}).`, { cause });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new PtgwError('USAGE', `${what} is not UTF-8 text: save it as UTF-8 (in Excel: "CSV UTF-8").`, { cause });
  }
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new PtgwError('USAGE', `${file === '-' ? 'Standard input' : file} is not JSON: ${(cause as Error).message}.`, { cause });
  }
}

function parsed<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = parseBody(schema, body);
  if (!r.ok) throw new PtgwError('USAGE', r.problem.message, { field: r.problem.field });
  return r.value;
}

export interface DefinitionPutOptions extends TargetOptions {
  body?: string;
  name?: string;
  translation?: string[];
  code?: string;
  externalReference?: string;
  shortCode?: string;
  info?: string;
  parent?: string;
  activeFrom?: string;
  activeUntil?: string;
  merge?: boolean;
  verbose?: boolean;
}

/** `ptgw definitions put`: create or update, like PUT …/activity-definitions/{ref} (seed 002). */
export function definitionsPutCommand(reference: string, o: DefinitionPutOptions, io: CliIo): Promise<number> {
  return withAdmin(
    o,
    async ({ config, admin }) => {
      const ref = definitionRef(config, o, reference);
      let body: Record<string, unknown> = o.body === undefined ? {} : (readJson(o.body) as Record<string, unknown>);
      if (o.merge === true) {
        const current = await admin.currentDefinition(ref);
        if (current === undefined) throw new PtgwError('USAGE', `--merge: no definition ${reference} to merge into.`);
        body = { ...current, ...body };
      }
      const translations = Object.fromEntries((o.translation ?? []).map((t) => {
        const i = t.indexOf('=');
        if (i <= 0) throw new PtgwError('USAGE', `--translation must be LANG=TEXT, like nl=Schoonmaken (got "${t}").`);
        return [t.slice(0, i), t.slice(i + 1)];
      }));
      const name = body.name as { default?: string; translations?: Record<string, string> } | undefined;
      if (o.name !== undefined || Object.keys(translations).length > 0) body.name = { ...name, ...(o.name === undefined ? {} : { default: o.name }), translations: { ...name?.translations, ...translations } };
      const flags: [keyof DefinitionPutOptions, string][] = [['code', 'dataEntryCode'], ['externalReference', 'externalReference'], ['shortCode', 'shortCode'], ['info', 'info'], ['activeFrom', 'activeFrom'], ['activeUntil', 'activeUntil']];
      for (const [flag, field] of flags) if (o[flag] !== undefined) body[field] = o[flag];
      if (o.parent !== undefined) body.parent = { id: o.parent };
      delete body.changeVersion;
      if (o.merge !== true) io.err('ptgw: note: a PUT replaces the whole definition; fields left out are cleared (use --merge to keep them).\n');
      return admin.putDefinition(ref, parsed(definitionBodySchema, body));
    },
    io,
  );
}

export interface UsageOptions extends TargetOptions {
  kind?: string;
  ref?: string;
  from?: string;
  until?: string;
  originalFrom?: string;
  originalUntil?: string;
  verbose?: boolean;
}

function usageKey(o: UsageOptions): { activityUsageKind: string; usageReference: { id: number } } {
  const id = Number(o.ref);
  if (o.kind === undefined || o.ref === undefined || !Number.isInteger(id)) throw new PtgwError('USAGE', '--kind Person|Group|Circle and --ref N (a number) are required.');
  return { activityUsageKind: o.kind, usageReference: { id } };
}

/** `ptgw usages list|add|update|delete` (seeds 000 and 001 for update and delete). */
export function usagesCommand(action: 'list' | 'add' | 'update' | 'delete', reference: string, o: UsageOptions, io: CliIo): Promise<number> {
  return withAdmin(
    o,
    async ({ config, admin }) => {
      const ref = definitionRef(config, o, reference);
      if (action === 'list') return admin.listUsages(ref);
      const until = o.until === undefined || o.until === '' ? undefined : o.until;
      if (action === 'add') return admin.addUsage(ref, parsed(usageBodySchema, { ...usageKey(o), from: o.from, until }));
      if (action === 'delete') return admin.deleteUsage(ref, parsed(usageBodySchema, { ...usageKey(o), from: o.from, until }));
      const originalUntil = o.originalUntil === undefined || o.originalUntil === '' ? undefined : o.originalUntil;
      return admin.updateUsage(ref, parsed(usageUpdateBodySchema, { ...usageKey(o), originalFrom: o.originalFrom, originalUntil, updatedFrom: o.from, updatedUntil: until }));
    },
    io,
  );
}

/** `ptgw restrictions get|put`; `put --clear` sends `[]`. */
export function restrictionsCommand(action: 'get' | 'put', reference: string, o: TargetOptions & { body?: string; clear?: boolean; verbose?: boolean }, io: CliIo): Promise<number> {
  return withAdmin(
    o,
    async ({ config, admin }) => {
      const ref = definitionRef(config, o, reference);
      if (action === 'get') return admin.getRestrictions(ref);
      if ((o.body === undefined) === (o.clear !== true)) throw new PtgwError('USAGE', 'Give --body FILE (a bare JSON array, - for standard input) or --clear.');
      return admin.putRestrictions(ref, parsed(restrictionsBodySchema, o.clear === true ? [] : readJson(o.body as string)));
    },
    io,
  );
}

/** `ptgw definitions import FILE.csv [--dry-run]`: bulk upsert with a progress bar and a per-row error report. */
export function definitionsImportCommand(file: string, o: { config?: string; dryRun?: boolean; structureVersion?: string; verbose?: boolean }, io: CliIo): Promise<number> {
  const rows = parseImportCsv(readText(file), file);
  const config = loadConfig({ path: o.config });
  const sv = o.structureVersion ?? config.protime.structureVersions[0]?.id;
  if (sv === undefined) throw new PtgwError('USAGE', 'No structure version: pass --structure-version.');
  return adminSession(o, async ({ admin, store }) => {
    const dry = o.dryRun === true;
    const r = await importDefinitions(rows, { admin, store, defaultStructureVersion: sv, dryRun: dry, progress: progressBar(io) });
    if (dry) for (const c of r.changes) io.out(`${c}\n`);
    io.out(
      `${dry ? 'Dry run: would create' : 'Created'} ${r.created}, ${dry ? 'update' : 'updated'} ${r.updated}, unchanged ${r.unchanged}, ` +
        `usages ${dry ? 'to add' : 'added'} ${r.usagesAdded}, errors ${r.errors.length}.\n`,
    );
    for (const e of r.errors) io.err(`line ${e.line}${e.reference === '' ? '' : ` (${e.reference})`}: ${e.message}\n`);
    return r.errors.length > 0 ? 1 : 0;
  });
}

/** A bar on a terminal; on a pipe or journal, a line every 10 %. */
function progressBar(io: CliIo): (done: number, total: number) => void {
  const tty = process.stderr.isTTY === true;
  let lastTenth = -1;
  return (done, total) => {
    if (total === 0) return;
    if (tty) {
      const width = 30;
      const filled = Math.round((done / total) * width);
      io.err(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor((done / total) * 10);
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      io.err(`${done}/${total} rows\n`);
    }
  };
}
