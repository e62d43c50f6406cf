-- Refreshes (or creates) a node's liveness key.
-- KEYS[1] node liveness  KEYS[2] nodes (set of node ids)
-- ARGV[1] node id  ARGV[2] TTL ms  ARGV[3] '1' when the node must still be registered
-- Returns 0 when another node swept it (it was presumed dead and its users
-- were removed). A key that merely expired while nobody swept it (e.g. Redis
-- paused every client, so no node could) is renewed: the node's users are
-- all still in place.
if ARGV[3] == '1' and redis.call('EXISTS', KEYS[1]) == 0 and redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
  return 0
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
