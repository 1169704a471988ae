import { writeSync } from 'node:fs';
import { ReadStream } from 'node:tty';

/**
 * The terminals of the devices benchmark, in a process of their own, on the master ends of real
 * pty pairs (made by ptyPairs.py): the gateway opens the slave ends as serial ports, exactly as it
 * opens /dev/ttyUSB0. Reads come through libuv's own tty handle and writes are one write(2) each,
 * so the measuring side adds no thread-pool hop of its own.
 *
 * Protocol: prints the slave paths as one JSON line, waits for one JSON line {periodMs, durationMs}
 * on stdin (sent once the gateway has them open), runs, and prints the runs as JSON.
 */
interface Pty {
  master: number;
  slave: number;
  path: string;
}

export interface TerminalRun {
  latencies: number[];
  accepts: number[];
  /** Prompts and rejects: the replies that do not wait for the disk. */
  others: number[];
  sent: number;
  /** When each frame was written (performance.now() of this process): the arrival pattern the gateway saw. */
  sentAt: number[];
  lost: number;
  reordered: number;
}

const DIALOG: [frame: string, reply: string][] = [
  ['B0001234', 'P'],
  ['K1', 'P'],
  ['K100', 'P'],
  ['K26', 'A'],
];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function drive(pty: Pty, periodMs: number, durationMs: number): Promise<TerminalRun> {
  const run: TerminalRun = { latencies: [], accepts: [], others: [], sent: 0, sentAt: [], lost: 0, reordered: 0 };
  const pending: { at: number; expect: string }[] = [];
  const input = new ReadStream(pty.master);
  let buffer = '';
  input.on('data', (chunk: Buffer) => {
    const at = performance.now();
    buffer += chunk.toString('latin1');
    let i: number;
    while ((i = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      const p = pending.shift();
      if (p === undefined || line[0] !== p.expect) run.reordered++;
      if (p === undefined) continue;
      run.latencies.push(at - p.at);
      if (p.expect === 'A') run.accepts.push(at - p.at);
      else run.others.push(at - p.at);
    }
  });
  // Each terminal keeps its own random phase for the whole run: frame k goes at start + phase +
  // k·period, not a period after the previous one. Sleeping a period from each wake-up would let
  // terminals whose timers fired in the same loop turn share that wake-up time ever after, and
  // within seconds most of the 64 would type in lock-step bursts (70 % of frames came within
  // 0.2 ms of another), which independent people at terminals never do.
  const start = performance.now() + Math.random() * periodMs;
  await sleep(start - performance.now());
  for (let step = 0; step * periodMs < durationMs; step++) {
    const [frame, reply] = DIALOG[step % DIALOG.length] as [string, string];
    const at = performance.now();
    pending.push({ at, expect: reply });
    writeSync(pty.master, `${frame}\r\n`);
    run.sent++;
    run.sentAt.push(at);
    await sleep(start + (step + 1) * periodMs - performance.now());
  }
  await sleep(1000);
  run.lost = pending.length;
  input.destroy();
  return run;
}

const ptys = JSON.parse(process.env.PTGW_BENCH_PTYS ?? '[]') as Pty[];
process.stdout.write(`${JSON.stringify(ptys.map((p) => p.path))}\n`);
const go = await new Promise<string>((resolve) => {
  let text = '';
  process.stdin.on('data', (d: Buffer) => {
    text += d.toString();
    if (text.includes('\n')) resolve(text);
  });
});
process.stdin.destroy();
const { periodMs, durationMs } = JSON.parse(go) as { periodMs: number; durationMs: number };
const runs = await Promise.all(ptys.map((p) => drive(p, periodMs, durationMs)));
// Exit only once the pipe has the whole result: the master fds keep the loop alive otherwise.
process.stdout.write(JSON.stringify(runs), () => process.exit(0));
