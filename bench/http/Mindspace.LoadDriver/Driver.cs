using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Mindspace.LoadDriver;

public sealed record Options(
    string Mode,
    Uri Url,
    HttpMethod Method,
    double Rate,
    int Concurrency,
    int Connections,
    double Duration,
    double Warmup,
    double Timeout,
    string[] Tokens,
    bool PinTokens = false,
    long PerWorkerCount = 0,
    string Client = "raw",
    string? Timeline = null)
{
    public static Options Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("open" or "closed" or "seed"))
        {
            throw new ArgumentException("usage: open|closed|seed --url URL [--method GET|POST] [--rate R | --concurrency N | --count N] [--per-token true] [--connections C] [--tokens FILE] [--duration S] [--warmup S] [--timeout S] [--client raw|httpclient] [--timeline FILE]");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            }

            values[args[i][2..]] = args[++i];
        }

        double Number(string name, double fallback)
            => values.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

        var mode = args[0];
        var client = values.GetValueOrDefault("client") ?? "raw";
        if (client is not ("raw" or "httpclient"))
        {
            throw new ArgumentException($"--client {client}: raw or httpclient");
        }

        var url = values.TryGetValue("url", out var u) ? new Uri(u) : throw new ArgumentException("--url is required");
        var method = (values.GetValueOrDefault("method") ?? "GET").ToUpperInvariant() switch
        {
            "GET" => HttpMethod.Get,
            "POST" => HttpMethod.Post,
            var other => throw new ArgumentException($"method {other} is not supported"),
        };
        var rate = Number("rate", 0);
        var concurrency = (int)Number("concurrency", 0);
        if (mode == "open" && rate <= 0)
        {
            throw new ArgumentException("open needs --rate > 0");
        }

        var tokens = values.TryGetValue("tokens", out var file)
            ? File.ReadAllLines(file).Select(line => line.Trim()).Where(line => line.Length > 0).ToArray()
            : [];
        if (mode == "seed")
        {
            // Every token's user gets --count requests, one at a time; the users in parallel.
            var count = (long)Number("count", 0);
            if (count <= 0 || tokens.Length == 0)
            {
                throw new ArgumentException("seed needs --count > 0 and --tokens");
            }

            return new Options("closed", url, method, 0, tokens.Length, tokens.Length, Number("duration", 3600), 0, Number("timeout", 30), tokens, PinTokens: true, PerWorkerCount: count, Client: client);
        }

        if (mode == "closed" && concurrency <= 0)
        {
            throw new ArgumentException("closed needs --concurrency > 0");
        }

        var connections = (int)Number("connections", mode == "open" ? 64 : concurrency);
        var pin = values.TryGetValue("per-token", out var pinned) && bool.Parse(pinned);
        if (pin && concurrency > tokens.Length)
        {
            throw new ArgumentException("--per-token true needs at least as many tokens as --concurrency");
        }

        return new Options(mode, url, method, rate, concurrency, connections, Number("duration", 10), Number("warmup", 2), Number("timeout", 30), tokens, pin, Client: client, Timeline: values.GetValueOrDefault("timeline"));
    }
}

/// <summary>What one run measured; serialized as the driver's output.</summary>
public sealed record Result(
    string Mode,
    string Client,
    string Url,
    string Method,
    double TargetRate,
    int Concurrency,
    int Connections,
    double DurationSeconds,
    long Scheduled,
    long Completed,
    long Ok,
    long Errors,
    long Unfinished,
    Dictionary<string, long> Statuses,
    double Throughput,
    LatencySummary LatencyMs,
    LatencySummary DispatchLagMs,
    double CpuSeconds,
    double CpuPercentOfOneCore,
    string? FirstError);

public sealed record LatencySummary(double P50, double P90, double P99, double P999, double Max, double Mean, long Count)
{
    public static LatencySummary Of(Histogram histogram)
    {
        static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
        return new LatencySummary(
            Ms(histogram.Percentile(50)),
            Ms(histogram.Percentile(90)),
            Ms(histogram.Percentile(99)),
            Ms(histogram.Percentile(99.9)),
            Ms(histogram.Max),
            Math.Round(histogram.Mean / 1000.0, 3),
            histogram.Count);
    }
}

public sealed class Driver
{
    private static readonly double TicksPerMicrosecond = Stopwatch.Frequency / 1_000_000.0;

