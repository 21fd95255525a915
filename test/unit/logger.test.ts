import { Writable } from 'node:stream';
import { boltLogger, createLogger, scrubSecrets, summariseFrame } from '../../src/logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('debug', stream) };
}

describe('logging never shows a secret', () => {
  it('redacts secret keys at any of the usual depths', () => {
    const { lines, logger } = capture();
    logger.info({ token: 'a', config: { slack: { botToken: 'b', signingSecret: 'c' } }, headers: { authorization: 'Bearer d' }, req: { headers: { authorization: 'e', 'x-slack-signature': 'f' } }, store: { mongodbUri: 'g' } }, 'hello');
    const text = JSON.stringify(lines[0]);
    for (const v of ['"a"', '"b"', '"c"', 'Bearer d', '"e"', '"f"', '"g"']) expect(text).not.toContain(v);
    expect(text.match(/\[REDACTED\]/g)).toHaveLength(7);
  });

  it.each([
    ['a Slack bot token', 'calling with xoxb-1234-5678-abcdef', 'calling with xoxb-[REDACTED]'],
    ['a Slack app token', 'xapp-1-A0-123-abc', 'xapp-[REDACTED]'],
    ['a GitHub token', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789 failed', 'token ghp_[REDACTED] failed'],
    ['a fine-grained GitHub token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop', 'github_pat_[REDACTED]'],
    ['MongoDB credentials', 'connect mongodb+srv://admin:hunter2@cluster0/x', 'connect mongodb+srv://[REDACTED]@cluster0/x'],
    ['a Snyk authorization header', 'Authorization: token 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b', 'Authorization: token [REDACTED]'],
    ['a payload’s verification token', '{"token":"abc123","team_id":"T1"}', '{"token":"[REDACTED]","team_id":"T1"}'],
    ['a token in JSON quoted in a string', '"{\\"token\\":\\"abc123\\",\\"x\\":1}"', '"{\\"token\\":\\"[REDACTED]\\",\\"x\\":1}"'],
    ['a response_url', '{"response_url":"https://hooks.slack.com/commands/T1/2/abc"}', '{"response_url":"[REDACTED]"}'],
    ['a response_url anywhere', 'posting to https://hooks.slack.com/actions/T1/2/abc failed', 'posting to https://hooks.slack.com/[REDACTED] failed'],
    ['a response_url on another host', 'Failed to parse URL from {value: http://10.0.0.1:8080/commands/T0ABC/1234567890/s3cr3tPart}', 'Failed to parse URL from {value: http://10.0.0.1:8080/commands/T0ABC/1234567890/[REDACTED]}'],
    ['a form body token', 'token=abc123&team_id=T1', 'token=[REDACTED]&team_id=T1'],
    ['a Socket Mode ticket', 'wss://wss-primary.slack.com/link/?ticket=1a2b3c&app_id=A1', 'wss://wss-primary.slack.com/link/?ticket=[REDACTED]&app_id=A1'],
  ])('scrubs %s from text', (_n, input, output) => expect(scrubSecrets(input)).toBe(output));

  it('scrubs messages and errors, including Bolt’s own', () => {
    const { lines, logger } = capture();
    logger.error({ err: new Error('auth failed for xoxb-999-secret') }, 'request with xoxb-111-secret');
    boltLogger(logger).warn('bolt says xapp-1-secret', { a: 1 });
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/xoxb-\d|xapp-1-secret/);
    expect(lines[1]).toMatchObject({ component: 'bolt', level: 40, msg: 'bolt says xapp-[REDACTED] {"a":1}' });
  });

  it('scrubs errors wrapped in errors (Bolt’s UnknownError.original) and their causes', () => {
    const { lines, logger } = capture();
    const inner = new TypeError('Failed to parse URL from https://hooks.slack.com/commands/T1/123/s3cr3t');
    logger.error({ err: Object.assign(new Error('listener failed', { cause: new Error('token=abcdef123456') }), { original: inner }) }, 'failed');
    expect(JSON.stringify(lines)).not.toMatch(/s3cr3t|abcdef123456/);
  });

  it('keeps only what identifies a Socket Mode frame, never its payload', () => {
    const frame = JSON.stringify({ envelope_id: 'e1', type: 'interactive', payload: { token: 't', user: { id: 'U1' }, view: { state: { values: { notes: 'secret plan' } } } }, retry_attempt: 0 });
    expect(summariseFrame(`Received a message on the WebSocket: ${frame}`)).toBe('Received a message on the WebSocket: {"type":"interactive","envelope_id":"e1","retry_attempt":0} (payload not logged)');
    expect(summariseFrame('Unable to parse an incoming WebSocket message (will ignore): SyntaxError, {"tok')).toBe('Unable to parse an incoming WebSocket message (will ignore): (18 characters, not logged)');
    expect(summariseFrame('WebSocket open event received')).toBe('WebSocket open event received');
  });
});
