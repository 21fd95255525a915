/**
 * auth.test, users.info, usergroups.users.list, conversations.info, conversations.open — the directory
 * lookups the bot makes, answered from the users / groups / channels the test registered.
 */
import { findChannel } from './fake-state.js';
import { dmWith, fail, type Handler } from './web-api-chat.js';
import { str } from './wire.js';

export const directoryHandlers: Record<string, Handler> = {
  'auth.test': (state) => ({
    ok: true,
    url: `https://${state.team.domain}.slack.com/`,
    team: state.team.name,
    user: state.bot.name,
    team_id: state.team.id,
    user_id: state.bot.userId,
    bot_id: state.bot.botId,
    is_enterprise_install: false,
  }),

  'users.info': (state, args) => {
    const user = state.users.get(str(args, 'user') ?? '');
    return user ? { ok: true, user } : fail('user_not_found');
  },

  'usergroups.users.list': (state, args) => {
    const group = state.usergroups.get(str(args, 'usergroup') ?? '');
    return group ? { ok: true, users: [...group.users] } : fail('no_such_subteam');
  },

  'conversations.info': (state, args) => {
    const channel = findChannel(state, str(args, 'channel'));
    return channel ? { ok: true, channel } : fail('channel_not_found');
  },

  'conversations.open': (state, args) => {
    const channelArg = str(args, 'channel');
    if (channelArg) {
      const channel = findChannel(state, channelArg);
      return channel ? { ok: true, channel: { id: channel.id } } : fail('channel_not_found');
    }
    const users = (str(args, 'users') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    if (users.length === 0) return fail('users_list_not_supplied');
    if (users.length > 8) return fail('too_many_users');
    const unknown = users.find((u) => !state.users.has(u));
    if (unknown) return fail('user_not_found');
    if (users.length > 1) {
      const key = users.slice().sort().join(',');
      const alreadyOpen = state.dms.has(key);
      const id = state.dms.get(key) ?? state.nextId('G');
      state.dms.set(key, id);
      return { ok: true, ...(alreadyOpen ? { no_op: true, already_open: true } : {}), channel: { id } };
    }
    const user = users[0] as string;
    const alreadyOpen = state.dms.has(user);
    return { ok: true, ...(alreadyOpen ? { no_op: true, already_open: true } : {}), channel: { id: dmWith(state, user) } };
  },
};
