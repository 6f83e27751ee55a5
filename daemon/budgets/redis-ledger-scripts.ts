/**
 * The Redis ledger's Lua scripts. Redis runs a script atomically, so a reservation across
 * several budgets is checked and taken as one step even when several daemons race for the
 * last of a budget. Per budget there are four keys (same order in every script):
 *
 *   spent   hash  `t:<slot>` / `n:<slot>` → tokens / nano-dollars spent in that slot
 *   held    hash  `t` / `n` → tokens / nano-dollars reserved and not yet committed
 *   leases  zset  reservation id → lease expiry (ms); a crashed daemon's leases lapse
 *   amounts hash  reservation id → "<tokens> <nano>"
 *
 * Amounts are integers; Lua numbers are doubles, exact up to 2^53.
 */

/* A negative zero would reach Redis as "-0", which HINCRBY rejects: hence `0 - x`, never `-x`. */

/**
 * Shared prelude: give back what one reservation holds (commit, release, a lapsed lease),
 * lapse a budget's expired leases, and sum its spending since `from`.
 */
const PRELUDE = `
local function give_back(held, leases, amounts, id)
  local amount = redis.call('HGET', amounts, id)
  if amount then
    local t, n = string.match(amount, '^(%-?%d+) (%-?%d+)$')
    redis.call('HINCRBY', held, 't', 0 - tonumber(t))
    redis.call('HINCRBY', held, 'n', 0 - tonumber(n))
    redis.call('HDEL', amounts, id)
  end
  redis.call('ZREM', leases, id)
end

local function lapse(held, leases, amounts, now)
  local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now)
  for _, id in ipairs(expired) do give_back(held, leases, amounts, id) end
end

local function spent_since(spent, from)
  local fields = redis.call('HGETALL', spent)
  local t, n, oldest = 0, 0, -1
  local stale = {}
  for i = 1, #fields, 2 do
    local kind, slot = string.match(fields[i], '^(%a):(%d+)$')
    local s = tonumber(slot)
    if s and s >= from then
      local v = tonumber(fields[i + 1])
      if kind == 't' then t = t + v else n = n + v end
      if v > 0 and (oldest < 0 or s < oldest) then oldest = s end
    elseif s then
      stale[#stale + 1] = fields[i]
    end
  end
  if #stale > 0 then redis.call('HDEL', spent, unpack(stale)) end
  return t, n, oldest
end

local function held_of(held)
  local v = redis.call('HMGET', held, 't', 'n')
  return tonumber(v[1] or '0') or 0, tonumber(v[2] or '0') or 0
end
`;

/**
 * KEYS: 4 per budget. ARGV: now, id, lease expiry, then 6 per budget:
 * window start, token limit (-1 none), nano limit (-1 none), tokens, nano, enforced (1/0).
 * Returns {1} when reserved, or {0, budget index (0-based), spent t, spent n, held t, held n, oldest slot}.
 */
export const RESERVE_SCRIPT = `${PRELUDE}
local now = tonumber(ARGV[1])
local id = ARGV[2]
local lease = ARGV[3]
local budgets = #KEYS / 4
for b = 0, budgets - 1 do
  local spent, held, leases, amounts = KEYS[b*4+1], KEYS[b*4+2], KEYS[b*4+3], KEYS[b*4+4]
  local a = 4 + b * 6
  lapse(held, leases, amounts, now)
  local from, limit_t, limit_n = tonumber(ARGV[a]), tonumber(ARGV[a+1]), tonumber(ARGV[a+2])
  local want_t, want_n, enforced = tonumber(ARGV[a+3]), tonumber(ARGV[a+4]), ARGV[a+5]
  if enforced == '1' then
    local st, sn, oldest = spent_since(spent, from)
    local ht, hn = held_of(held)
    if (limit_t >= 0 and want_t > 0 and st + ht + want_t > limit_t) or (limit_n >= 0 and want_n > 0 and sn + hn + want_n > limit_n) then
      return {0, b, st, sn, ht, hn, oldest}
    end
  end
end
for b = 0, budgets - 1 do
  local held, leases, amounts = KEYS[b*4+2], KEYS[b*4+3], KEYS[b*4+4]
  local a = 4 + b * 6
  redis.call('HINCRBY', held, 't', ARGV[a+3])
  redis.call('HINCRBY', held, 'n', ARGV[a+4])
  redis.call('ZADD', leases, lease, id)
  redis.call('HSET', amounts, id, ARGV[a+3] .. ' ' .. ARGV[a+4])
end
return {1}
`;

/**
 * KEYS: 4 per budget, then the commit marker key. ARGV: id, marker ttl seconds, then 4 per
 * budget: slot, tokens, nano, spent key ttl seconds.
 * The marker makes a commit count once even if it is sent twice (a retry after a lost reply).
 * Returns 1 when counted, 0 when it had been already.
 */
export const COMMIT_SCRIPT = `${PRELUDE}
local budgets = (#KEYS - 1) / 4
local id = ARGV[1]
if not redis.call('SET', KEYS[#KEYS], '1', 'NX', 'EX', tonumber(ARGV[2])) then return 0 end
for b = 0, budgets - 1 do
  local spent, held, leases, amounts = KEYS[b*4+1], KEYS[b*4+2], KEYS[b*4+3], KEYS[b*4+4]
  local a = 3 + b * 4
  give_back(held, leases, amounts, id)
  local slot = ARGV[a]
  redis.call('HINCRBY', spent, 't:' .. slot, ARGV[a+1])
  redis.call('HINCRBY', spent, 'n:' .. slot, ARGV[a+2])
  redis.call('EXPIRE', spent, tonumber(ARGV[a+3]))
end
return 1
`;

/** KEYS: 4 per budget. ARGV: id. Gives a reservation back; a no-op if it was committed or had lapsed. */
export const RELEASE_SCRIPT = `${PRELUDE}
local id = ARGV[1]
for b = 0, #KEYS / 4 - 1 do
  give_back(KEYS[b*4+2], KEYS[b*4+3], KEYS[b*4+4], id)
end
return 1
`;

/** KEYS: 4 per budget. ARGV: now, then 1 per budget: window start. Returns per budget {spent t, spent n, held t, held n, oldest}. */
export const FIGURES_SCRIPT = `${PRELUDE}
local now = tonumber(ARGV[1])
local out = {}
for b = 0, #KEYS / 4 - 1 do
  local spent, held, leases, amounts = KEYS[b*4+1], KEYS[b*4+2], KEYS[b*4+3], KEYS[b*4+4]
  lapse(held, leases, amounts, now)
  local st, sn, oldest = spent_since(spent, tonumber(ARGV[2 + b]))
  local ht, hn = held_of(held)
  out[#out + 1] = {st, sn, ht, hn, oldest}
end
return out
`;
