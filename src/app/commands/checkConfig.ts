import { basename } from 'node:path';
import type { CliIo } from '../cliIo.js';
import { configWarnings } from '../config/configWarnings.js';
import { checkConfig, formatProblem, loadConfig, locateConfigProblems } from '../config/loadConfig.js';
import { findConfigFile } from '../config/findConfigFile.js';
import { deviceTargets, profilesFor } from '../deviceTarget.js';

/** `ptgw check-config`: every problem of the config with its line, exit 2 when there is any. */
export function checkConfigCommand(options: { config?: string }, io: CliIo): number {
  const problems = checkConfig({ path: options.config });
  if (problems.length > 0) {
    // The file it read: without --config, /etc/ptgw/config.yaml or ./ptgw.yaml.
    const name = basename(findConfigFile(options.config, process.cwd()));
    for (const p of problems) io.err(`${formatProblem(name, p)}\n`);
    io.err(`${problems.length} problem(s) found.\n`);
    return 2;
  }
  const config = loadConfig({ path: options.config });
  // The same profiles and joins as `ptgw run`: a site's own profiles beside the config count.
  const deviceProblems = locateConfigProblems(config.source, deviceTargets(config.devices, profilesFor(config.source)).problems);
  if (deviceProblems.length > 0) {
    for (const p of deviceProblems) io.err(`${formatProblem(basename(config.source), p)}\n`);
    io.err(`${deviceProblems.length} problem(s) found.\n`);
    return 2;
  }
  io.out(`${basename(config.source)} is valid: tenant ${config.protime.tenant}, ${config.devices.length} device(s), ${config.terminals.length} terminal(s).\n`);
  // Valid, so exit 0; but said here, where the config is being written, not only in the journal.
  for (const w of configWarnings(config)) io.err(`warning: ${formatProblem(basename(config.source), w)}\n`);
  return 0;
}
