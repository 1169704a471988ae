import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './waitFor.js';

export const PTGW_BIN = fileURLToPath(new URL('../../bin/ptgw.js', import.meta.url));

/**
 * The environment of a `ptgw` child: the test's, without what ptgw takes secrets and systemd
 * notifications from, so that a developer's own PTGW_ADMIN_TOKEN or a CI job's NOTIFY_SOCKET
 * never reaches a test's gateway (nor its output); plus what the test sets.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PTGW_') && !['CREDENTIALS_DIRECTORY', 'NOTIFY_SOCKET', 'WATCHDOG_USEC', 'WATCHDOG_PID'].includes(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `ptgw` (the built CLI) as a child process and collects its output. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PTGW_BIN, ...args], { env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A long-running `ptgw` child (simulator, daemon) with its output kept for assertions. */
export class CliProcess {
  stdout = '';
  stderr = '';
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [PTGW_BIN, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  async waitForOutput(re: RegExp, timeoutMs = 15_000): Promise<RegExpExecArray> {
    return waitFor(
      () => {
        const m = re.exec(this.stdout);
        if (m === null) throw new Error(`not yet in output: ${this.stdout.slice(-300)} ${this.stderr.slice(-300)}`);
        return m;
      },
      { timeoutMs, what: String(re) },
    );
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Starts the simulator CLI on a free port and returns its URL. */
export async function startSimulatorProcess(fixture: string, extra: string[] = []): Promise<{ proc: CliProcess; url: string }> {
  const proc = new CliProcess(['simulator', '--fixture', fixture, '--port', '0', ...extra]);
  const m = await proc.waitForOutput(/listening on (http:\/\/\S+)/);
  return { proc, url: m[1] as string };
}