    private readonly Options _options;
    private readonly HttpClient? _client;
    private readonly RawConnectionPool? _connections;
    private readonly string[] _authorizations;
    private readonly CheckInRequests _requests;
    private readonly Histogram _latency = new();
    private readonly Histogram _lag = new();
    private readonly LatencyTimeline? _timeline;
    private readonly long[] _statuses = new long[600];
    private long _origin;
    private long _windowStart;
    private long _windowEnd;
    private long _completed;
    private long _completedInWindow;
    private long _ok;
    private long _errors;
    private long _outstanding;
    private string? _firstError;

    public Driver(Options options)
    {
        _options = options;
        _authorizations = [.. options.Tokens.Select(token => "Bearer " + token)];
        var runId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));
        _requests = new CheckInRequests(options.Url, options.Method, _authorizations, runId);
        _timeline = options.Timeline is null ? null : new LatencyTimeline();
        if (options.Client == "raw")
        {
            _connections = new RawConnectionPool(RawConnectionPool.EndpointOf(options.Url), options.Connections, TimeSpan.FromSeconds(options.Timeout));
            return;
        }

        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.Timeout) };
    }

    public async Task<Result> RunAsync()
    {
        await PrimeConnectionsAsync();
        _origin = Stopwatch.GetTimestamp();
        _windowStart = _origin + Ticks(_options.Warmup);
        _windowEnd = _windowStart + Ticks(_options.Duration);

        long scheduled;
        var cpuAtStart = TimeSpan.Zero;
        var cpuTask = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(_options.Warmup));
            cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        });

        if (_options.Mode == "open")
        {
            scheduled = await RunOpenAsync();
        }
        else
        {
            scheduled = await RunClosedAsync();
        }

        await cpuTask;
        if (_timeline is not null)
        {
            await File.WriteAllTextAsync(_options.Timeline!, _timeline.ToCsv(_windowStart));
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart;
        var wall = Stopwatch.GetElapsedTime(_windowStart).TotalSeconds;

        var statuses = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < _statuses.Length; i++)
        {
            if (_statuses[i] > 0)
            {
                statuses[i == 0 ? "error" : i.ToString(CultureInfo.InvariantCulture)] = _statuses[i];
            }
        }

        return new Result(
            _options.Mode,
            _options.Client,
            _options.Url.ToString(),
            _options.Method.Method,
            _options.Rate,
            _options.Concurrency,
            _options.Connections,
            _options.Duration,
            scheduled,
            Interlocked.Read(ref _completed),
            Interlocked.Read(ref _ok),
            Interlocked.Read(ref _errors),
            Interlocked.Read(ref _outstanding),
            statuses,
            Math.Round(Interlocked.Read(ref _completedInWindow) / _options.Duration, 1),
            LatencySummary.Of(_latency),
            LatencySummary.Of(_lag),
            Math.Round(cpu.TotalSeconds, 3),
            Math.Round(100 * cpu.TotalSeconds / Math.Max(wall, 1e-3), 1),
            _firstError);
    }

    /// <summary>Opens the connections before the clock starts (their handshakes are not what is measured).</summary>
    private async Task PrimeConnectionsAsync()
    {
        var count = Math.Min(_options.Connections, 256);
        var tasks = new Task[count];
        for (var i = 0; i < count; i++)
        {
            tasks[i] = SendAsync(i, record: false, scheduledAt: 0);
        }

        await Task.WhenAll(tasks);
        Interlocked.Exchange(ref _completed, 0);
        Interlocked.Exchange(ref _ok, 0);
        Interlocked.Exchange(ref _errors, 0);
        Array.Clear(_statuses);
    }

    /// <summary>A dedicated thread releases requests on schedule.</summary>
    private async Task<long> RunOpenAsync()
    {
        var total = (long)Math.Floor((_options.Warmup + _options.Duration) * _options.Rate);
        var ticksPerRequest = Stopwatch.Frequency / _options.Rate;
        var dispatcher = new Thread(() =>
        {
            long next = 0;
            while (next < total)
            {
                var now = Stopwatch.GetTimestamp();
                var due = Math.Min(total, (long)((now - _origin) / ticksPerRequest) + 1);
                for (; next < due; next++)
                {
                    var scheduledAt = _origin + (long)(next * ticksPerRequest);
                    var index = next;
                    Interlocked.Increment(ref _outstanding);
                    if (scheduledAt >= _windowStart)
                    {
                        _lag.Record((long)((now - scheduledAt) / TicksPerMicrosecond));
                    }

                    // Sent from this thread up to the first wait (no thread hop per request);
                    // responses complete on the thread pool.
                    _ = SendAsync(index, record: true, scheduledAt);
                }

                // Sleep until the next one is due (Linux wakes a 1 ms sleep after ~1.05 ms). Requests
                // that fall due meanwhile go out together; their latency still counts from their own
                // scheduled time, so batching can only make the figures worse, never better. No
                // spinning: the driver shares two cores with the server it measures.
                var nextAt = _origin + (long)(next * ticksPerRequest);
                if (nextAt > Stopwatch.GetTimestamp())
                {
                    Thread.Sleep(1);
                }
            }
        })
        { IsBackground = true, Name = "dispatcher", Priority = ThreadPriority.AboveNormal };
        dispatcher.Start();
        await Task.Run(dispatcher.Join);
        await DrainAsync();
        return total;
    }

    private async Task<long> RunClosedAsync()
    {
        long sent = 0;
        var workers = new Task[_options.Concurrency];
        for (var w = 0; w < workers.Length; w++)
        {
            // With --per-token (and in seed mode) worker w always speaks for user w: one request in flight per user.
            int? token = _options.PinTokens ? w : null;
            workers[w] = Task.Run(async () =>
            {
                for (long mine = 0; _options.PerWorkerCount == 0 || mine < _options.PerWorkerCount; mine++)
                {
                    var start = Stopwatch.GetTimestamp();
                    if (start >= _windowEnd)
                    {
                        return;
                    }

                    var index = Interlocked.Increment(ref sent);
                    Interlocked.Increment(ref _outstanding);
                    await SendAsync(index, record: true, start, token);
                }
            });
        }

        await Task.WhenAll(workers);
        return Interlocked.Read(ref sent);
    }

    private async Task DrainAsync()
    {
        var deadline = Stopwatch.GetTimestamp() + Ticks(_options.Timeout + 1);
        while (Interlocked.Read(ref _outstanding) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(10);
        }
    }

    /// <param name="token">Which token to send; null: round-robin by <paramref name="index"/>.</param>
    private async Task SendAsync(long index, bool record, long scheduledAt, int? token = null)
    {
        int status = 0;
        var tokenIndex = _authorizations.Length == 0 ? 0 : token ?? (int)(index % _authorizations.Length);
        try
        {
            status = _connections is not null ? await SendRawAsync(index, tokenIndex) : await SendWithHttpClientAsync(index, tokenIndex);
        }
        catch (Exception error)
        {
            Interlocked.CompareExchange(ref _firstError, $"{error.GetType().Name}: {error.Message}", null);
        }

        if (!record)
        {
            return;
        }

        var done = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _completed);
        if (scheduledAt >= _windowStart && scheduledAt < _windowEnd)
        {
            // Counted for requests scheduled inside the measured window only.
            _latency.Record((long)((done - scheduledAt) / TicksPerMicrosecond));
            _timeline?.Record(scheduledAt - _windowStart, done - scheduledAt);
            Interlocked.Increment(ref _statuses[status is > 0 and < 600 ? status : 0]);
            if (status is >= 200 and < 300)
            {
                Interlocked.Increment(ref _ok);
            }
            else
            {
                Interlocked.Increment(ref _errors);
            }
        }

        if (done >= _windowStart && done < _windowEnd)
        {
            Interlocked.Increment(ref _completedInWindow);
        }

        Interlocked.Decrement(ref _outstanding);
    }

    private async ValueTask<int> SendRawAsync(long index, int token)
    {
        var connection = await _connections!.RentAsync();
        try
        {
            var length = _requests.Encode(connection.RequestBuffer, index, token);
            return await connection.ExchangeAsync(connection.RequestBuffer.AsMemory(0, length));
        }
        finally
        {
            _connections.Return(connection);
        }
    }

    private async Task<int> SendWithHttpClientAsync(long index, int token)
    {
        using var request = new HttpRequestMessage(_options.Method, _options.Url) { Version = HttpVersion.Version11 };
        if (_authorizations.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", _authorizations[token]);
        }

        if (_options.Method == HttpMethod.Post)
        {
            request.Content = new ByteArrayContent(_requests.Body(index));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        }

        using var response = await _client!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.CopyToAsync(Stream.Null);
        return (int)response.StatusCode;
    }

    private static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);
}
