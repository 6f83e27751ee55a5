export const BENCH_USAGE = `Usage: switchyard bench [--scenario NAME | --preset NAME] [options]
       switchyard bench compare A.json B.json [--html FILE] [--json FILE]
       switchyard bench crosscheck [--runs 3] [--concurrency 50] [--requests 20000] [--duration 5]

With neither --scenario nor --preset, runs the standard run (preset 000): a simulator at
5 ms and a daemon are started, 100,000 non-streaming chat requests go through the gateway
at 200 concurrent, then the same load goes directly to the simulator.

Scenarios: fixed-rate, stages, blast, mix, sweep, compare, overhead
Presets:   000 (standard run), 002 (vegeta rate, k6 ramp, blast, 70/30 mix), 003 (sweep)

Target:
  --target URL            gateway or provider to load (default: start simulator + daemon)
  --direct URL            the provider itself (overhead scenario, gateway/direct ratio)
  --token TOKEN           bearer token for --target (default: SWITCHYARD_TOKEN, else this user's daemon token)
  --targets a=URL,b=URL   targets of the compare scenario
  --api openai|ollama     wire shape (default openai: POST /v1/chat/completions)
  --model M | --models A,B [--weights 70,30]
Load:
  --requests N  --concurrency C  --rate R  --duration S  --arrivals uniform|poisson
  --stages 10s:50,30s:50,10s:0 [--stage-kind rate|concurrency]
  --concurrencies 1,10,50,100 (sweep)   --rounds N (overhead)   --max-in-flight N
  --warmup N  --timeout-ms MS  --late-ms MS  --seed N  --stream  --max-tokens N
  --slo-latency-ms MS --slo-ttft-ms MS --slo-tpot-ms MS   (goodput)
  --scale F               shrink every default count and duration (e.g. 0.1)
  --repeat N              run N times; report medians and run-to-run noise
  --force                 allow concurrency above the sane cap
Simulator started here:
  --sim-latency-ms MS (5)  --sim-ttft-ms MS  --sim-tokens-per-s N  --sim-output-tokens N  --sim-capacity N
  --sim-close-after-response-ms MS   close each connection MS after a response, keep-alive advertised
Output:
  --json FILE  --html FILE  --out-dir DIR (default .bench-results)  --quiet
  --progress-json         progress as JSON lines on stderr (for a host process such as the daemon)
  --save-baseline NAME    keep this report as a named baseline
  --baseline NAME|FILE    compare this run with a baseline`;
