import { checksVerdict } from '../../../src/domain/ci-checks.js';
import { bumpedVersion, fixingPull } from '../../../src/domain/dependabot-pull.js';
import { deployPath, repositoryOfAlert } from '../../../src/domain/deploy-path.js';
import type { CheckResult } from '../../../src/domain/run-records.js';
import { batches, invocationStatus, runCounts, runPassed } from '../../../src/domain/ssm-run.js';
import { aRemediation } from '../../support/builders.js';

const check = (name: string, status: string, conclusion: string | null): CheckResult => ({ name, status, conclusion, url: null, completedAt: null });

describe('when checks let a pull request merge', () => {
  it.each([
    ['all green', [check('build', 'completed', 'success'), check('lint', 'completed', 'neutral'), check('docs', 'completed', 'skipped')], { green: true }],
    ['no checks at all', [], { green: true }],
    ['a red check', [check('build', 'completed', 'failure'), check('lint', 'completed', 'success')], { green: false, failing: ['build'], pending: [] }],
    ['a check still running', [check('build', 'in_progress', null)], { green: false, failing: [], pending: ['build'] }],
    ['a legacy status pending', [check('ci/build', 'pending', null)], { green: false, failing: [], pending: ['ci/build'] }],
    ['cancelled, timed out, action required', [check('a', 'completed', 'cancelled'), check('b', 'completed', 'timed_out'), check('c', 'completed', 'action_required')], { green: false, failing: ['a', 'b', 'c'], pending: [] }],
  ] as const)('%s', (_name, checks, verdict) => expect(checksVerdict(checks)).toEqual(verdict));
});

describe('finding Dependabot’s pull request for a package', () => {
  const pulls = [
    { number: 3, title: 'Bump lodash from 4.17.15 to 4.17.20', headRef: 'dependabot/npm_and_yarn/lodash-4.17.20' },
    { number: 5, title: 'Bump lodash from 4.17.15 to 4.17.21 in /frontend', headRef: 'dependabot/npm_and_yarn/frontend/lodash-4.17.21' },
    { number: 7, title: 'Bump the npm_and_yarn group across 1 directory with 2 updates', headRef: 'dependabot/npm_and_yarn/babel/core-7.26.0' },
    { number: 9, title: 'Bump lodash-es from 4.17.15 to 4.17.30', headRef: 'dependabot/npm_and_yarn/lodash-es-4.17.30' },
  ];
  it('reads the version from the title, else the branch', () => {
    expect(bumpedVersion(pulls[1]!, 'lodash')).toBe('4.17.21');
    expect(bumpedVersion(pulls[2]!, '@babel/core')).toBe('7.26.0');
    expect(bumpedVersion(pulls[3]!, 'lodash')).toBeNull();
  });
  it('takes one at least the fixing version, the highest first', () => {
    expect(fixingPull(pulls, 'lodash', '4.17.21')?.number).toBe(5);
    expect(fixingPull(pulls, 'lodash', '4.17.22')).toBeNull();
    expect(fixingPull(pulls, 'lodash', null)?.number).toBe(5);
    expect(fixingPull(pulls, 'left-pad', null)).toBeNull();
  });
});

describe('which way a remediation deploys', () => {
  it.each([
    ['OS patches by SSM', { remedy: { kind: 'os_patches' as const, environment: 'production', patchIds: ['KB1'] }, findingIds: ['ssm:i-1:KB1'] }, { kind: 'ssm', environment: 'production' }],
    ['a Dependabot alert by its pull request', { findingIds: ['github:acme/api:alert:12', 'snyk:9f0c'] }, { kind: 'dependabot', repository: 'acme/api' }],
    ['Snyk only by a lead marking it deployed', { findingIds: ['snyk:9f0c'] }, { kind: 'manual' }],
    ['a manual remediation not at all', { remedy: { kind: 'manual' as const, description: 'x' } }, { kind: 'none' }],
  ])('%s', (_name, overrides, expected) => expect(deployPath(aRemediation(overrides))).toMatchObject(expected));
  it('reads a repository from an alert id', () => {
    expect(repositoryOfAlert('github:acme/api:alert:12')).toBe('acme/api');
    expect(repositoryOfAlert('snyk:abc')).toBeNull();
  });
});

describe('reading an SSM run', () => {
  it.each([
    ['TimedOut', 'Delivery Timed Out', 'DeliveryTimedOut'],
    ['TimedOut', 'Execution Timed Out', 'ExecutionTimedOut'],
    ['TimedOut', 'TimedOut', 'TimedOut'],
    ['Failed', 'Undeliverable', 'Undeliverable'],
    ['Failed', 'Terminated', 'Terminated'],
    ['Failed', 'Failed', 'Failed'],
    ['Delayed', 'Delayed', 'Delayed'],
    ['SomethingNew', '', 'Pending'],
  ])('%s / %s is %s', (status, details, expected) => expect(invocationStatus(status, details)).toBe(expected));

  it('counts what is done and passes only when every instance succeeded', () => {
    const i = (status: 'Success' | 'Failed' | 'InProgress' | 'DeliveryTimedOut') => ({ instanceId: status, name: null, status, statusDetails: status, responseCode: null, output: '', startedAt: null, finishedAt: null });
    expect(runCounts({ instances: [i('Success'), i('Failed'), i('InProgress'), i('DeliveryTimedOut')] })).toEqual({ total: 4, done: 3, succeeded: 1, failed: 2 });
    expect(runPassed({ instances: [i('Success'), i('Success')] })).toBe(true);
    expect(runPassed({ instances: [i('Success'), i('InProgress')] })).toBe(false);
    expect(runPassed({ instances: [] })).toBe(false);
  });

  it('sends at most 50 instances per command', () => {
    expect(batches(Array.from({ length: 120 }, (_, k) => k)).map((b) => b.length)).toEqual([50, 50, 20]);
  });
});
