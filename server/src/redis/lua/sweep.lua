-- Removes a dead node from its rooms and names, at most ARGV[3] rooms per
-- call, so a node with many rooms never blocks Redis for long; the caller
-- repeats while the reply says more remain (other commands run in between).
-- KEYS[1] node liveness  KEYS[2] node rooms  KEYS[3] node names
-- KEYS[4] nodes  KEYS[5] nodes being swept (set of node ids)  KEYS[6] the sweeper's liveness
-- ARGV[1] node id  ARGV[2] '1' to sweep even a live node (itself, after losing its place)
-- ARGV[3] rooms per call
-- ARGV[4] room key head; ARGV[5..9] room key tails of holders, members, pv,
--   events, bots: a room's key is ARGV[4] .. <escaped room> .. tail
-- Returns {leave events published, 1 while rooms remain else 0}; {-1, 0} when
-- the node lives, or when the sweeper's own key lapsed: then Redis was out of
-- reach of the sweeper too (paused, or its link cut), and a lapsed key says
-- only that Redis stopped hearing, not that the node died. Such a node renews
-- its key on its next heartbeat (heartbeat.lua); a dead one stays lapsed.
if redis.call('SISMEMBER', KEYS[5], ARGV[1]) == 0 then
  if ARGV[2] ~= '1' and redis.call('EXISTS', KEYS[1]) == 1 then return {-1, 0} end
  if ARGV[2] ~= '1' and redis.call('EXISTS', KEYS[6]) == 0 then return {-1, 0} end
  -- From the first batch on the node counts as swept: its heartbeat says so, even mid-sweep.
  redis.call('SREM', KEYS[4], ARGV[1])
  redis.call('SADD', KEYS[5], ARGV[1])
end
local left = 0
for _, room in ipairs(redis.call('SPOP', KEYS[2], tonumber(ARGV[3]))) do
  local holdersKey = ARGV[4] .. room .. ARGV[5]
  local membersKey = ARGV[4] .. room .. ARGV[6]
  local holders = redis.call('HGETALL', holdersKey)
  for i = 1, #holders, 2 do
    local userKey, list = holders[i], holders[i + 1]
    local rest = without(list, ARGV[1])
    if rest ~= list then
      if rest ~= ',' then
        redis.call('HSET', holdersKey, userKey, rest)
      else
        redis.call('HDEL', holdersKey, userKey)
        local name = redis.call('HGET', membersKey, userKey)
        if name then
          redis.call('HDEL', membersKey, userKey)
          redis.call('SREM', ARGV[4] .. room .. ARGV[9], userKey)
          publishPresence(ARGV[4] .. room .. ARGV[7], ARGV[4] .. room .. ARGV[8], '0', userKey, name)
          left = left + 1
        end
      end
    end
  end
end
if redis.call('SCARD', KEYS[2]) > 0 then return {left, 1} end
for _, nameKey in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  redis.call('HDEL', nameKey, 'n:' .. ARGV[1])
  if not held(nameKey) then redis.call('DEL', nameKey) end
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SREM', KEYS[5], ARGV[1])
return {left, 0}
