-- This node no longer holds a name (its last session's grace ended).
-- KEYS[1] name  ARGV[1] node id
redis.call('HDEL', KEYS[1], 'n:' .. ARGV[1])
if not held(KEYS[1]) then redis.call('DEL', KEYS[1]) end
return 1
