import { readFileSync } from 'node:fs';
import { ConfigError, parseBaseConfig, parseConfig } from '../../src/config.js';
import { policySchema } from '../../src/policy.js';

const slackEnv = { SLACK_BOT_TOKEN: 'xoxb-secret-bot-token', SLACK_SIGNING_SECRET: 'signing-secret-value', PATCH_CHANNEL: 'C0PATCHES' };
const noFile = () => null;
const file = (text: string) => (path: string) => (path.endsWith('patchwarden.config.yaml') ? text : null);

describe('configuration', () => {
  it('lists every missing Slack variable in one go', () => {
    const r = parseConfig({}, noFile);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((p) => p.split(':')[0])).toEqual(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'PATCH_CHANNEL']);
  });

  it('starts with defaults from just the Slack settings', () => {
    const r = parseConfig(slackEnv, noFile);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.slack).toEqual({ botToken: 'xoxb-secret-bot-token', signingSecret: 'signing-secret-value', appToken: null, apiUrl: 'https://slack.com/api/', channel: 'C0PATCHES', port: 3000 });
    expect(r.value.store).toEqual({ mongodbUri: null, dbPath: expect.stringMatching(/data\/patchwarden\.db$/) });
    expect(r.value.github).toBeNull();
    expect(r.value.snyk).toBeNull();
    expect(r.value.ssm).toBeNull();
    expect(r.value.feeds.kevUrl).toMatch(/^https:\/\/www\.cisa\.gov\//);
    expect(r.value.policy.sla.days).toEqual({ critical: 7, high: 30, medium: 90, low: 180 });
    expect(r.value.policy.schedules).toEqual({ digest: '0 9 1 * *', sync: '0 */6 * * *', reminders: '0 8 * * *' });
    expect(r.value.policySource).toBe('defaults');
  });

  it('finds Chromium for the evidence pack’s PDF in the usual places, or at CHROMIUM_PATH, or nowhere when it is empty', () => {
    const at = (...paths: string[]) => (p: string) => paths.includes(p);
    const path = (env: Record<string, string>, exists: (p: string) => boolean) => {
      const r = parseBaseConfig(env, noFile, exists);
      return r.ok ? r.value.chromiumPath : r.error;
    };
    expect(path({}, at('/usr/bin/google-chrome', '/usr/bin/chromium'))).toBe('/usr/bin/chromium');
    expect(path({}, at())).toBeNull();
    expect(path({ CHROMIUM_PATH: '/opt/chrome/chrome' }, at('/opt/chrome/chrome', '/usr/bin/chromium'))).toBe('/opt/chrome/chrome');
    expect(path({ CHROMIUM_PATH: ' ' }, at('/usr/bin/chromium'))).toBeNull();
    expect(path({ CHROMIUM_PATH: '/opt/none' }, at())).toEqual(['CHROMIUM_PATH: no file at /opt/none']);
  });

  it('Socket Mode needs no signing secret', () => {
    const r = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', PATCH_CHANNEL: 'C1AB' }, noFile);
    expect(r.ok && r.value.slack).toMatchObject({ appToken: 'xapp-1', signingSecret: null });
  });

  it('adds the trailing slash Slack’s client expects and honours PORT', () => {
    const r = parseConfig({ ...slackEnv, SLACK_API_URL: 'http://127.0.0.1:9999/api', PORT: '8080' }, noFile);
    expect(r.ok && r.value.slack).toMatchObject({ apiUrl: 'http://127.0.0.1:9999/api/', port: 8080 });
  });

  it('turns a source on only when all its settings are present, and says which one is missing', () => {
    const r = parseConfig({ ...slackEnv, GITHUB_TOKEN: 'ghp_x', SNYK_ORG_ID: '8f4a2c1e-5b7d-4e3a-9c2b-1a0f6e8d7c5b' }, noFile);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toEqual(['GITHUB_ORG: missing (needed because GITHUB_TOKEN is set)', 'SNYK_TOKEN: missing (needed because SNYK_ORG_ID is set)']);
    const on = parseConfig({ ...slackEnv, GITHUB_TOKEN: 'ghp_x', GITHUB_ORG: 'acme', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:4566' }, noFile);
    expect(on.ok && on.value.github).toEqual({ token: 'ghp_x', org: 'acme', apiUrl: 'https://api.github.com' });
    expect(on.ok && on.value.ssm).toEqual({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' });
  });

  it('an empty feed URL turns the feed off', () => {
    const r = parseConfig({ ...slackEnv, KEV_URL: '', EPSS_URL: 'http://127.0.0.1:1/epss' }, noFile);
    expect(r.ok && r.value.feeds).toEqual({ kevUrl: null, epssUrl: 'http://127.0.0.1:1/epss' });
  });

  it('reports malformed values by name without echoing them', () => {
    const r = parseConfig({ SLACK_BOT_TOKEN: 'xoxp-user-token-oops', SLACK_SIGNING_SECRET: 's3cr3t', PATCH_CHANNEL: '#patches', MONGODB_URI: 'postgres://u:hunter2@db', AWS_REGION: 'Frankfurt', PORT: 'eighty' }, noFile);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.error.join('\n');
    expect(r.error.map((p) => p.split(':')[0]).sort()).toEqual(['AWS_REGION', 'MONGODB_URI', 'PATCH_CHANNEL', 'PORT', 'SLACK_BOT_TOKEN']);
    for (const secret of ['xoxp-user-token-oops', 'hunter2', 's3cr3t']) expect(text).not.toContain(secret);
  });

  it('reads the policy file and reports every problem in it with its path', () => {
    const yaml = ['sla:', '  days: { high: -1 }', '  dayz: 3', 'roles:', '  lead: [bob]', 'maintenanceWindows:', '  - { id: w1, name: W, cron: "bad", durationMinutes: 60, environments: [qa] }', 'timezone: Mars/Olympus'].join('\n');
    const r = parseBaseConfig({}, file(yaml));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const fields = r.error.map((p) => p.split(': ')[1]);
    expect(fields.sort()).toEqual(['maintenanceWindows.0.cron', 'maintenanceWindows.0.environments', 'roles.lead.0', 'sla', 'sla.days.high', 'timezone'].sort());
    expect(r.error.find((p) => p.includes('sla: '))).toContain('dayz');
  });

  it('reads a valid policy file', () => {
    const yaml = 'timezone: Europe/Berlin\nroles:\n  lead: [U0LEAD, S0LEADS]\nmaintenanceWindows:\n  - { id: prod, name: Prod, cron: "0 22 * * 6", durationMinutes: 240, environments: [production] }\n';
    const r = parseBaseConfig({}, file(yaml));
    expect(r.ok && r.value.policy.roles.lead).toEqual(['U0LEAD', 'S0LEADS']);
    expect(r.ok && r.value.policy.maintenanceWindows[0]).toMatchObject({ id: 'prod', durationMinutes: 240 });
    expect(r.ok && r.value.policySource).toMatch(/patchwarden\.config\.yaml$/);
  });

  it('the example policy file parses, and its deploy keys are the defaults', () => {
    const r = parseConfig(slackEnv, file(readFileSync('patchwarden.config.example.yaml', 'utf8')));
    expect(r.ok && r.value.policy.deploy).toEqual(policySchema.parse({}).deploy);
    expect(policySchema.parse({}).deploy).toEqual({ document: 'AWS-RunPatchBaseline', rebootOption: 'RebootIfNeeded', maxConcurrency: '10%', maxErrors: '0', emergencyApprovalDays: 3, pollSeconds: 15 });
  });

  it('refuses deploy settings SSM would refuse, naming each', () => {
    const r = parseConfig(slackEnv, file('deploy:\n  rebootOption: Always\n  maxConcurrency: "0%"\n  maxErrors: lots\n  emergencyApprovalDays: 0\n'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((p) => p.split(': ')[1]).sort()).toEqual(['deploy.emergencyApprovalDays', 'deploy.maxConcurrency', 'deploy.maxErrors', 'deploy.rebootOption']);
  });

  it('a policy file named explicitly must exist', () => {
    const r = parseBaseConfig({ PATCHWARDEN_CONFIG: '/nowhere/policy.yaml' }, noFile);
    expect(!r.ok && r.error).toEqual(['PATCHWARDEN_CONFIG: no file at /nowhere/policy.yaml']);
  });

  it('says when the policy file is not YAML', () => {
    const r = parseBaseConfig({}, file('roles: [unclosed'));
    expect(!r.ok && r.error[0]).toMatch(/not valid YAML/);
  });

  it('the error message names each problem and where to look', () => {
    const e = new ConfigError(['SLACK_BOT_TOKEN: missing', 'PATCH_CHANNEL: missing'], 'See README.md.');
    expect(e.message).toBe('patchwarden cannot start: the configuration has 2 problems:\n  - SLACK_BOT_TOKEN: missing\n  - PATCH_CHANNEL: missing\nSee README.md.');
  });
});

describe('the example policy file', () => {
  it('parses, owners rules and all, in the order written', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../patchwarden.config.example.yaml', import.meta.url), 'utf8');
    const r = parseConfig(slackEnv, file(text));
    if (!r.ok) throw new Error(r.error.join('\n'));
    expect(r.value.policy.owners[0]).toEqual({ repository: 'acme/payments*', owner: 'S0123PAYMENTS' });
    expect(r.value.policy.owners.at(-1)).toEqual({ default: true, owner: 'U0123LEAD' });
  });

  it('refuses an owners entry that matches nothing known, or a second default, naming it', () => {
    const r = parseConfig(slackEnv, file('owners:\n  - team: payments\n    owner: U0123\n'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.join('\n')).toMatch(/owners\.0.*repository, snykProject, environment, patchGroup or tag/);
    const twice = parseConfig(slackEnv, file('owners:\n  - default: U0123\n  - default: U0456\n'));
    expect(twice.ok).toBe(false);
    if (!twice.ok) expect(twice.error.join('\n')).toMatch(/owners.*more than one default/);
  });
});
