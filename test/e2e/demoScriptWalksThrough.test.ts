import { describe, expect, it } from 'vitest';
import { CliProcess, runCli } from '../support/cli.js';

describe('ptgw demo', () => {
  it('--script plays an accept and every kind of reject, delivers the accepted selections, and exits 0', async () => {
    const r = await runCli(['demo', '--script'], { timeoutMs: 90_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    for (const line of [
      'T7 < APainting',
      'T7 < RUnknown badge',
      'T7 < R9 Unknown code',
      'T7 < R00026 Expired',
      'T7 < R202 Not yet active',
      'T7 < R1101 Wrong parent',
      'T7 < RNot allowed here',
      'T7 < RNot allowed for you',
      'T7 < RCancelled',
      'T8 < AUnloading',
    ]) {
      expect(out).toContain(line);
    }
    expect(out).toMatch(/Outbox: 2 delivered, 0 pending, 0 failed; the simulated Protime received 2 activity clocking/);
  });

  it('refuses a --port that is no port with one sentence naming the flag, exit 2, as ptgw simulator does', async () => {
    for (const args of [['demo', '--port', 'abc'], ['demo', '--script', '--port', '70000'], ['simulator', '--fixture', 'demo/demo-tenant.json', '--port', '']]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^ptgw: --port must be a TCP port number from 0 to 65535 \(got ".*"\)\.\n$/);
    }
  });

  it('runs until Ctrl+C, telling how to type into its terminals', async () => {
    const demo = new CliProcess(['demo', '--port', '0']);
    await demo.waitForOutput(/Ctrl\+C stops the demo/, 30_000);
    expect(demo.stdout).toMatch(/Status page: http:\/\/127\.0\.0\.1:\d+\//);
    expect(demo.stdout).toMatch(/T7: socat STDIO \S+,raw,echo=0,crlf/);
    const status = await fetch(`${/Status page: (\S+)/.exec(demo.stdout)?.[1] ?? ''}api/status`);
    expect(((await status.json()) as { terminals: unknown[] }).terminals).toHaveLength(2);
    expect(await demo.stop('SIGINT')).toMatchObject({ code: 0 });
  });
});
