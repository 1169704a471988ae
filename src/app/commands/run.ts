import type { CliIo } from '../cliIo.js';
import { configWarnings } from '../config/configWarnings.js';
import { loadConfig } from '../config/loadConfig.js';
import type { PtgwError } from '../../core/errors.js';
import { Gateway } from '../Gateway.js';
import { createLogger } from '../logger.js';
import { SystemdNotifier } from '../systemd/SystemdNotifier.js';
import { systemdEnv } from '../systemd/systemdEnv.js';

/** Below the unit's TimeoutStopSec (20 s): a stop that hangs ends in a log line and exit 1, not in systemd's SIGKILL. */
const STOP_TIMEOUT_MS = 15_000;
/** 16 random characters are some 64 bits or more; anything shorter may be guessed from the LAN. */
const ADMIN_TOKEN_MIN_LENGTH = 16;

/** `ptgw run`: the daemon, until SIGTERM or SIGINT, then a clean shutdown. */
export async function runCommand(options: { config?: string; verbose?: boolean }, _io: CliIo): Promise<number> {
  const config = loadConfig({ path: options.config });
  const logger = createLogger({ level: options.verbose === true ? 'debug' : config.log.level });
  const log = logger.child({ module: 'run' });
  // A throw no module caught leaves the daemon in a state nobody planned for: one JSON line for the
  // journal, then exit 1 so systemd restarts it. Accepted selections are already on disk (the outbox
  // commits before "accepted"). The error's own fields may hold request options, so only these go out.
  const fatal = (what: string, err: unknown): never => {
    const e = err instanceof Error ? err : new Error(String(err));
    log.fatal({ err: { type: e.name, message: e.message, code: (e as { code?: unknown }).code, stack: e.stack } }, what);
    process.exit(1);
  };
  process.on('uncaughtException', (err) => fatal('uncaught exception; exiting', err));
  process.on('unhandledRejection', (reason) => fatal('unhandled promise rejection; exiting', reason));
  // Installs made with a short token keep working; the journal says how to make a better one.
  if ((config.http.adminToken?.reveal().length ?? ADMIN_TOKEN_MIN_LENGTH) < ADMIN_TOKEN_MIN_LENGTH) {
    log.warn(
      `the admin token (http.adminTokenFile, $CREDENTIALS_DIRECTORY/admin-token or PTGW_ADMIN_TOKEN) is shorter than ${ADMIN_TOKEN_MIN_LENGTH} characters and could be guessed; ` +
        'make a better one with: openssl rand -hex 32 > /etc/ptgw/admin-token (then restart ptgw and give it to the admin clients)',
    );
  }
  for (const w of configWarnings(config)) log.warn({ key: w.key, line: w.line }, `config ${w.key}: ${w.message}`);
  let cacheLost: ((err: PtgwError) => void) | undefined;
  const gateway = new Gateway({ config, logger, onCacheLost: (err) => cacheLost?.(err) });
  let address: string | undefined;
  try {
    address = await gateway.start();
  } catch (err) {
    // E.g. the HTTP port is taken: close what did start, or its timers and ports keep the process alive.
    await gateway.stop().catch(() => undefined);
    throw err;
  }
  // Ready means: the cache is in the index and the HTTP port is open (the first sync may still run).
  const notifier = new SystemdNotifier(systemdEnv(), logger);
  notifier.ready();
  log.info({ address, devices: config.devices.length, terminals: config.terminals.length }, 'ptgw running');
  // Exit 1 after a lost cache file: the gateway has stopped and saved it, and systemd (Restart=on-failure) starts ptgw on it again.
  const code = await new Promise<number>((resolve) => {
    cacheLost = () => resolve(1);
    let stopping = false;
    // A second signal (Ctrl-C again, a second systemctl stop) must not kill the transaction in hand.
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) log.warn({ signal }, 'already shutting down; finishing the transaction in hand');
      stopping = true;
      resolve(0);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  log.info('shutting down');
  notifier.stopping();
  // Whatever still hangs holds the event loop, so returning would not end the process: exit here.
  setTimeout(() => {
    log.error({ timeoutMs: STOP_TIMEOUT_MS }, 'shutdown did not finish in time; exiting');
    process.exit(1);
  }, STOP_TIMEOUT_MS).unref();
  await gateway.stop();
  logger.flush();
  return code;
}
