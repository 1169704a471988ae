import { TestTerminal } from '../support/TestTerminal.js';

/**
 * The terminals of the devices benchmark, in a process of their own (serialport cannot run in a
 * worker thread): they type frames on the pty ends and timestamp the replies, so the gateway's work
 * never delays the measuring side. Input as JSON in argv[2], the runs as JSON on stdout.
 */
interface Input {
  paths: string[];
  periodMs: number;
  durationMs: number;
}

const DIALOG: [frame: string, reply: string][] = [
  ['B0001234', 'P'],
  ['K1', 'P'],
  ['K100', 'P'],
  ['K26', 'A'],
];

export interface TerminalRun {
  latencies: number[];
  accepts: number[];
  sent: number;
  lost: number;
  reordered: number;
}

async function drive(t: TestTerminal, periodMs: number, durationMs: number): Promise<TerminalRun> {
  const run: TerminalRun = { latencies: [], accepts: [], sent: 0, lost: 0, reordered: 0 };
  const pending: { at: number; expect: string }[] = [];
  let seen = t.lines.length;
  const collect = (): void => {
    while (seen < t.lines.length) {
      const line = t.lines[seen] as string;
      const at = t.times[seen] as number;
      seen++;
      const p = pending.shift();
      if (p === undefined || line[0] !== p.expect) run.reordered++;
      if (p === undefined) continue;
      run.latencies.push(at - p.at);
      if (p.expect === 'A') run.accepts.push(at - p.at);
    }
  };
  await new Promise((r) => setTimeout(r, Math.random() * periodMs));
  const end = performance.now() + durationMs;
  for (let step = 0; performance.now() < end; step++) {
    const [frame, reply] = DIALOG[step % DIALOG.length] as [string, string];
    pending.push({ at: performance.now(), expect: reply });
    await t.send(frame);
    run.sent++;
    await new Promise((r) => setTimeout(r, periodMs));
    collect();
  }
  await new Promise((r) => setTimeout(r, 1000));
  collect();
  run.lost = pending.length;
  return run;
}

const input = JSON.parse(process.argv[2] as string) as Input;
const terminals = await Promise.all(input.paths.map((p) => TestTerminal.open(p)));
const runs = await Promise.all(terminals.map((t) => drive(t, input.periodMs, input.durationMs)));
await Promise.all(terminals.map((t) => t.close()));
process.stdout.write(JSON.stringify(runs));
