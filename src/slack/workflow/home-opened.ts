/** app_home_opened: publish the person's queue (Bolt acks events itself). */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import type { Workflow } from './use-cases.js';

export const homeOpened = (deps: SlackDeps, wf: Workflow) =>
  async ({ event }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    await deps.turns.run(() => wf.homes.publish(event.user));
  };
