/**
 * What Slack delivers to the bot, one of each kind, as the base for mutations and forgeries: every slash command,
 * a click of every button, a submission of every modal (the real modals, opened by a lead on the running bot and
 * filled in with valid values), and events. Each base is one no mutation can turn into a change of state: a lead
 * acting on a closed remediation (every step refused by its state), or someone with no role acting on an open one
 * (refused by role); the lead's commands are the ones that only read.
 */
import type { Remediation } from '../../../src/domain/remediation.js';
import { ACTION, COMMAND, encodeButtonValue, encodeModalMetadata, VIEW } from '../../../src/slack/ids.js';
import { CHANNEL, PEOPLE, startHarness, type Harness } from '../../support/bot-harness.js';
import { aTest } from '../../support/builders.js';
import type { ViewRecord } from '../../support/slack/fake-slack.js';
import { blockActionPayload, eventEnvelope, payloadContext, slashCommandFields, viewSubmissionPayload } from '../../support/slack/payloads.js';
import { stateValuesFor, type InputValue } from '../../support/slack/state-values.js';
import { captureLogs, type LogCapture } from '../../support/log-capture.js';
import { createSocketModeDriver } from '../../support/slack/socket-mode-driver.js';
import { messageOf, postMessage, settled, until } from '../../integration/workflow-support.js';
import type { Delivered } from './mutate.js';
import { snapshot, type Snapshot } from './state-snapshot.js';

export interface Base {
  readonly name: string;
  readonly delivered: Delivered;
}

export interface Scene {
  /** Open work someone with no role acts on. */
  readonly open: Remediation;
  /** Closed work a lead acts on. */
  readonly closed: Remediation;
  /** Every modal the bot opens, as it opened it. */
  readonly views: ReadonlyMap<string, ViewRecord>;
}

/** Valid values for each modal (what a person would fill in). */
const INPUTS: Record<string, Record<string, InputValue>> = {
  [VIEW.assess]: { severity: 'high', known_exploit: 'no', business_impact: 'low', rationale: 'Internal only.' },
  [VIEW.testEvidence]: { environment: 'staging', result: 'fail', notes: 'Login page 500s.' },
  [VIEW.approval]: { decision: 'approve', reason: 'Evidence is convincing.' },
  [VIEW.riskAcceptance]: { justification: 'Vendor fix pending.', compensating_control: 'WAF rule.', expiry: '2026-12-20' },
  [VIEW.confirmDismissal]: { justification: 'Agreed.', compensating_control: 'VPN only.', expiry: '2026-12-20' },
  [VIEW.rejectDismissal]: { reason: 'Still reachable.' },
  [VIEW.newRemediation]: { title: 'Rotate the TLS certificates', severity: 'high' },
};

/** Seeds the work and opens every modal as a lead would. */
export async function setScene(h: Harness): Promise<Scene> {
  const seeded = async (o: Partial<Remediation>) => postMessage(h, await h.seed(o));
  const fresh = await seeded({ state: 'new' });
  const tested = await seeded({ state: 'tested', tests: [aTest({ by: PEOPLE.engineer.id })] });
  const assessed = await seeded({ state: 'assessed' });
  const review = await seeded({ state: 'dismissal_review', upstreamDismissal: { at: h.now().toISOString(), stateBefore: 'new', decision: null, findings: [{ findingId: 'github:acme/api:alert:9', source: 'github', dismissedAt: h.now().toISOString(), by: 'octocat', reason: 'tolerable_risk', comment: 'internal' }] } });
  const closed = await seeded({ state: 'verified', closedAt: h.now().toISOString(), resolution: 'deployed' });
  const views = new Map<string, ViewRecord>();
  const open = async (r: Remediation, action: string, callbackId: string) => {
    await h.driver.blockAction({ user: PEOPLE.lead.id, message: messageOf(h, r), action_id: action });
    views.set(callbackId, await until(() => h.fake.views({ user: PEOPLE.lead.id, callbackId }).at(-1), callbackId));
  };
  await open(fresh, ACTION.assess, VIEW.assess);
  await open(assessed, ACTION.uploadEvidence, VIEW.testEvidence);
  await open(tested, ACTION.approve, VIEW.approval);
  await open(fresh, ACTION.acceptRisk, VIEW.riskAcceptance);
  await open(review, ACTION.confirmDismissal, VIEW.confirmDismissal);
  await open(review, ACTION.rejectDismissal, VIEW.rejectDismissal);
  await h.driver.slashCommand({ command: COMMAND, text: 'new', user_id: PEOPLE.lead.id, channel_id: CHANNEL });
  views.set(VIEW.newRemediation, await until(() => h.fake.views({ user: PEOPLE.lead.id, callbackId: VIEW.newRemediation }).at(-1), 'the new remediation modal'));
  return { open: tested, closed, views };
}

