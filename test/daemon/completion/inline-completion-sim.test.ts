/**
 * The completion pipeline through a real daemon's Gateway (router, cache, typed-ahead) to the
 * simulator, over each protocol that fills in the middle: Ollama `/api/generate` with a
 * suffix, llama.cpp `/infill`, and an OpenAI-compatible `/v1/completions` given Qwen's tokens.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../../bench/sim';
import type { InlineCompletionOutput } from '../../../daemon/completion/inline-completion-service';
import { completionStack, editing, FIM_ROUTE, generations, settings, typeAt, until, type CompletionStack } from './completion-fixtures';

const SOURCE = 'import { helper } from "./helper";\n\nexport function total(items: number[]): number {\n  const sum = |\n  return sum;\n}\n';
/** A file with a long prefix, as a real one has: the part a prompt cache can reuse. */
const LONG_SOURCE = Array.from({ length: 500 }, (_, i) => `let v${i} = ${i};\n`).join('') + 'export function last() {\n  const answer = |\n}\n';
/**
 * Characters typed one by one: enough for a window that slid with the cursor to move several
 * times. No letters, so none is the start of the simulator's words (a typed-ahead hit would
 * send nothing upstream).
 */
const TYPED = '1000 * 60 * 60 + 2500 - 42 / 7 % 3';

