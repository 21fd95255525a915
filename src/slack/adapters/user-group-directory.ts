/** The Directory port on Slack: members of a user group (usergroups.users.list). */
import type { WebClient } from '@slack/web-api';
import { ExternalServiceError } from '../../app/errors.js';
import type { Directory } from '../../app/role-resolver.js';

export function slackDirectory(client: WebClient): Directory {
  return {
    async groupMembers(groupId) {
      try {
        const res = await client.usergroups.users.list({ usergroup: groupId });
        return res.users ?? [];
      } catch (e) {
        const code = (e as { data?: { error?: string } }).data?.error ?? (e as Error).message;
        throw new ExternalServiceError('Slack', `usergroups.users.list ${groupId}: ${code}`);
      }
    },
  };
}
