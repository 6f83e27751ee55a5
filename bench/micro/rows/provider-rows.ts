/**
 * Providers: building the route table, finding a route by name, constructing an adapter
 * (its undici pool included), and turning a gateway request into the OpenAI wire body and
 * its JSON text, as every call to an OpenAI-compatible provider does.
 */
import type { GatewayRequest } from '../../../shared/gateway';
import { createProvider } from '../../../daemon/providers/create-provider';
import { chatBody, dialectOf } from '../../../daemon/providers/openai-translate';
import { chatMessages, HOT_PATH_BUDGET_NS, type MicroGroup } from '../micro-row';
import { providerSettings, routerFor, settingsRegistry } from './provider-fixtures';

function chat(messages: number): GatewayRequest {
  return { kind: 'chat', model: 'm', messages: chatMessages(messages), stream: false, params: { temperature: 0.2, max_tokens: 256 } };
}

export const providerRows: MicroGroup = {
  title: 'Providers',
  rows: [
    { name: 'providers/register-20-routes', input: '20 named routes of one candidate each: parse the [routes] section and build the router', hooshNs: 71_000, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'providers/lookup-hit', input: 'route by name, 20 routes', hooshNs: 36, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'providers/lookup-miss', input: 'route by name, 20 routes, name absent', hooshNs: 31, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'providers/construct-no-key', input: 'OpenAI-compatible adapter and its pool, no API key (closed after)', hooshNs: 2_200, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'providers/construct-with-key', input: 'OpenAI-compatible adapter and its pool, with an API key (closed after)', hooshNs: 2_300, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'providers/build-request-simple', input: 'chat body, 1 message', hooshNs: 21, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'providers/build-request-4-messages', input: 'chat body, 4 messages', hooshNs: 48, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'providers/serialize-simple', input: 'chat body to JSON text, 1 message', hooshNs: 156, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'providers/serialize-10-messages', input: 'chat body to JSON text, 10 messages', hooshNs: 820, budgetNs: HOT_PATH_BUDGET_NS },
  ],
  async open() {
    const { registry, providers } = settingsRegistry(20);
    const routes: Record<string, unknown> = {};
    providers.forEach((p, i) => (routes[`route-${i}`] = { strategy: 'priority', candidates: [{ provider: p.name, model: 'm' }] }));
    const router = routerFor(registry, providers, routes);
    const dialect = dialectOf('http://127.0.0.1:10000');
    const simple = chat(1);
    const four = chat(4);
    const simpleBody = chatBody(simple, 'm', false, dialect);
    const tenBody = chatBody(chat(10), 'm', false, dialect);
    // Names vary from call to call, so the compiler cannot lift the lookup out of the loop.
    const present = providers.map((_, i) => `route-${i}`);
    const absent = providers.map((_, i) => `route-${i + 100}`);
    let lookups = 0;
    const noKey = providerSettings(0);
    const withKey = providerSettings(0, 'sk-bench-0123456789abcdef');
    return {
      bodies: {
        'providers/register-20-routes': () => routerFor(registry, providers, routes),
        'providers/lookup-hit': () => router.route(present[lookups++ % 20]!),
        'providers/lookup-miss': () => router.route(absent[lookups++ % 20]!),
        'providers/construct-no-key': () => void createProvider(noKey).close(),
        'providers/construct-with-key': () => void createProvider(withKey).close(),
        'providers/build-request-simple': () => chatBody(simple, 'm', false, dialect),
        'providers/build-request-4-messages': () => chatBody(four, 'm', false, dialect),
        'providers/serialize-simple': () => JSON.stringify(simpleBody),
        'providers/serialize-10-messages': () => JSON.stringify(tenBody),
      },
      close: () => router.close(),
    };
  },
};
