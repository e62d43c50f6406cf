-- Helper (prepended to scripts that need it): bumps a room's presence
-- version, publishes the change on the room's channel and returns the
-- version. Numbers travel as strings: cjson would round big ones. `bot` is
-- '1' for a bot's join [BOT-1], else nil.
local function publishPresence(pvKey, channel, joined, userKey, name, bot)
  local v = redis.call('INCR', pvKey)
  redis.call('PUBLISH', channel, cjson.encode({k = 'p', v = tostring(v), j = joined, u = userKey, n = name, b = bot}))
  return v
end
