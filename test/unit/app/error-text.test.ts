/** What an outside failure may say in Slack and in the audit log: scrubbed and short. */
import { scrubDetail } from '../../../src/app/error-text.js';
import { ExternalServiceError, publicReason } from '../../../src/app/errors.js';

describe('failure text fit to keep', () => {
  it.each([
    ['an AWS principal and resource', 'User: arn:aws:sts::123456789012:assumed-role/patchwarden-prod/i-0abc is not authorized to perform: ssm:DescribeInstanceInformation on resource: arn:aws:ssm:eu-west-1:123456789012:*',
      'User: [arn] is not authorized to perform: ssm:DescribeInstanceInformation on resource: [arn]'],
    ['a bare account id', 'account 123456789012 has no access', 'account [account] has no access'],
    ['a database URI', 'failed to connect to mongodb+srv://app:pw@cluster0.prod.mongodb.net/patchwarden?retryWrites=true', 'failed to connect to [database]'],
    ['a database host', 'getaddrinfo ENOTFOUND mongo-0.mongo.prod.svc.cluster.local', 'getaddrinfo ENOTFOUND [host]'],
    ['an address and port', 'connect ECONNREFUSED 10.12.0.7:27017', 'connect ECONNREFUSED [host]'],
    ['a host and port', 'upstream ghe-internal.corp.example:8443 timed out', 'upstream [host] timed out'],
    ['an IPv6 address', 'connect ECONNREFUSED [fd00::12]:5432', 'connect ECONNREFUSED [host]'],
    ['a URL with its query', 'GET https://ghe.corp.example/api/v3/orgs/acme/dependabot/alerts?after=abc&per_page=100 answered 502', 'GET /api/v3/orgs/acme/dependabot/alerts answered 502'],
    ['a token', 'Authorization: token 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b refused', 'Authorization: token [REDACTED] refused'],
    ['lines and runs of spaces', 'first line\n   second\tline', 'first line second line'],
  ])('scrubs %s', (_n, input, output) => expect(scrubDetail(input)).toBe(output));

  it('keeps what people need: codes, statuses, times and ids of findings', () => {
    const text = 'GET /orgs/{org}/dependabot/alerts answered 403: Dependabot alerts are disabled for this repository. (2026-11-02T09:00:00Z, CVE-2021-44228, KB5005565)';
    expect(scrubDetail(text)).toBe(text);
  });

  it('cuts a long text to 200 characters', () => {
    const long = scrubDetail(`<html>${'x'.repeat(5000)}</html>`);
    expect(Array.from(long)).toHaveLength(200);
    expect(long.endsWith('…')).toBe(true);
  });

  it('an ExternalServiceError is scrubbed as it is made; any other error becomes a reference to the log', () => {
    expect(new ExternalServiceError('ssm', 'denied for arn:aws:iam::123456789012:role/x').message).toBe('ssm: denied for [arn]');
    expect(publicReason(new Error('SQLITE_CORRUPT: /var/lib/patchwarden/data.db'), 'ab12cd34')).toBe("an internal error (ab12cd34; the details are in patchwarden's log)");
  });
});
