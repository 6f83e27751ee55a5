import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NdjsonSplitter, readNdjsonLines } from '../../../daemon/providers/ndjson-parser';
import { readSseEvents, SseParser, type SseEvent } from '../../../daemon/providers/sse-parser';
import { collect } from './wire-server';

function sse(chunks: Array<string | Uint8Array>): SseEvent[] {
  const parser = new SseParser();
  const out: SseEvent[] = [];
  for (const chunk of chunks) parser.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, out);
  parser.end(out);
  return out;
}

/** Every way of cutting `text` into two chunks gives the same events. */
function assertSplitInvariant(text: string, expected: SseEvent[]): void {
  const bytes = Buffer.from(text);
  for (let cut = 0; cut <= bytes.length; cut++) {
    assert.deepEqual(sse([bytes.subarray(0, cut), bytes.subarray(cut)]), expected, `cut at byte ${cut}`);
  }
}

describe('SSE parser', () => {
  it('parses events with and without an event name', () => {
    const events = sse(['event: message_start\ndata: {"a":1}\n\ndata: plain\n\n']);
    assert.deepEqual(events, [
      { event: 'message_start', data: '{"a":1}' },
      { event: 'message', data: 'plain' },
    ]);
  });

  it('gives the same events however the bytes are split, including inside CRLF and UTF-8 sequences', () => {
    const text = 'event: a\r\ndata: héllo ✓\r\n\r\n: comment\r\ndata: x\r\ndata: y\r\n\r\ndata:[DONE]\r\n\r\n';
    assertSplitInvariant(text, [
      { event: 'a', data: 'héllo ✓' },
      { event: 'message', data: 'x\ny' },
      { event: 'message', data: '[DONE]' },
    ]);
  });

  it('accepts bare CR line endings, split right after the CR', () => {
    assert.deepEqual(sse(['data: one\r', '\rdata: two\r\r']), [
      { event: 'message', data: 'one' },
      { event: 'message', data: 'two' },
    ]);
  });

  it('joins multi-line data and keeps only one leading space', () => {
    assert.deepEqual(sse(['data:  two spaces\ndata\ndata:last\n\n']), [{ event: 'message', data: ' two spaces\n\nlast' }]);
  });

  it('ignores comments (keep-alive pings), unknown fields and events without data', () => {
    assert.deepEqual(sse([':ping\n\nid: 7\nretry: 10\n\nevent: empty\n\nfoo: bar\ndata: z\n\n']), [{ event: 'message', data: 'z' }]);
  });

  it("turns llama.cpp's `error:` lines into an event named error", () => {
    assert.deepEqual(sse(['data: {"a":1}\n\nerror: {"code":400,"message":"too long"}\n\ndata: [DONE]\n\n']), [
      { event: 'message', data: '{"a":1}' },
      { event: 'error', data: '{"code":400,"message":"too long"}' },
      { event: 'message', data: '[DONE]' },
    ]);
  });

  it('strips a byte-order mark at the start', () => {
    assert.deepEqual(sse(['\uFEFFdata: a\n\n']), [{ event: 'message', data: 'a' }]);
  });

  it('discards an event cut off before its blank line', () => {
    assert.deepEqual(sse(['data: complete\n\ndata: cut']), [{ event: 'message', data: 'complete' }]);
  });

  it('reads events from an async body', async () => {
    async function* body() {
      yield Buffer.from('data: 1\n');
      yield Buffer.from('\ndata: 2\n\n');
    }
    assert.deepEqual(
      (await collect(readSseEvents(body()))).map((e) => e.data),
      ['1', '2'],
    );
  });
});

describe('NDJSON splitter', () => {
  function lines(chunks: string[]): string[] {
    const splitter = new NdjsonSplitter();
    const out: string[] = [];
    for (const chunk of chunks) splitter.push(Buffer.from(chunk), out);
    splitter.end(out);
    return out;
  }

  it('splits lines across chunks, handles CRLF and skips blank lines', () => {
    assert.deepEqual(lines(['{"a":', '1}\r\n\n  \n{"b"', ':2}\n']), ['{"a":1}', '{"b":2}']);
  });

  it('keeps a last line that has no newline', () => {
    assert.deepEqual(lines(['{"a":1}\n{"done":true}']), ['{"a":1}', '{"done":true}']);
  });

  it('gives the same lines however the bytes are split', () => {
    const bytes = Buffer.from('{"t":"ä✓"}\n{"t":"b"}\r\n');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const splitter = new NdjsonSplitter();
      const out: string[] = [];
      splitter.push(bytes.subarray(0, cut), out);
      splitter.push(bytes.subarray(cut), out);
      splitter.end(out);
      assert.deepEqual(out, ['{"t":"ä✓"}', '{"t":"b"}'], `cut at ${cut}`);
    }
  });

  it('reads lines from an async body', async () => {
    async function* body() {
      yield Buffer.from('{"x":1}\n{"x"');
      yield Buffer.from(':2}\n');
    }
    assert.deepEqual(await collect(readNdjsonLines(body())), ['{"x":1}', '{"x":2}']);
  });
});
