/**
 * The budget service over the embedded ledger, as a provider call uses it: a reservation is
 * committed once or released (a cancel), never both, and what it commits counts against
 * every budget the call matched; a spent `fallback-local` budget rules its cloud candidates out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GatewayRequest } from '../../../shared/gateway';
import { BudgetService } from '../../../daemon/budgets/budget-service';
import { EmbeddedLedger } from '../../../daemon/budgets/embedded-ledger';
import type { BudgetDefinition } from '../../../daemon/budgets/ledger';
import { costNanoUsd } from '../../../daemon/budgets/prices';
import { GatewayError } from '../../../daemon/core/errors';
import type { Candidate } from '../../../daemon/core/pipeline';
import type { Provider } from '../../../daemon/core/provider';

const PRICE = { input: 2, output: 8 };
const request: GatewayRequest = { kind: 'chat', model: 'chat', messages: [{ role: 'user', content: 'hello there' }], stream: false, params: { max_tokens: 100 } };

function cloudCandidate(): Candidate {
  const provider = { settings: { name: 'cloud', local: false, prices: { 'gpt-x': PRICE } } } as unknown as Provider;
  return { provider, model: 'gpt-x', key: 'cloud/gpt-x' };
}

function service(definitions: BudgetDefinition[]) {
  const ledger = new EmbeddedLedger({ definitions });
  return { ledger, budgets: new BudgetService({ definitions, ledger, warn: () => {} }) };
}

const ALL: BudgetDefinition = { name: 'all-tokens', scope: { kind: 'all' }, window: { kind: 'day' }, limitTokens: 100_000, action: 'block' };
const CLOUD_MONEY: BudgetDefinition = { name: 'cloud-money', scope: { kind: 'provider', providers: ['cloud'] }, window: { kind: 'month' }, limitNanoUsd: 1_000_000_000, action: 'block' };

describe('budget service', () => {
  it('a committed call counts its actual usage once against every budget it matched, and gives the estimate back', async () => {
    const { ledger, budgets } = service([ALL, CLOUD_MONEY]);
    const reservation = await budgets.reserve(cloudCandidate(), request, 'chat');
    assert.ok(reservation);
    const held = ledger.figures(Date.now());
    assert.ok(held.every((figure) => figure.reservedTokens > 100), 'the estimate (prompt + max tokens) is held in both budgets');
    await reservation.commit({ promptTokens: 12, completionTokens: 30 });
    await reservation.commit({ promptTokens: 12, completionTokens: 30 });
    reservation.release();
    const [tokens, money] = ledger.figures(Date.now());
    assert.deepEqual([tokens!.spentTokens, tokens!.reservedTokens], [42, 0]);
    assert.deepEqual([money!.spentNanoUsd, money!.reservedNanoUsd], [costNanoUsd(PRICE, 12, 30), 0]);
  });

  it('a cancelled call gives its reservation back, and nothing it reports afterwards counts', async () => {
    const { ledger, budgets } = service([ALL, CLOUD_MONEY]);
    const reservation = await budgets.reserve(cloudCandidate(), request, 'chat');
    assert.ok(reservation);
    reservation.release();
    await reservation.commit({ promptTokens: 12, completionTokens: 30 });
    for (const figure of ledger.figures(Date.now())) {
      assert.deepEqual([figure.spentTokens, figure.reservedTokens, figure.spentNanoUsd, figure.reservedNanoUsd], [0, 0, 0, 0]);
    }
  });

  it('a call one budget has no room for is refused with that budget named, and holds nothing in the others', async () => {
    const { ledger, budgets } = service([ALL, { ...CLOUD_MONEY, limitNanoUsd: 1 }]);
    const refused = await budgets.reserve(cloudCandidate(), request, 'chat').then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(refused instanceof GatewayError);
    assert.equal(refused.code, 'budgetExceeded');
    assert.match(refused.message, /cloud-money/);
    assert.deepEqual(
      ledger.figures(Date.now()).map((figure) => figure.reservedTokens),
      [0, 0],
    );
  });

  it('rules a cloud candidate out once its fallback-local budget has no room for the call, naming the local model', async () => {
    const fallback: BudgetDefinition = { name: 'cloud-daily', scope: { kind: 'provider', providers: ['cloud'] }, window: { kind: 'day' }, limitTokens: 300, action: 'fallback-local', fallbackModel: 'local/coder' };
    const { budgets } = service([fallback]);
    const candidate = cloudCandidate();
    assert.equal(await budgets.exclusionsFor([candidate], 'chat', request), undefined);
    const reservation = await budgets.reserve(candidate, request, 'chat');
    assert.ok(reservation);
    await reservation.commit({ promptTokens: 100, completionTokens: 120 });
    // 220 of 300 spent: the next call's estimate (its prompt plus 100 output tokens) does not fit.
    const excluded = await budgets.exclusionsFor([candidate], 'chat', request);
    assert.equal(excluded?.get(candidate.key)?.fallbackModel, 'local/coder');
    assert.match(excluded?.get(candidate.key)?.reason ?? '', /cloud-daily/);
  });
});
