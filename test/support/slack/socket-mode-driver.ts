/**
 * Slack's requests to an app in Socket Mode: the same payloads the HTTP driver posts (payloads.ts), delivered as
 * envelopes over the fake's WebSocket, each resolving with the app's ack. Slash commands go as `slash_commands`
 * (the form fields as a JSON object), block actions and view submissions as `interactive`, events as `events_api`
 * (the event_callback envelope). A view_submission ack is applied to the fake's views like an HTTP ack.
 *
 *   const slack = createSocketModeDriver({ fake });
 *   const ack = await slack.sendSlashCommand({ command: '/patch', text: 'status', user_id: 'U1', channel_id: 'C1' });
 */
import { randomBytes } from 'node:crypto';
import { formatProblem, validateMessageBlocks } from './block-kit-limits.js';
import type { FakeSlack } from './fake-slack.js';
import {
  blockActionPayload, eventEnvelope, fillEvent, payloadContext, slashCommandFields, submission,
  type BlockActionInput, type EventInput, type SlashCommandInput, type ViewSubmissionInput,
} from './payloads.js';
import type { SendOptions, SocketAck } from './socket-mode.js';

export interface SocketModeDriverOptions {
  fake: FakeSlack;
  team?: { id: string; domain: string };
  apiAppId?: string;
  verificationToken?: string;
  now?: () => number;
}

export interface SocketModeDriver {
  /** `messageProblems`: Block Kit problems of blocks in the ack (the ack of a slash command is a message). */
  sendSlashCommand(command: SlashCommandInput, opts?: SendOptions): Promise<SocketAck & { messageProblems: string[] }>;
  sendBlockAction(action: BlockActionInput, opts?: SendOptions): Promise<SocketAck>;
  sendViewSubmission(submission: ViewSubmissionInput, opts?: SendOptions): Promise<SocketAck & { viewResponseProblems: string[] }>;
  sendEvent(event: EventInput, opts?: SendOptions & { eventId?: string }): Promise<SocketAck>;
}

export function createSocketModeDriver(options: SocketModeDriverOptions): SocketModeDriver {
  const { fake } = options;
  const ctx = payloadContext(options);
  return {
    sendSlashCommand: async (command, opts) => {
      const ack = await fake.socketMode.send('slash_commands', slashCommandFields(ctx, command), opts);
      const blocks = ack.payload.blocks;
      const messageProblems = blocks === undefined ? [] : validateMessageBlocks(blocks).map(formatProblem);
      return { ...ack, messageProblems };
    },

    sendBlockAction: (action, opts) => fake.socketMode.send('interactive', blockActionPayload(ctx, action), { acceptsResponsePayload: false, ...opts }),

    sendViewSubmission: async (s, opts) => {
      const { view, payload } = submission(ctx, s);
      const ack = await fake.socketMode.send('interactive', payload, { acceptsResponsePayload: true, ...opts });
      return { ...ack, viewResponseProblems: fake.applyViewSubmissionResponse(String(view.id), ack.payload) };
    },

    sendEvent: (event, opts = {}) => {
      const eventId = opts.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
      return fake.socketMode.send('events_api', eventEnvelope(ctx, fillEvent(fake, event), eventId), { acceptsResponsePayload: false, ...opts });
    },
  };
}
