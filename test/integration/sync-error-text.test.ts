/**
 * What a failing source or store leaves in Slack and in the audit log, through the real clients: AWS's
 * AccessDenied names the account and role, a proxy's 502 names internal hosts, a database error names its host.
 * The run report (kept forever in `sync.completed`) and the channel message carry only the scrubbed words.
 */
import type { Store } from '../../src/app/ports.js';
import { createSync } from '../../src/app/sync/sync.js';
import { createLogger } from '../../src/logger.js';
import { syncSummaryMessage } from '../../src/slack/views/sync-progress.js';
import { createSources } from '../../src/sources/create-sources.js';
import { tempStore, type TempStore } from '../support/temp-store.js';
import { configFrom, fixedServer, recordingSleep, TEST_RETRY } from './sources-support.js';

const ACCOUNT = '123456789012';
const SECRETS = [ACCOUNT, 'patchwarden-prod', 'ghe-internal.corp.example', '10.12.0.7', 'mongo-0.prod.internal', 'after=c2VjcmV0'];

describe('failure text in the run report and the channel', () => {
  let temp: TempStore;
  const servers: { close: () => Promise<void> }[] = [];
  beforeEach(async () => {
    temp = await tempStore();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await temp.dispose();
  });

  it('keeps the sources’ and the store’s failures without accounts, roles, hosts or addresses', async () => {
    const ssm = await fixedServer(400, 'application/x-amz-json-1.1', JSON.stringify({
      __type: 'AccessDeniedException',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/patchwarden-prod/i-0abc is not authorized to perform: ssm:DescribeInstanceInformation on resource: arn:aws:ssm:us-east-1:${ACCOUNT}:* (account ${ACCOUNT})`,
    }));
    const github = await fixedServer(502, 'text/plain', 'upstream connect error: ghe-internal.corp.example:8443 (10.12.0.7:8443) reset; retry GET https://ghe-internal.corp.example/api/v3/orgs/acme/dependabot/alerts?after=c2VjcmV0');
    servers.push(ssm, github);
    // Snyk's cursor read fails in the store, as a database that went away would.
    const store: Store = {
      ...temp.store,
      kv: { ...temp.store.kv, get: async (ns, key) => {
        if (key === 'snyk') throw new Error('MongoServerSelectionError: getaddrinfo ENOTFOUND mongo-0.prod.internal (mongodb://patchwarden:pw@mongo-0.prod.internal:27017)');
        return temp.store.kv.get(ns, key);
      } },
    };
    const config = configFrom({
      GITHUB_TOKEN: 'gh-token-1234567890', GITHUB_ORG: 'acme', GITHUB_API_URL: github.url,
      SNYK_TOKEN: 'snyk-token-1234567890', SNYK_ORG_ID: '5b3c6a1e-0d4f-4c2b-9a8e-7f6d5c4b3a21', SNYK_API_URL: github.url,
      AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SSM: ssm.url,
    });
    const logger = createLogger('silent');
    const now = () => new Date('2026-11-02T09:00:00Z');
    const { sources, feeds } = createSources(config, {
      kv: store.kv, logger, now, sleep: recordingSleep().sleep,
      clientOverrides: { retry: { ...TEST_RETRY, maxAttempts: 1 }, awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    });
    const report = await createSync({ store, sources, feeds, sla: config.policy.sla, now, logger })();

    expect(report.sources.map((s) => [s.source, s.status])).toEqual([['github', 'failed'], ['snyk', 'failed'], ['ssm', 'failed']]);
    const [gh = '', snyk = '', aws = ''] = report.sources.map((s) => s.error ?? '');
    expect(aws).toMatch(/^ssm: DescribeInstanceInformation failed with AccessDeniedException: User: \[arn\] is not authorized/);
    expect(gh).toMatch(/^github: .*answered 502: upstream connect error: \[host\] \(\[host\]\) reset; retry GET \/api\/v3\/orgs\/acme\/dependabot\/alerts$/);
    expect(snyk).toMatch(/^an internal error \([0-9a-f]{8}; the details are in patchwarden's log\)$/);
    for (const e of [gh, snyk, aws]) expect(e.length).toBeLessThanOrEqual(210);

    const [completed] = (await temp.store.audit.read(1, 1000)).filter((e) => e.action === 'sync.completed');
    const kept = JSON.stringify(completed?.data);
    const shown = JSON.stringify(syncSummaryMessage(report, 'U0LEAD', 'UTC'));
    for (const secret of SECRETS) {
      expect(kept).not.toContain(secret);
      expect(shown).not.toContain(secret);
    }
  });
});
