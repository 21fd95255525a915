import { verifyChain } from '../../src/app/audit.js';
import { PEOPLE, startHarness, type Harness } from '../support/bot-harness.js';

describe('the end-to-end harness', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('runs the real bot against the fake and a real store', async () => {
    const r = await h.seed({ title: 'Upgrade lodash to 4.17.21 in acme/api' });
    expect(r.id).toMatch(/^PW-\d+$/);
    expect(await h.store.remediations.get(r.id)).toEqual(r);
    expect(h.fake.calls('auth.test')).toHaveLength(1);
    await expect(verifyChain(h.store.audit.stream())).resolves.toMatchObject({ ok: true, count: 1 });
  });

  it('drops a second delivery of the same event', async () => {
    const first = await h.driver.event({ type: 'app_home_opened', user: PEOPLE.manager.id, tab: 'home' }, { eventId: 'Ev-dup-1' });
    const again = await h.driver.redeliver(first, { retryNum: 1, retryReason: 'http_timeout' });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await h.store.idempotency.claim('event:Ev-dup-1', h.now())).toBe(false);
  });
});
