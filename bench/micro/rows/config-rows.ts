/**
 * Reading the configuration file: TOML, schema validation and the resolved settings, for a
 * minimal file and for a full one; then with the sections their owners convert (routes and
 * budgets), which is what a daemon start or a config reload does.
 */
import { parseConfigText } from '../../../daemon/config/load-config';
import { resolveBudgets } from '../../../daemon/budgets/budgets-schema';
import { parseRoutingConfig } from '../../../daemon/routing/routes-schema';
import { HOT_PATH_BUDGET_NS, type MicroGroup } from '../micro-row';

const MINIMAL = `[[providers]]
name = "ollama"
kind = "ollama"
base_url = "http://127.0.0.1:11434"
`;

const FULL = `[server]
idle_exit_minutes = 30
[discovery]
local = false
cloud_from_env = false
[log]
level = "info"

[[providers]]
name = "ollama"
kind = "ollama"
base_url = "http://127.0.0.1:11434"
models = ["qwen2.5-coder:7b", "qwen2.5-coder:1.5b"]

[[providers]]
name = "llama"
kind = "llamacpp"
base_url = "http://127.0.0.1:8080"
models = ["qwen2.5-coder-1.5b"]
capacity = 4

[[providers]]
name = "openrouter"
kind = "openai"
base_url = "https://openrouter.ai/api/v1"
api_key_env = "OPENROUTER_API_KEY"
models = ["meta-llama/llama-3.3-70b-instruct"]
local = false
max_connections = 32
prices = { "meta-llama/llama-3.3-70b-instruct" = { input = 0.12, output = 0.30 } }

[aliases]
chat = "ollama/qwen2.5-coder:7b"

[routes.chat]
strategy = "local-first"
candidates = [{ provider = "ollama", model = "qwen2.5-coder:7b" }, { provider = "openrouter", model = "meta-llama/llama-3.3-70b-instruct" }]

[routes.complete]
strategy = "lowest-latency"
candidates = [{ provider = "llama", model = "qwen2.5-coder-1.5b" }, { provider = "ollama", model = "qwen2.5-coder:1.5b" }]

[[budgets]]
name = "chat-pool"
scope = "pool"
routes = ["chat"]
window = "month"
limit_usd = 40
action = "fallback-local"

[[budgets]]
name = "complete-pool"
scope = "pool"
routes = ["complete"]
window = "day"
limit_tokens = 2000000
action = "warn"
`;

const env = { OPENROUTER_API_KEY: 'sk-or-bench' };

export const configRows: MicroGroup = {
  title: 'Config',
  rows: [
    { name: 'config/parse-minimal', input: 'one provider', hooshNs: 175, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'config/parse-full', input: '3 providers, 2 routes, 2 pool budgets, aliases', hooshNs: 18_000, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'config/parse-convert', input: 'the full file, then its routes and budgets converted', hooshNs: 17_000, budgetNs: HOT_PATH_BUDGET_NS },
  ],
  async open() {
    return {
      bodies: {
        'config/parse-minimal': () => parseConfigText(MINIMAL, env),
        'config/parse-full': () => parseConfigText(FULL, env),
        'config/parse-convert': () => {
          const config = parseConfigText(FULL, env);
          const routing = parseRoutingConfig(config.file.routes, config.file.routing, config.providers);
          return [routing, resolveBudgets(config.file.budgets)];
        },
      },
      close: () => {},
    };
  },
};
