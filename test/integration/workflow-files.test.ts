/** The Slack file download adapter against the Slack fake: the bot token, Slack's sign-in page, size caps, hosts. */
import { ExternalServiceError } from '../../src/app/errors.js';
import { slackFileDownloader } from '../../src/slack/adapters/file-downloader.js';
import { startFakeSlack, type FakeSlack } from '../support/slack/fake-slack.js';

describe('downloading a file people attached', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());

  const bytes = Buffer.from('2026-11-02 all 412 tests passed\n');
  const urlOf = (f: Record<string, unknown>) => String(f.url_private_download);
  const all = async (body: AsyncIterable<Uint8Array>): Promise<Buffer> => {
    const chunks: Uint8Array[] = [];
    for await (const c of body) chunks.push(c);
    return Buffer.concat(chunks);
  };

  it('streams the bytes with the bot token, saying their type and length first', async () => {
    const f = fake.addFile({ name: 'app.log', bytes, user: 'U0ENG' });
    const got = await slackFileDownloader({ token: fake.botToken, apiUrl: fake.url }).open(urlOf(f));
    expect(got.contentType).toMatch(/^text\/plain/);
    expect(got.length).toBe(bytes.length);
    expect((await all(got.body)).equals(bytes)).toBe(true);
  });

  it('reports Slack’s sign-in page as what it is (the intake refuses it)', async () => {
    const f = fake.addFile({ name: 'app.log', bytes, user: 'U0ENG' });
    const withoutValidToken = await slackFileDownloader({ token: 'xoxb-not-ours', apiUrl: fake.url }).open(urlOf(f));
    expect([withoutValidToken.contentType]).toEqual([expect.stringMatching(/^text\/html/)]);
    await withoutValidToken.cancel();
    fake.nonFileDownload(String(f.id));
    const page = await slackFileDownloader({ token: fake.botToken, apiUrl: fake.url }).open(urlOf(f));
    expect(page.contentType).toMatch(/^text\/html/);
    await page.cancel();
  });

  it('stops downloading when the reader stops reading', async () => {
    const f = fake.addFile({ name: 'big.log', bytes: Buffer.alloc(4 * 1024 * 1024, 'x'), user: 'U0ENG' });
    const got = await slackFileDownloader({ token: fake.botToken, apiUrl: fake.url }).open(urlOf(f));
    let read = 0;
    for await (const chunk of got.body) {
      read += chunk.byteLength;
      if (read > 1000) break;
    }
    expect(read).toBeLessThan(4 * 1024 * 1024);
  });

  it('never sends the token anywhere but Slack', async () => {
    const seen: string[] = [];
    const spy: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response('x');
    };
    const d = slackFileDownloader({ token: 'xoxb-secret', apiUrl: 'https://slack.com/api/', fetch: spy });
    await expect(d.open('https://evil.example/files-pri/T1-F1/a.png')).rejects.toThrow(ExternalServiceError);
    await expect(d.open('http://files.slack.com/files-pri/T1-F1/a.png')).rejects.toThrow(/refusing/);
    await (await d.open('https://files.slack.com/files-pri/T1-F1/a.png')).cancel();
    expect(seen).toEqual(['https://files.slack.com/files-pri/T1-F1/a.png']);
  });

  it('a file Slack does not have is an ExternalServiceError with its status', async () => {
    const d = slackFileDownloader({ token: fake.botToken, apiUrl: fake.url, timeoutMs: 2000 });
    await expect(d.open(`${fake.origin}/files-pri/T0-F404/x.log`)).rejects.toMatchObject({ name: 'ExternalServiceError', status: 404 });
  });
});
