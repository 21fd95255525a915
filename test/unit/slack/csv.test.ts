import { csvCell, toCsv } from '../../../src/app/csv.js';
import { remediationsCsv } from '../../../src/slack/posting/csv.js';
import { DEFAULT_SLA } from '../../../src/domain/sla.js';
import { aRemediation } from '../../support/builders.js';
import { parseCsv } from '../../support/csv-parse.js';

describe('CSV cells', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r\nlf', '"cr\r\nlf"'],
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@here', "'@here"],
    ['\tcmd', "'\tcmd"],
    ['=HYPERLINK("x","y")', '"\'=HYPERLINK(""x"",""y"")"'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j -> %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('numbers, booleans and empty values', () => {
    expect([csvCell(-3), csvCell(true), csvCell(null), csvCell(undefined)]).toEqual(['-3', 'true', '', '']);
  });

  it('rows end with CRLF and read back as written', () => {
    const text = toCsv(['a', 'b'], [['x, y', 'line\nbreak'], ['"q"', 7]]);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([['a', 'b'], ['x, y', 'line\nbreak'], ['"q"', '7']]);
  });

  it('a remediation row', () => {
    const r = aRemediation({ id: 'PW-9', title: 'Upgrade x, y', owner: null, cves: ['CVE-1', 'CVE-2'], dueAt: '2026-11-01T00:00:00.000Z' });
    const [, row] = parseCsv(remediationsCsv([r], new Set(['PW-9']), DEFAULT_SLA, new Date('2026-11-02T00:00:00.000Z'), new Map([['github:acme/api', 'acme/api']])));
    expect(row).toEqual(['PW-9', 'Upgrade x, y', 'high', 'new', 'overdue', '2026-11-01T00:00:00.000Z', '', 'yes', r.detectedAt, r.createdAt, '', '', 'CVE-1 CVE-2', 'acme/api', 'github:acme/api', '1']);
  });
});
