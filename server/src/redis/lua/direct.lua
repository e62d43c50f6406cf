-- Records a direct room with its members' current names, and that both used it now [DM-2, DM-4].
-- KEYS[1] direct rooms (hash room -> JSON)  KEYS[2] use counter
-- KEYS[3], KEYS[4] the direct rooms of each member (sorted sets scored by use)
-- ARGV[1] room  ARGV[2] its JSON
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local used = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[3], used, ARGV[1])
redis.call('ZADD', KEYS[4], used, ARGV[1])
return used
