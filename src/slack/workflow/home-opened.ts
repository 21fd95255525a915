/** app_home_opened: publish the person's queue (Bolt acks events itself). */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import type { WorkflowUseCases } from './use-cases.js';

export const homeOpened = (deps: SlackDeps, uc: WorkflowUseCases) =>
  async ({ event }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    await deps.turns.run(() => uc.homes.publish(event.user), { lane: 'interaction', who: event.user });
  };