for (const kind of ['ollama', 'llamacpp', 'openai'] as const) {
  const route = FIM_ROUTE[kind]!;

  describe(`inline completions over ${kind}`, () => {
    let sim: Simulator;
    let stack: CompletionStack;

    before(async () => {
      sim = await startSimulator({ seed: 11, ttftMs: 2, outputTokens: 6, models: ['qwen2.5-coder:1.5b', 'sim-chat'] });
      stack = await completionStack(sim, kind);
    });
    after(async () => {
      await stack.close();
      await sim.close();
    });

    it('shows ghost text from the model, asked in the protocol’s own fill-in-the-middle form', async () => {
      const seen: InlineCompletionOutput[] = [];
      const unsubscribe = stack.service.onCompleted((output) => seen.push(output));
      const input = editing(SOURCE);
      const output = await stack.service.complete(input, settings({ route: stack.route }), new AbortController().signal);
      unsubscribe();

      assert.equal(output.items.length, 1);
      const [item] = output.items;
      assert.match(item!.insertText, /^[a-z]+( [a-z]+)*$/);
      assert.deepEqual([item!.startOffset, item!.endOffset], [input.offset, input.offset]);
      assert.deepEqual(output.servedBy, { provider: `sim-${kind}`, model: 'qwen2.5-coder:1.5b', local: true, cache: 'MISS' });
      assert.deepEqual(seen, [output]);

      const body = generations(sim, route).at(-1)!.body as Record<string, any>;
      if (kind === 'ollama') {
        assert.equal(body.suffix, '\n  return sum;\n}\n');
        assert.ok(body.prompt.startsWith('// src/helper.ts\n'), 'the other open file goes before the prefix');
        assert.ok(body.prompt.endsWith('  const sum = '));
        assert.equal(body.keep_alive, '30m');
      } else if (kind === 'llamacpp') {
        assert.ok(body.input_prefix.endsWith('  const sum = '));
        assert.equal(body.input_suffix, '\n  return sum;\n}\n');
        assert.deepEqual(body.input_extra.map((chunk: { filename: string }) => chunk.filename), ['src/helper.ts']);
        assert.equal(body.cache_prompt, true);
      } else {
        assert.ok(body.prompt.startsWith('<|file_sep|>src/helper.ts\n'));
        assert.ok(body.prompt.includes('<|file_sep|>src/app.ts\n<|fim_prefix|>'));
        assert.ok(body.prompt.endsWith('<|fim_suffix|>\n  return sum;\n}\n<|fim_middle|>'));
        assert.equal(body.suffix, undefined);
        assert.ok(body.stop.includes('<|endoftext|>'));
      }
    });

    it('answers from the cache and from typed-ahead at once: no debounce, no upstream call', { timeout: 20_000 }, async () => {
      // A debounce this long would time the test out: only an answer that skips it can pass.
      const patient = settings({ route: stack.route, debounceMinMs: 60_000, debounceMaxMs: 60_000 });
      const source = SOURCE.replace('const sum = |', 'const count = |');
      const first = await stack.service.complete({ ...editing(source), invoked: true }, patient, new AbortController().signal);
      const ghost = first.items[0]!.insertText;
      assert.ok(ghost.length > 3);
      const upstreamCalls = generations(sim, route).length;

      const again = await stack.service.complete(editing(source), patient, new AbortController().signal);
      assert.equal(again.servedBy?.cache, 'HIT');
      assert.equal(again.items[0]!.insertText, ghost);

      const typed = typeAt(source, ghost.slice(0, 3));
      const typedAhead = await stack.service.complete(editing(typed), patient, new AbortController().signal);
      assert.equal(typedAhead.servedBy?.cache, 'TYPED_AHEAD');
      assert.equal(typedAhead.items[0]!.insertText, ghost.slice(3));
      assert.equal(typedAhead.items[0]!.startOffset, editing(typed).offset);
      assert.equal(generations(sim, route).length, upstreamCalls, 'the simulator got no new request');
    });

    it('a cancelled completion aborts the upstream request, silently', async () => {
      sim.configure({ ttftMs: 10_000 });
      try {
        const before = generations(sim, route).length;
        const controller = new AbortController();
        const pending = stack.service.complete({ ...editing(SOURCE.replace('sum = |', 'sum = items.|')), invoked: true }, settings({ route: stack.route }), controller.signal);
        await until(() => generations(sim, route).length > before, 'the request to reach the simulator');
        const sent = generations(sim, route).at(-1)!;
        controller.abort();
        const output = await pending;
        assert.deepEqual(output.items, []);
        assert.equal(output.error, undefined, 'a cancellation is not an error');
        const aborted = await sim.waitForAbort((record) => record.id === sent.id, 5_000);
        assert.ok(aborted.abortedAt !== undefined && aborted.finishedAt === undefined);
      } finally {
        sim.configure({ ttftMs: 2 });
      }
    });

    for (const clientCancels of [true, false]) {
      it(`typing ten characters quickly keeps at most one stale request at the model (${clientCancels ? 'the editor cancels each' : 'a newer request supersedes'})`, async () => {
        sim.configure({ ttftMs: 150 });
        try {
          const firstId = sim.requests.at(-1)?.id ?? 0;
          let source = SOURCE.replace('const sum = |', `const stale${clientCancels ? 'A' : 'B'} = |`);
          let previous: AbortController | undefined;
          let pending: Promise<InlineCompletionOutput> | undefined;
          const outputs: Promise<InlineCompletionOutput>[] = [];
          for (let i = 0; i < 10; i++) {
            source = typeAt(source, String(i));
            const controller = new AbortController();
            pending = stack.service.complete(editing(source), settings({ route: stack.route }), controller.signal);
            outputs.push(pending);
            if (clientCancels) previous?.abort();
            previous = controller;
            await new Promise((resolve) => setTimeout(resolve, 15));
          }
          const last = await pending!;
          assert.equal(last.items.length, 1, 'the last keystroke gets its ghost text');
          const stale = await Promise.all(outputs.slice(0, -1));
          assert.ok(stale.every((output) => output.items.length === 0 && output.error === undefined));

          const records = () => generations(sim, route).filter((record) => record.id > firstId);
          await until(() => records().every((record) => record.finishedAt !== undefined || record.abortedAt !== undefined), 'every request to settle');
          const all = records();
          const lastRecord = all.at(-1)!;
          assert.ok(lastRecord.finishedAt !== undefined);
          const staleRan = all.slice(0, -1).filter((record) => record.abortedAt === undefined);
          assert.ok(staleRan.length <= 1, `${staleRan.length} stale requests ran to the end (of ${all.length} sent)`);
        } finally {
          sim.configure({ ttftMs: 2 });
        }
      });
    }

    it('consecutive completions while typing share the prompt up to the cursor (a warm prompt cache)', async () => {
      let source = LONG_SOURCE;
      const firstId = sim.requests.at(-1)?.id ?? 0;
      for (const char of TYPED) {
        source = typeAt(source, char);
        const output = await stack.service.complete({ ...editing(source), invoked: true }, settings({ route: stack.route }), new AbortController().signal);
        assert.equal(output.items.length, 1);
      }
      const records = generations(sim, route).filter((record) => record.id > firstId);
      assert.equal(records.length, TYPED.length);
      for (const [index, record] of records.slice(1).entries()) {
        // All the previous prompt had before its cursor is still there, at the same place: only
        // the character typed and what follows the cursor (a short suffix, the FIM tokens) are new.
        assert.ok(
          record.sharedPrefixChars! >= record.promptChars! - 64,
          `request ${index + 1} shares ${record.sharedPrefixChars} of ${record.promptChars} characters with the one before`,
        );
      }
      assert.ok(records[1]!.promptChars! > 5_000, 'the prompt carries the long prefix');
    });
  });
}
