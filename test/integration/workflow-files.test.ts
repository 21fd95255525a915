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

  it('gets the bytes with the bot token', async () => {
    const f = fake.addFile({ name: 'app.log', bytes, user: 'U0ENG' });
    const got = await slackFileDownloader({ token: fake.botToken, apiUrl: fake.url }).download(urlOf(f), 1024);
    expect(got.contentType).toMatch(/^text\/plain/);
    expect(Buffer.from(got.bytes!).equals(bytes)).toBe(true);
  });

  it('reports Slack’s sign-in page as what it is (the intake refuses it)', async () => {
    const f = fake.addFile({ name: 'app.log', bytes, user: 'U0ENG' });
    const withoutValidToken = await slackFileDownloader({ token: 'xoxb-not-ours', apiUrl: fake.url }).download(urlOf(f), 1024);
    expect([withoutValidToken.contentType]).toEqual([expect.stringMatching(/^text\/html/)]);
    fake.nonFileDownload(String(f.id));
    const page = await slackFileDownloader({ token: fake.botToken, apiUrl: fake.url }).download(urlOf(f), 1024);
    expect(page.contentType).toMatch(/^text\/html/);
  });

  it('stops reading past the cap', async () => {
    const f = fake.addFile({ name: 'big.log', bytes: Buffer.alloc(4096, 'x'), user: 'U0ENG' });
    expect((await slackFileDownloader({ token: fake.botToken, apiUrl: fake.url }).download(urlOf(f), 1000)).bytes).toBeNull();
  });

  it('never sends the token anywhere but Slack', async () => {
    const seen: string[] = [];
    const spy: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response('x');
    };
    const d = slackFileDownloader({ token: 'xoxb-secret', apiUrl: 'https://slack.com/api/', fetch: spy });
    await expect(d.download('https://evil.example/files-pri/T1-F1/a.png', 10)).rejects.toThrow(ExternalServiceError);
    await expect(d.download('http://files.slack.com/files-pri/T1-F1/a.png', 10)).rejects.toThrow(/refusing/);
    await d.download('https://files.slack.com/files-pri/T1-F1/a.png', 10);
    expect(seen).toEqual(['https://files.slack.com/files-pri/T1-F1/a.png']);
  });

  it('a file Slack does not have is an ExternalServiceError with its status', async () => {
    const d = slackFileDownloader({ token: fake.botToken, apiUrl: fake.url, timeoutMs: 2000 });
    await expect(d.download(`${fake.origin}/files-pri/T0-F404/x.log`, 10)).rejects.toMatchObject({ name: 'ExternalServiceError', status: 404 });
  });
});
