/**
 * Lua scripts of the Redis limiter. Time comes from Redis `TIME` so that every gateway process
 * agrees on the clock; Redis ≥ 5 replicates the effects, which makes that safe.
 */

/**
 * GCRA over all rules of one call (same arithmetic as `gcra.ts`); writes only when every rule passes.
 * KEYS[i]: state of rule i. ARGV: limit, windowMs, cost per rule, then 1 to force the charge.
 * Returns { allowed, retryAfterMs, remaining_1, resetMs_1, … } as integers.
 */
export const CONSUME_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local eps = 1e-6
local force = ARGV[3 * #KEYS + 1] == '1'
local allowed, retry = 1, 0
local tats, nexts = {}, {}
for i = 1, #KEYS do
  local limit, window, cost = tonumber(ARGV[3*i-2]), tonumber(ARGV[3*i-1]), tonumber(ARGV[3*i])
  local raw = redis.call('GET', KEYS[i])
  local tat = now
  if raw then tat = math.max(tonumber(raw), now) end
  local nxt = tat + cost * window / limit
  tats[i], nexts[i] = tat, nxt
  if force then
    -- charged after the work: always allowed
  elseif cost > limit then
    allowed, retry = 0, math.max(retry, window)
  elseif nxt - now > window + eps then
    allowed, retry = 0, math.max(retry, math.ceil(nxt - window - now))
  end
end
local out = { allowed, retry }
for i = 1, #KEYS do
  local limit, window = tonumber(ARGV[3*i-2]), tonumber(ARGV[3*i-1])
  local after = tats[i]
  if allowed == 1 then after = nexts[i] end
  if allowed == 1 and after > now then
    redis.call('SET', KEYS[i], string.format('%.3f', after), 'PX', math.ceil(after - now))
  elseif allowed == 1 then
    redis.call('DEL', KEYS[i])
  end
  local ahead = after - now
  out[#out + 1] = math.max(0, math.floor((window - ahead) / (window / limit) + eps))
  out[#out + 1] = math.ceil(ahead)
end
return out
`;

/**
 * A concurrency slot as a lease in a sorted set scored by its expiry: a process that dies holding
 * leases cannot leak slots for longer than the lease TTL.
 * KEYS[1]: the lease set. ARGV: limit, leaseTtlMs, leaseId. Returns { allowed, inFlight }.
 */
export const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local count = redis.call('ZCARD', KEYS[1])
if count >= tonumber(ARGV[1]) then return { 0, count } end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return { 1, count + 1 }
`;