const READ_ONLY = ['status', 'status public', 'list', 'list overdue', 'list mine 2', 'help', 'inventory', 'show'];
const EVERY = [...READ_ONLY, 'sync', 'sync github', 'digest', 'new', 'nonsense words'];

/** The bases: each kind of delivery, by the two people no mutation can turn into a change. */
export function bases(h: Harness, scene: Scene): Base[] {
  const ctx = payloadContext({ fake: h.fake, now: () => h.now().getTime() });
  const out: Base[] = [];
  const who = [
    { user: PEOPLE.lead.id, r: scene.closed, commands: READ_ONLY },
    { user: PEOPLE.stranger.id, r: scene.open, commands: EVERY },
  ];
  for (const { user, r, commands } of who) {
    for (const text of commands) {
      const full = text === 'show' ? `show ${r.id}` : text;
      out.push({ name: `/patch ${full} by ${user}`, delivered: { kind: 'form', fields: slashCommandFields(ctx, { command: COMMAND, text: full, user_id: user, channel_id: CHANNEL }) } });
    }
    for (const action of Object.values(ACTION)) {
      const payload = blockActionPayload(ctx, { user, channel: CHANNEL, container: { type: 'message', message_ts: r.message!.ts, channel_id: CHANNEL }, action_id: action, value: encodeButtonValue({ r: r.id }) });
      out.push({ name: `${action} by ${user}`, delivered: { kind: 'payload', payload } });
    }
    for (const [callbackId, record] of scene.views) {
      if (callbackId === VIEW.newRemediation && user === PEOPLE.lead.id) continue; // a lead's would create one
      const view = { ...record.view, private_metadata: callbackId === VIEW.newRemediation ? record.view.private_metadata : encodeModalMetadata({ r: r.id, ch: CHANNEL, ts: r.message!.ts }) };
      const payload = viewSubmissionPayload(ctx, user, view, stateValuesFor(view, INPUTS[callbackId] ?? {}));
      out.push({ name: `${callbackId} by ${user}`, delivered: { kind: 'payload', payload } });
    }
    out.push({ name: `app_home_opened by ${user}`, delivered: { kind: 'json', body: eventEnvelope(ctx, { type: 'app_home_opened', user, tab: 'home', channel: h.fake.dmChannel(user) }, `Ev${user}`) } });
  }
  out.push({ name: 'message event', delivered: { kind: 'json', body: eventEnvelope(ctx, { type: 'message', user: PEOPLE.stranger.id, channel: CHANNEL, text: 'hi', ts: '1.2' }, 'EvMSG') } });
  return out;
}

export interface StagedBot {
  readonly h: Harness;
  readonly logs: LogCapture;
  /** Every base delivery of the scene. */
  readonly all: Base[];
  /** The store once the scene was set: nothing but refusals may be added to it. */
  readonly before: Snapshot;
}

/**
 * The bot for one describe block, logging at debug into a capture, with the scene set and its bases built
 * (beforeAll), stopped after (afterAll). In Socket Mode the scene is set over the socket too.
 */
export function stagedBot(options: { socketMode?: boolean } = {}): StagedBot {
  let staged: StagedBot | null = null;
  beforeAll(async () => {
    const logs = captureLogs();
    const h = await startHarness({ logLevel: 'debug', logs: logs.stream, ...(options.socketMode ? { socketMode: true } : {}) });
    if (options.socketMode) await h.fake.socketMode.waitForConnection();
    const all = bases(h, await setScene(options.socketMode ? ({ ...h, driver: socketDriverAsHttp(h) } as Harness) : h));
    await settled(h);
    staged = { h, logs, all, before: await snapshot(h.store) };
  });
  afterAll(async () => {
    await staged?.h.close();
  });
  const get = (): StagedBot => {
    if (!staged) throw new Error('the bot is staged in beforeAll');
    return staged;
  };
  return { get h() { return get().h; }, get logs() { return get().logs; }, get all() { return get().all; }, get before() { return get().before; } };
}

/** The calls of the harness's HTTP driver the scene uses (blockAction, slashCommand), delivered over Socket Mode. */
function socketDriverAsHttp(h: Harness): Harness['driver'] {
  const socket = createSocketModeDriver({ fake: h.fake });
  const none = { status: 200, headers: {}, body: '', sent: { rawBody: '', contentType: '', payload: {} } };
  return {
    ...h.driver,
    blockAction: async (a) => {
      await socket.sendBlockAction(a);
      return none;
    },
    slashCommand: async (c) => {
      await socket.sendSlashCommand(c);
      return none;
    },
  };
}

