/** The SSM source with the real @aws-sdk/client-ssm against the SSM fake: inventory, patches, increments, faults. */
import { SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ExternalServiceError } from '../../src/app/errors.js';
import type { VulnerabilitySource } from '../../src/app/ports.js';
import { createSources } from '../../src/sources/create-sources.js';
import { createSsmApi } from '../../src/sources/ssm/client.js';
import { buildPopulation } from '../support/population/build-population.js';
import { SMALL_EXPECTED, SMALL_FACTS, small } from '../support/population/presets.js';
import type { Population } from '../support/population/types.js';
import { startFakeSsm, type FakeSsm } from '../support/ssm/fake-ssm.js';
import { captureLogger, configFrom, drain, fixedServer, latest, memoryKv, recordingSleep, rejectionOf, TEST_RETRY, type Sleeper } from './sources-support.js';

const NOW = new Date('2026-11-01T09:00:00.000Z');
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test-secret-4b9e1d' };

interface Setup { source: VulnerabilitySource; sleeper: Sleeper; logs: () => string }

function ssmSource(endpoint: string): Setup {
  const sleeper = recordingSleep();
  const { logger, text } = captureLogger();
  const config = configFrom({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SSM: endpoint });
  const { sources } = createSources(config, { kv: memoryKv(), logger, sleep: sleeper.sleep, clientOverrides: { retry: TEST_RETRY, awsCredentials: CREDENTIALS } });
  const source = sources.find((s) => s.name === 'ssm');
  if (!source) throw new Error('no ssm source');
  return { source, sleeper, logs: text };
}

const calls = (fake: FakeSsm, operation: string) => fake.requests.filter((r) => r.operation === operation);
const fleet = (instances: number): Population => buildPopulation({ repos: 1, alertsPerRepo: 0, snykProjects: 0, snykIssues: 0, cveOverlap: 0, instances, missingPerInstance: 3 });

