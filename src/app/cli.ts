import { Command, CommanderError, Option } from 'commander';
import { PtgwError } from '../core/errors.js';
import { processIo, reportError, type CliIo } from './cliIo.js';
import { definitionsImportCommand, definitionsPutCommand, restrictionsCommand, usagesCommand, type DefinitionPutOptions, type UsageOptions } from './commands/adminCommands.js';
import { checkConfigCommand } from './commands/checkConfig.js';
import { demoCommand } from './commands/demo.js';
import { devicesCommand } from './commands/devices.js';
import { lookupCommand } from './commands/lookup.js';
import { outboxListCommand, outboxRetryCommand } from './commands/outbox.js';
import { runCommand } from './commands/run.js';
import { simulatorCommand } from './commands/simulator.js';
import { syncCommand } from './commands/sync.js';
import { VERSION } from './version.js';

/** The `ptgw` command line. Returns the exit code; never calls process.exit, so tests can run it in-process. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let code = 0;
  const verbose = argv.includes('--verbose');
  const program = new Command('ptgw')
    .description('Protime terminal gateway')
    .version(VERSION)
    .option('--verbose', 'show stack traces and debug logs')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showSuggestionAfterError();
  const configOption = (): Option => new Option('-c, --config <file>', 'config file (default /etc/ptgw/config.yaml, then ./ptgw.yaml)');

  program
    .command('run')
    .description('run the gateway daemon')
    .addOption(configOption())
    .action(async (opts: { config?: string }) => {
      code = await runCommand({ ...opts, verbose }, io);
    });

  program
    .command('demo')
    .description('the whole gateway against a simulated tenant, with two virtual keypad terminals and the status page')
    .option('--script', 'play a walk-through, print every reply, and exit')
    .option('--port <n>', 'status page port (default 8080; any free one with --script)')
    .action(async (opts: { script?: boolean; port?: string }) => {
      code = await demoCommand({ ...opts, verbose }, io);
    });

  program
    .command('sync')
    .description('sync once from Protime into the cache, then exit (non-zero on failure)')
    .addOption(configOption())
    .option('--full', 'list everything again instead of using deltas')
    .action(async (opts: { config?: string; full?: boolean }) => {
      code = await syncCommand({ ...opts, verbose }, io);
    });

  program
    .command('lookup')
    .description('decide a whole dialog offline, from the cache only')
    .argument('<codes...>', 'the codes typed for the levels, in order')
    .addOption(configOption())
    .requiredOption('--badge <badge>', 'the badge read at the terminal')
    .option('--structure-version <sv>', 'structure version (default: the first terminal\'s)')
    .option('--levels <list>', 'levels the codes are for, e.g. 1,2,3 (default: the terminal\'s)')
    .option('--date <YYYY-MM-DD>', 'the day to decide for (default: today at the site)')
    .option('--json', 'print the decision as JSON')
    .action((codes: string[], opts: { config?: string; badge: string; structureVersion?: string; levels?: string; date?: string; json?: boolean }) => {
      code = lookupCommand(codes, opts, io);
    });

  program
    .command('simulator')
    .description('run the Protime API simulator alone')
    .option('--port <n>', 'TCP port (default 18080)')
    .option('--host <address>', 'address to listen on (default 127.0.0.1)')
    .option('--fixture <file>', 'the tenant to serve (JSON; default: the demo tenant of ptgw demo)')
    .option('--page-size <n>', 'items per list page')
    .action(async (opts: { port?: string; host?: string; fixture?: string; pageSize?: string }) => {
      code = await simulatorCommand(opts, io);
    });

  const target = (cmd: Command): Command =>
    cmd
      .argument('<reference>', 'internal id, or an external reference with --ref-key')
      .addOption(configOption())
      .requiredOption('--level <n>', 'the level of the definition')
      .option('--structure-version <sv>', 'structure version (default: the first configured)')
      .option('--ref-key <key>', 'the reference is an external reference: @data-entry-code, @external-reference or a custom key');

  const definitions = program.command('definitions').description('create or update activity definitions in Protime');
  target(definitions.command('put').description('create a definition, or replace (or with --merge change) an existing one'))
    .option('--body <file>', 'the JSON body (- for standard input); flags below override its fields')
    .option('--name <text>', 'name.default')
    .option('--translation <lang=text...>', 'name.translations entries, e.g. nl=Schoonmaken')
    .option('--code <code>', 'dataEntryCode (≤ 16 characters)')
    .option('--external-reference <ref>', 'externalReference (≤ 16 characters)')
    .option('--short-code <code>', 'shortCode')
    .option('--info <text>', 'info')
    .option('--parent <id>', 'parent.id (only at creation; required on updates of a definition that has one)')
    .option('--active-from <date>', 'activeFrom (YYYY-MM-DD)')
    .option('--active-until <date>', 'activeUntil (YYYY-MM-DD)')
    .option('--merge', 'read the current definition and change only the given fields (a PUT otherwise clears what is left out)')
    .action(async (reference: string, opts: DefinitionPutOptions) => {
      code = await definitionsPutCommand(reference, { ...opts, verbose }, io);
    });

  definitions
    .command('import')
    .description('create or update many definitions from a CSV file (safe to run again)')
    .argument('<file>', 'CSV with columns level, externalReference, name, name.<lang>, dataEntryCode, shortCode, info, parent, activeFrom, activeUntil, usages')
    .addOption(configOption())
    .option('--structure-version <sv>', 'structure version for rows without one (default: the first configured)')
    .option('--dry-run', 'show what would change against the cache, send nothing')
    .action(async (file: string, opts: { config?: string; dryRun?: boolean; structureVersion?: string }) => {
      code = await definitionsImportCommand(file, { ...opts, verbose }, io);
    });

  const usages = program.command('usages').description('who may use a definition, when');
  const usageActions = {
    list: 'list the usages of a definition',
    add: 'add a usage (a person, group or circle, from a date, until one or open-ended)',
    update: 'change the dates of a usage, found by its stored from and until',
    delete: 'delete a usage',
  } as const;
  for (const [action, description] of Object.entries(usageActions) as [keyof typeof usageActions, string][]) {
    const cmd = target(usages.command(action).description(description));
    if (action !== 'list') {
      cmd.option('--kind <kind>', 'Person, Group or Circle').option('--ref <n>', 'the person, group or circle id');
      cmd.option('--from <date>', action === 'update' ? 'updatedFrom' : 'from').option('--until <date>', `${action === 'update' ? 'updatedUntil' : 'until'}; leave out or "" for open-ended`);
    }
    if (action === 'update') cmd.option('--original-from <date>', 'the stored from, exactly').option('--original-until <date>', 'the stored until, exactly (leave out when open-ended)');
    cmd.action(async (reference: string, opts: UsageOptions) => {
      code = await usagesCommand(action, reference, { ...opts, verbose }, io);
    });
  }

  const restrictions = program.command('restrictions').description('which definitions a choice allows on other levels');
  target(restrictions.command('get').description('show the restrictions of a definition')).action(async (reference: string, opts: UsageOptions) => {
    code = await restrictionsCommand('get', reference, { ...opts, verbose }, io);
  });
  target(restrictions.command('put').description('replace the restrictions of a definition (--clear removes them all)'))
    .option('--body <file>', 'a bare JSON array [{level, activityDefinitions: [{id}]}] (- for standard input)')
    .option('--clear', 'remove every restriction (sends [])')
    .action(async (reference: string, opts: UsageOptions & { body?: string; clear?: boolean }) => {
      code = await restrictionsCommand('put', reference, { ...opts, verbose }, io);
    });

  const outbox = program.command('outbox').description('accepted selections waiting for, delivered to or refused by Protime');
  outbox
    .command('list')
    .description('list the outbox rows, newest first')
    .addOption(configOption())
    .option('--state <state>', 'pending, sending, delivered or failed')
    .option('--limit <n>', 'at most this many rows, newest first (default 100)')
    .option('--json', 'print JSON')
    .action((opts: { config?: string; state?: string; json?: boolean; limit?: string }) => {
      code = outboxListCommand(opts, io);
    });
  outbox
    .command('retry')
    .description('send refused (failed) rows again, after their cause was fixed in Protime')
    .argument('[id]', 'the row to send again')
    .addOption(configOption())
    .option('--failed', 'every failed row')
    .action(async (id: string | undefined, opts: { config?: string; failed?: boolean }) => {
      code = await outboxRetryCommand(id, opts, io);
    });

  program
    .command('check-config')
    .description('validate a config file and report every problem with its line')
    .addOption(configOption())
    .action((opts: { config?: string }) => {
      code = checkConfigCommand(opts, io);
    });

  program
    .command('devices')
    .description('list serial ports and HID devices with a suggested profile')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      code = await devicesCommand(opts, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message (help, version, or the usage error).
      return err.exitCode === 0 ? 0 : 2;
    }
    return reportError(io, err instanceof Error ? err : new PtgwError('USAGE', String(err)), verbose);
  }
}
