-- wrk script for bench/http: bearer tokens round-robin, unique check-in bodies, a JSON summary.
--
--   wrk -t1 -c64 -d10s -s load.lua URL -- get  TOKENS_FILE RUN_ID
--   wrk -t1 -c64 -d10s -s load.lua URL -- post TOKENS_FILE RUN_ID
--   wrk -t1 -c64 -d10s -s load.lua URL -- plain
--
-- get:   GET URL (path and query as given) with "Authorization: Bearer <token>"; the requests are
--        built once per token at start, so the script costs nothing per request.
-- post:  POST URL with {"text":"wrk check-in <run>-<thread>-<n> …","mood":1-5,"tags":[…]}; every
--        text is unique (run id, thread, counter).
-- plain: GET URL with no headers (the constant endpoint).
-- The last line printed is "WRK_JSON {…}": requests, duration, errors and latency percentiles (µs).

local threads = {}
local next_thread = 0

function setup(thread)
   next_thread = next_thread + 1
   thread:set("thread_id", next_thread)
   table.insert(threads, thread)
end

local mode, run_id
local tokens = {}
local prepared = {}
local counter = 0
local index = 0

function init(args)
   mode = args[1] or "plain"
   run_id = args[3] or "run"
   if mode ~= "plain" then
      for line in io.lines(args[2]) do
         if #line > 0 then
            tokens[#tokens + 1] = line
         end
      end
      assert(#tokens > 0, "no tokens in " .. tostring(args[2]))
   end
   -- Threads start at different tokens so they do not walk the users in step.
   index = ((thread_id or 1) * 7919) % math.max(#tokens, 1)
   if mode == "get" then
      for i, token in ipairs(tokens) do
         prepared[i] = wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. token })
      end
   elseif mode == "plain" then
      prepared[1] = wrk.format("GET")
   end
end

function request()
   if mode == "plain" then
      return prepared[1]
   end
   index = index % #tokens + 1
   if mode == "get" then
      return prepared[index]
   end
   counter = counter + 1
   local body = string.format(
      '{"text":"wrk check-in %s-%d-%d: slept badly, better after coffee","mood":%d,"tags":["bench","morning"]}',
      run_id, thread_id or 1, counter, counter % 5 + 1)
   return wrk.format("POST", nil, {
      ["Authorization"] = "Bearer " .. tokens[index],
      ["Content-Type"] = "application/json",
   }, body)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
