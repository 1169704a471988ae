import { describe, expect, it } from 'vitest';
import type { Rewrite } from '../../support/rewritingProxy.js';
import { syncRig } from '../../support/syncHarness.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(syncRig);

/** Once armed, every level-1 listing gets `answer` with status 200 instead of its page. */
function replacing(answer: { contentType: string; body: string }): { rewrite: Rewrite; arm: () => void } {
  let armed = false;
  return {
    arm: () => void (armed = true),
    rewrite: (_method, path, status, headers) =>
      armed && path.includes('/levels/1/activity-definitions?') ? { status: 200, headers: { ...headers, 'content-type': answer.contentType }, body: answer.body } : undefined,
  };
}

describe('a 200 answer that is not the JSON page asked for', () => {
  it('is reported as malformed naming its content type, when a captive proxy sends its HTML login page', async () => {
    const html = replacing({ contentType: 'text/html; charset=utf-8', body: '<!doctype html><html><body><form>Log in to the guest network</form></body></html>' });
    const rig = await startRig({ rewrite: html.rewrite });
    await rig.engine.run({ full: true });
    const before = rig.store.loadSnapshot();
    html.arm();
    await expect(rig.engine.run({ full: true })).rejects.toMatchObject({ code: 'SYNC_MALFORMED_RESPONSE', message: expect.stringContaining('text/html') });
    expect(rig.store.loadSnapshot()).toEqual(before);
  });

  it('is reported as malformed saying the body was empty, when it has no body', async () => {
    const empty = replacing({ contentType: 'application/json', body: '' });
    const rig = await startRig({ rewrite: empty.rewrite });
    await rig.engine.run({ full: true });
    const before = rig.store.loadSnapshot();
    empty.arm();
    await expect(rig.engine.run({ full: true })).rejects.toMatchObject({ code: 'SYNC_MALFORMED_RESPONSE', message: expect.stringContaining('empty body') });
    expect(rig.store.loadSnapshot()).toEqual(before);
  });
});
