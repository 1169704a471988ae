import { afterEach, describe, expect, it } from 'vitest';
import { closeSimulators, LEVEL, requestToken, SCOPE, send, startSeeded, tokenFor } from '../../support/simulatorClient.js';

afterEach(closeSimulators);

const grant = (scope: string, secret = 'secret') => ({ grant_type: 'client_credentials', client_id: 'gw', client_secret: secret, scope });

describe('OAuth2 client credentials', () => {
  it('issues a bearer token with the requested scopes and lifetime', async () => {
    const sim = await startSeeded({ tokenLifetimeSeconds: 600 });
    const answer = await requestToken(sim, grant(`${SCOPE.definitionsRead} ${SCOPE.peopleRead}`));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: `${SCOPE.definitionsRead} ${SCOPE.peopleRead}` });
    expect(answer.body.access_token).toEqual(expect.any(String));
    expect((await send(sim, 'GET', LEVEL(1), { token: answer.body.access_token })).status).toBe(200);
  });

  it('answers invalid_client for a wrong secret or an unknown client', async () => {
    const sim = await startSeeded();
    const wrong = await requestToken(sim, grant(SCOPE.definitionsRead, 'guess'));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    const unknown = await requestToken(sim, { ...grant(SCOPE.definitionsRead), client_id: 'nobody' });
    expect(unknown.status).toBe(401);
  });

  it('answers invalid_scope for a scope the client was not granted', async () => {
    const sim = await startSeeded();
    const answer = await requestToken(sim, { grant_type: 'client_credentials', client_id: 'reader', client_secret: 'reader-secret', scope: SCOPE.peopleRead });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_scope');
  });

  it('answers unsupported_grant_type for any other grant', async () => {
    const sim = await startSeeded();
    const answer = await requestToken(sim, { ...grant(SCOPE.definitionsRead), grant_type: 'password' });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('unsupported_grant_type');
  });

  it('answers 404 for another tenant', async () => {
    const sim = await startSeeded();
    expect((await requestToken(sim, grant(SCOPE.definitionsRead), 'acme')).status).toBe(404);
  });
});

describe('bearer tokens on API calls', () => {
  it('refuses a call without a token with 401 and a Bearer challenge', async () => {
    const sim = await startSeeded();
    const answer = await send(sim, 'GET', LEVEL(1));
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(answer.body).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('refuses an unknown token with 401', async () => {
    const sim = await startSeeded();
    expect((await send(sim, 'GET', LEVEL(1), { token: 'made-up' })).status).toBe(401);
  });

  it('refuses a token once its lifetime has passed on the simulator clock', async () => {
    let now = Date.parse('2025-03-04T08:00:00Z');
    const sim = await startSeeded({ now: () => now, tokenLifetimeSeconds: 1800 });
    const token = await tokenFor(sim);
    now += 1799_000;
    expect((await send(sim, 'GET', LEVEL(1), { token })).status).toBe(200);
    now += 2_000;
    const expired = await send(sim, 'GET', LEVEL(1), { token });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('refuses every token after expireTokens, and a new token works', async () => {
    const sim = await startSeeded();
    const token = await tokenFor(sim);
    sim.expireTokens();
    expect((await send(sim, 'GET', LEVEL(1), { token })).status).toBe(401);
    expect((await send(sim, 'GET', LEVEL(1), { token: await tokenFor(sim) })).status).toBe(200);
  });

  it('answers 403 when the token lacks the endpoint scope', async () => {
    const sim = await startSeeded();
    const reader = await tokenFor(sim, [SCOPE.definitionsRead], { id: 'reader', secret: 'reader-secret' });
    const people = await send(sim, 'GET', '/connector/protimeapi/api/v1/people?filter=id eq 1234', { token: reader });
    expect(people.status).toBe(403);
    expect(people.body.detail).toContain(SCOPE.peopleRead);
    const write = await send(sim, 'PUT', `${LEVEL(3)}/Mop?externalReferences=(activity-definitions,@external-reference)`, { token: reader, json: { name: { default: 'Mop' }, dataEntryCode: '77' } });
    expect(write.status).toBe(403);
    const clockingsOnly = await tokenFor(sim, [SCOPE.clockingsWrite]);
    expect((await send(sim, 'GET', LEVEL(1), { token: clockingsOnly })).status).toBe(403);
  });

  it('lets the write scope read definitions and the clockings write scope list clockings', async () => {
    const sim = await startSeeded();
    const writer = await tokenFor(sim, [SCOPE.definitionsWrite]);
    expect((await send(sim, 'GET', LEVEL(1), { token: writer })).status).toBe(200);
    const clocker = await tokenFor(sim, [SCOPE.clockingsWrite]);
    expect((await send(sim, 'GET', "/connector/protimeapi/api/v1/clockings?filter=person in (1234)", { token: clocker })).status).toBe(200);
  });
});
