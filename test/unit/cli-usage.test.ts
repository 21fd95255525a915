import type { CliCommand, CliIo } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/index.js';

function capture(env: CliIo['env'] = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (s) => (out += s), stderr: (s) => (err += s), env, out: () => out, err: () => err };
}

describe('the patchwarden command line', () => {
  it('--help prints the usage with every command and exits 0', async () => {
    const io = capture();
    await expect(runCli(['--help'], io)).resolves.toBe(0);
    expect(io.out()).toMatch(/^usage: patchwarden <command> \[options\]/);
    expect(io.out()).toContain('audit verify [--expect-head <seq>:<sha256>]');
    expect(io.err()).toBe('');
  });

  it('no command prints the usage on stderr and exits 2', async () => {
    const io = capture();
    await expect(runCli([], io)).resolves.toBe(2);
    expect(io.err()).toContain('audit verify');
    expect(io.out()).toBe('');
  });

  it.each([[['frobnicate']], [['audit']], [['audit', 'rewrite']]])('an unknown command %j is named, with the usage, exit 2', async (argv) => {
    const io = capture();
    await expect(runCli(argv, io)).resolves.toBe(2);
    expect(io.err()).toContain(`unknown command: ${argv.join(' ')}`);
    expect(io.err()).toContain('usage: patchwarden');
  });

  it('<command> --help prints that command’s usage and exits 0', async () => {
    const io = capture();
    await expect(runCli(['audit', 'verify', '--help'], io)).resolves.toBe(0);
    expect(io.out()).toContain('audit verify [--expect-head <seq>:<sha256>]');
  });

  it('audit verify refuses an unknown option with exit 2', async () => {
    const io = capture({ PATCHWARDEN_DB: '/nonexistent/patchwarden.db' });
    await expect(runCli(['audit', 'verify', '--frobnicate'], io)).resolves.toBe(2);
    expect(io.err()).toContain("Unknown option '--frobnicate'");
  });

  describe('the command table', () => {
    const ran: (readonly string[])[] = [];
    const table: CliCommand[] = [
      { name: ['sync'], args: '[--source <name>]', summary: 'pull findings now', run: async (args) => (ran.push(args), 0) },
      { name: ['sync', 'status'], args: '', summary: 'last sync per source', run: async () => 0 },
      { name: ['boom'], args: '', summary: 'fails', run: async () => Promise.reject(new Error('the store is locked')) },
    ];

    it('dispatches to the longest matching name with the rest as arguments', async () => {
      await expect(runCli(['sync', '--source', 'snyk'], capture(), table)).resolves.toBe(0);
      expect(ran).toEqual([['--source', 'snyk']]);
      const io = capture();
      await expect(runCli(['--help'], io, table)).resolves.toBe(0);
      expect(io.out()).toContain('sync status');
    });

    it('turns a command’s unexpected error into one line on stderr and exit 1', async () => {
      const io = capture();
      await expect(runCli(['boom'], io, table)).resolves.toBe(1);
      expect(io.err()).toBe('patchwarden boom: the store is locked\n');
    });
  });
});
