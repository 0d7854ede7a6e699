-- Requests for wrk, one per line of the file in env WRK_REQUESTS: method TAB path TAB headers TAB body, headers
-- as name: value joined by \31. Each request is sent once (wrk -t1), then the thread stops (connections still
-- waiting for their next request get a GET /api/v1/health, which changes nothing); done() prints how many
-- answers had each status, for bench/_load.py.
local requests, index, statuses, threads, seen, stopped, shown = {}, 0, {}, {}, "", false, 0
local after  -- built in init(): wrk sets its Host header just before init, and HTTP/1.1 without one is a 400

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   after = wrk.format("GET", "/api/v1/health")
   for line in io.lines(os.getenv("WRK_REQUESTS")) do
      local method, path, head, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = {}
      for pair in head:gmatch("[^\31]+") do
         local name, value = pair:match("^([^:]+): (.*)$")
         headers[name] = value
      end
      table.insert(requests, wrk.format(method, path, headers, body ~= "" and body or nil))
   end
end

function request()
   index = index + 1
   if index > #requests then
      return after
   end
   return requests[index]
end

function response(status, headers, body)
   local key = "c" .. status
   if statuses[key] == nil then
      statuses[key] = 0
      seen = seen .. key .. ","
      wrk.thread:set("seen", seen)
   end
   statuses[key] = statuses[key] + 1
   if status >= 400 and shown < 3 then  -- the first few error bodies, for the report
      shown = shown + 1
      io.write("ERROR " .. status .. " " .. (body or ""):sub(1, 300):gsub("\n", " ") .. "\n")
      io.flush()
   end
   wrk.thread:set(key, statuses[key])
   if index > #requests and not stopped then
      stopped = true
      io.write("STOPPED\n")  -- wrk's main thread sleeps out -d: bench/_load.py answers this with SIGINT
      io.flush()
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local counts = {}
   for _, thread in ipairs(threads) do
      for key in string.gmatch(thread:get("seen") or "", "[^,]+") do
         counts[key] = (counts[key] or 0) + thread:get(key)
      end
   end
   local parts = {}
   for key, n in pairs(counts) do table.insert(parts, key .. "=" .. n) end
   io.write(string.format("WRK seconds=%.4f mean=%.3f p50=%.3f p90=%.3f p99=%.3f max=%.3f %s\n",
      summary.duration / 1e6, latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, table.concat(parts, " ")))
end