describe('SSM source: the small population', () => {
  let population: Population;
  let fake: FakeSsm;
  let s: Setup;
  beforeEach(async () => {
    population = small();
    fake = await startFakeSsm(population);
    s = ssmSource(fake.url);
  });
  afterEach(() => fake.close());

  it('maps every managed instance and every missing or failed patch to exactly what the population holds', async () => {
    const out = await drain(s.source.run(null, NOW));
    const assets = latest(out.assets);
    expect(assets.size).toBe(SMALL_EXPECTED.ssm.instances);
    const envOf = (i: number) => population.ssm.instances[i]?.tags.Environment ?? null;
    expect(population.ssm.instances.map((i) => assets.get(`ssm:${i.instanceId}`)?.environment)).toEqual([0, 1, 2, 3].map(envOf));
    expect([...assets.values()].filter((a) => a.environment === null)).toHaveLength(SMALL_EXPECTED.ssm.withoutEnvironment);
    expect([...assets.values()].filter((a) => a.attributes.pingStatus === 'ConnectionLost')).toHaveLength(SMALL_EXPECTED.ssm.connectionLost);
    const windows = population.ssm.instances[0];
    const scannedAt = new Date(windows?.lastScanEndAt ?? 0).toISOString();
    expect(assets.get(`ssm:${windows?.instanceId ?? ''}`)).toMatchObject({
      kind: 'instance', name: windows?.computerName, source: 'ssm', inScope: true, lastSeenAt: NOW.toISOString(), lastScannedAt: scannedAt,
      attributes: { pingStatus: 'Online', platform: 'Windows', agentVersion: '3.3.1142.0', missingCount: 3, failedCount: 0, installedCount: 2 },
    });
    const staleBefore = new Date(NOW.getTime() - 30 * 86_400_000).toISOString();
    expect([...assets.values()].filter((a) => (a.lastScannedAt ?? '') < staleBefore)).toHaveLength(SMALL_EXPECTED.ssm.notScannedIn30Days);

    expect(out.findings).toHaveLength(SMALL_EXPECTED.ssm.missingPatches + SMALL_EXPECTED.ssm.failedPatches);
    expect(new Set(out.findings.map((f) => f.id)).size).toBe(out.findings.length);
    expect(out.completeFor.sort()).toEqual([...assets.keys()].sort());
    const kev = out.findings.find((f) => f.package === SMALL_FACTS.kevListedMissingPatch.kbId);
    expect(kev).toMatchObject({
      id: `ssm:${windows?.instanceId ?? ''}:${SMALL_FACTS.kevListedMissingPatch.kbId}`, source: 'ssm', fixedIn: SMALL_FACTS.kevListedMissingPatch.kbId,
      cves: expect.arrayContaining([SMALL_FACTS.kevListedMissingPatch.cve]), severity: 'critical', state: 'open', detectedAt: scannedAt,
    });
    for (const f of out.findings) expect(assets.has(f.assetId)).toBe(true);
  });

  it('reads patch states in one batch and lists patches with the Missing and Failed filter, 100 a page', async () => {
    await drain(s.source.run(null, NOW));
    expect(calls(fake, 'DescribeInstancePatchStates').map((r) => (r.body as { InstanceIds: string[] }).InstanceIds.length)).toEqual([4]);
    expect(calls(fake, 'DescribeInstancePatches')[0]?.body).toMatchObject({ Filters: [{ Key: 'State', Values: ['Missing', 'Failed'] }], MaxResults: 100 });
    expect(calls(fake, 'DescribeInstanceInformation').map((r) => (r.body as { Filters?: unknown }).Filters ?? null)).toEqual([
      [{ Key: 'tag:Environment', Values: ['staging'] }], [{ Key: 'tag:Environment', Values: ['production'] }], null,
    ]);
  });

  it('re-syncs an unchanged fleet without a single DescribeInstancePatches; an install is read back', async () => {
    const first = await drain(s.source.run(null, NOW));
    fake.requests.length = 0;
    const second = await drain(s.source.run(first.cursor, NOW));
    expect(calls(fake, 'DescribeInstancePatches')).toHaveLength(0);
    expect(calls(fake, 'ListTagsForResource')).toHaveLength(0);
    expect([second.findings.length, second.completeFor.length, latest(second.assets).size]).toEqual([0, 0, 4]);

    const target = population.ssm.instances[1]?.instanceId as string;
    const ssm = new SSMClient({ endpoint: fake.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    await ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunPatchBaseline', InstanceIds: [target], Parameters: { Operation: ['Install'] } }));
    ssm.destroy();
    fake.knobs.completeCommands();
    fake.requests.length = 0;
    const third = await drain(s.source.run(second.cursor, NOW));
    expect(calls(fake, 'DescribeInstancePatchStates')).toHaveLength(1);
    expect(calls(fake, 'DescribeInstancePatches')).toHaveLength(0);
    expect([third.findings, third.completeFor]).toEqual([[], [`ssm:${target}`]]);
    expect(latest(third.assets).get(`ssm:${target}`)?.attributes).toMatchObject({ missingCount: 0, lastOperation: 'Install' });
  });

  it('never writes the secret key to the logs', async () => {
    fake.knobs.failNext({ throttle: true });
    await drain(s.source.run(null, NOW));
    expect(s.logs()).toContain('ThrottlingException');
    expect(s.logs()).not.toContain(CREDENTIALS.secretAccessKey);
  });
});

describe('SSM source: pagination and faults (120 instances)', () => {
  let fake: FakeSsm;
  let s: Setup;
  beforeEach(async () => {
    fake = await startFakeSsm(fleet(120));
    s = ssmSource(fake.url);
  });
  afterEach(() => fake.close());

  it('pages the fleet 50 at a time and reads patch states in batches of at most 50', async () => {
    const out = await drain(s.source.run(null, NOW));
    expect(latest(out.assets).size).toBe(120);
    const unfiltered = calls(fake, 'DescribeInstanceInformation').filter((r) => !(r.body as { Filters?: unknown }).Filters);
    expect(unfiltered.map((r) => r.page)).toEqual([1, 2, 3]);
    expect(calls(fake, 'DescribeInstancePatchStates').map((r) => (r.body as { InstanceIds: string[] }).InstanceIds.length)).toEqual([50, 50, 20]);
    expect(calls(fake, 'DescribeInstancePatches')).toHaveLength(120);
    expect(out.completeFor).toHaveLength(120);
  });

  it.each([
    ['the instance listing', 'DescribeInstanceInformation', 2],
    ['a patch listing', 'DescribeInstancePatches', undefined],
  ])('retries a ThrottlingException in %s: complete, nothing doubled', async (_name, operation, page) => {
    fake.knobs.failNext({ throttle: true, operation, ...(page ? { page } : {}), times: 2 });
    const out = await drain(s.source.run(null, NOW));
    expect(latest(out.assets).size).toBe(120);
    expect(out.assets).toHaveLength(120);
    expect(new Set(out.findings.map((f) => f.id)).size).toBe(out.findings.length);
    expect(out.findings).toHaveLength(120 * 3 + fake.instances.filter((i) => i.patches.some((p) => p.state === 'FAILED')).length);
    expect(s.sleeper.sleeps).toHaveLength(2);
  });

  it('surfaces an SSM that stays down as ExternalServiceError after a bounded number of attempts', async () => {
    fake.knobs.staysDown({ status: 503 });
    const e = await rejectionOf(drain(s.source.run(null, NOW)));
    expect(e).toBeInstanceOf(ExternalServiceError);
    expect(e).toMatchObject({ service: 'ssm', status: 503, retryable: true });
    expect(e.message).toBe('ssm: DescribeInstanceInformation failed with ServiceUnavailable: The service is unavailable; try again.');
    // The instance listing and each environment's filtered listing (staging and production by default) run at the
    // same time, and each gives up after its bounded attempts: the first to give up fails the run.
    expect(fake.requests.length).toBeGreaterThanOrEqual(TEST_RETRY.maxAttempts);
    expect(fake.requests.length).toBeLessThanOrEqual(3 * TEST_RETRY.maxAttempts);
    expect(new Set(fake.requests.map((r) => r.operation))).toEqual(new Set(['DescribeInstanceInformation']));
  });

  it('does not retry a ValidationException: it names the bug', async () => {
    const api = createSsmApi({ region: 'us-east-1', endpoint: fake.url, logger: captureLogger().logger, policy: TEST_RETRY, sleep: async () => undefined, credentials: CREDENTIALS });
    const e = await rejectionOf(api.describeInstanceInformation({ MaxResults: 500 }));
    expect(e).toBeInstanceOf(ExternalServiceError);
    expect(e.message).toMatch(/^ssm: DescribeInstanceInformation failed with ValidationException \(a request patchwarden should not have made: please report it\): 1 validation error detected: .*maxResults/);
    expect(fake.requests).toHaveLength(1);
    api.destroy();
  });
});

describe('SSM source: malformed responses', () => {
  it('refuses an instance list without instance ids with a clear message', async () => {
    const bad = await fixedServer(200, 'application/x-amz-json-1.1', JSON.stringify({ InstanceInformationList: [{ PingStatus: 'Online', ComputerName: 'web-1' }] }));
    try {
      const e = await rejectionOf(drain(ssmSource(bad.url).source.run(null, NOW)));
      expect(e).toBeInstanceOf(ExternalServiceError);
      expect(e.message).toBe('ssm: malformed response to DescribeInstanceInformation: InstanceInformationList[0].InstanceId: Invalid input: expected string, received undefined');
    } finally {
      await bad.close();
    }
  });
});
