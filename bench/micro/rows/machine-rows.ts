/**
 * The machine's own speed, measured in the same run as the gateway's rows: a fixed piece of
 * plain JavaScript work (a JSON round trip of a 5-message chat request) that no change to the
 * gateway touches. Between two runs on one machine, everything can get slower together (another
 * virtual machine on the host, a lower clock); the comparison divides that out (micro-diff.ts).
 */
import { YARDSTICK as YARDSTICK_ROW } from '../../baseline/micro-diff';
import type { MicroGroup } from '../micro-row';
import { chatMessages } from '../micro-row';

export const machineRows: MicroGroup = {
  title: 'Machine',
  rows: [{ name: YARDSTICK_ROW, input: 'JSON.stringify and JSON.parse of a 5-message chat request: the machine, not the gateway', hooshNs: null, budgetNs: null }],
  async open() {
    const request = { model: 'sim-chat', messages: chatMessages(5), temperature: 0, max_tokens: 256, stream: false };
    return {
      bodies: { [YARDSTICK_ROW]: () => JSON.parse(JSON.stringify(request)) as unknown },
      close: () => {},
    };
  },
};
