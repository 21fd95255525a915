/** The count of requests not yet acknowledged, on a real HTTP server: answered or dropped, each counts once. */
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAckCounter } from '../../../src/slack/receiver.js';

describe('acks owed', () => {
  it('counts each request from its arrival until it is answered or its connection drops; whenNone fires at zero', async () => {
    const acks = createAckCounter();
    const held: ServerResponse[] = [];
    let arrived!: () => void;
    const bothArrived = new Promise<void>((r) => (arrived = r));
    const server = createServer((_req, res) => {
      acks.track(res);
      held.push(res);
      if (held.length === 2) arrived();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const send = () =>
      new Promise<number>((resolve) => {
        const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/slack/events' }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(0));
        req.end('x');
      });
    try {
      const answered = send();
      const dropped = send();
      await bothArrived;
      expect(acks.pending()).toBe(2);
      let none = false;
      acks.whenNone(() => (none = true));
      held[0]!.writeHead(200).end();
      await expect(answered).resolves.toBe(200);
      expect(acks.pending()).toBe(1);
      expect(none).toBe(false);
      held[1]!.socket?.destroy();
      await dropped;
      await new Promise((r) => setImmediate(r));
      expect(acks.pending()).toBe(0);
      expect(none).toBe(true);
      let now = false;
      acks.whenNone(() => (now = true));
      expect(now).toBe(true);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
