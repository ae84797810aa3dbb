-- Takes up to 'count' requests of a company's rate limit at once, by GCRA (the generic cell rate
-- algorithm): a token bucket kept as one number, the theoretical arrival time (TAT) of the next
-- request at the sustained rate. A request may be taken while the TAT it leaves is at most
-- 'burst' intervals ahead of now; a node takes several at once when its requests come fast, and
-- spends them without asking again (RateLimits). Nothing is recorded when none can be taken, so
-- a client that keeps retrying too early does not push its own wait further out. Time is Redis's
-- own (TIME): every node counts on one clock, whatever its own says.
--
-- KEYS[1] the company's rate-limit key
-- ARGV[1] emission interval: microseconds between two requests at the sustained rate (>= 1)
-- ARGV[2] burst: requests that may come at once after a quiet period (>= 1)
-- ARGV[3] count: requests wanted (>= 1)
-- returns {taken, 0} when at least one was taken (taken: 1..count),
--         {0, wait} when none could be (wait: microseconds until one could)
local key = KEYS[1]
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local count = tonumber(ARGV[3])

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local tat = tonumber(redis.call('GET', key) or now)
if tat < now then
  tat = now
end
-- requests that fit before the TAT would be more than 'burst' intervals ahead
local available = math.floor((now + interval * burst - tat) / interval)
if available < 1 then
  return {0, tat + interval - interval * burst - now}
end
local taken = math.min(count, available)
tat = tat + taken * interval
-- (the key lives as long as it matters: once now passes the TAT, a missing key means the same)
redis.call('SET', key, string.format('%.0f', tat), 'PX', math.max(1, math.ceil((tat - now) / 1000)))
return {taken, 0}
