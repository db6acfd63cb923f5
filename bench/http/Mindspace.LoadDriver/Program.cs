// Mindspace.LoadDriver: an HTTP/1.1 load driver for bench/http that prints one JSON object.
//
//   open   --rate R         requests are scheduled at a fixed rate (R per second) whatever the server
//                           does; latency = completion time - scheduled send time, so queueing in the
//                           driver or the server is counted (no coordinated omission)
//   closed --concurrency N  N requests in flight, each sent when the previous one finishes (like wrk);
//                           with --per-token true, worker w always sends token w (one request in flight per user)
//   seed   --count N        every token's user gets N requests, one at a time; the users in parallel
//
// Common options:
//   --url URL              target (http://127.0.0.1:5080/api/v1/entries)
//   --method GET|POST      POST sends a check-in body {"text":"…unique…","mood":1-5,"tags":[…]}
//   --tokens FILE          bearer tokens, one a line, used round-robin (none: no Authorization header)
//   --connections C        most connections (open: default 64; closed: = concurrency)
//   --duration S           measured seconds (default 10)     --warmup S   unrecorded seconds first (default 2)
//   --timeout S            per-request timeout (default 30)
//   --timeline FILE        the slowest request per 10 ms of the recorded window, as CSV (diagnosis)
//   --client raw|httpclient  raw (default): RawHttpConnection, requests encoded once, socket completions
//                          handled on the socket engine's thread; httpclient: SocketsHttpHandler, which
//                          spent about 1.5 times the CPU per request here (kept to compare the two)
using System.Text.Json;
using Mindspace.LoadDriver;

Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"load driver: {error.Message}");
    return 2;
}

const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (options.Client == "raw" && Environment.GetEnvironmentVariable(InlineCompletions) is null)
{
    // The raw client's continuations are a few microseconds of bookkeeping, so they run on the socket
    // engine's thread instead of waking a thread-pool worker per response: on this VM a wake-up costs
    // more than the work. The runtime reads this once, when the first socket is created, so it is set
    // here, before any.
    Environment.SetEnvironmentVariable(InlineCompletions, "1");
}

var driver = new Driver(options);
var result = await driver.RunAsync();
Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = false }));
return 0;
