// Load from other processes, for the module benchmarks that host the gateway in their own process:
// wrk for closed-loop peaks and bench/http's Mindspace.LoadDriver for fixed-rate (open-loop) latency.
// A load generator inside the server's process competes with it for the same thread pool and, on a
// 2-core machine, a generator that spins between sends takes a whole core from the server; these two
// are the ones bench/http already trusts (see bench/http/README.md, "The open-loop driver").
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Mindspace.Bench;

/// <summary>A closed-loop peak measured by wrk: 2xx answers per second and wrk's own latency percentiles.</summary>
public sealed record PeakResult(double OkPerSecond, long NonSuccess, double P50Ms, double P99Ms, double MaxMs);

/// <summary>A fixed-rate run measured by Mindspace.LoadDriver: latency from each request's scheduled send time.</summary>
public sealed record OpenLoopResult(double OfferedPerSecond, double OkPerSecond, long Errors, double P50Ms, double P99Ms, double P999Ms, double MaxMs, double DispatchLagP99Ms);

public static class ExternalLoad
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();

    /// <summary>Writes bearer tokens one a line for wrk's script and the driver; returns the file's path.</summary>
    public static string WriteTokens(IEnumerable<string> tokens)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mindspace-bench-tokens-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, tokens);
        return path;
    }

    /// <summary>wrk -t1 -cN for the given seconds; tokensFile null sends no Authorization header.</summary>
    public static async Task<PeakResult> PeakAsync(string url, string? tokensFile, int connections, int seconds)
    {
        var script = Path.Combine(RepositoryRoot, "bench", "http", "wrk", "load.lua");
        var output = await RunAsync("wrk", ["-t1", $"-c{connections}", $"-d{seconds}s", "--timeout", "10s", "-s", script, url, "--", tokensFile is null ? "plain" : "get", tokensFile ?? "-", "bench"]);
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("WRK_JSON ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no summary:\n{output}");
        using var json = JsonDocument.Parse(line["WRK_JSON ".Length..]);
        var root = json.RootElement;
        var requests = root.GetProperty("requests").GetInt64();
        var errors = root.GetProperty("errors");
        var nonSuccess = errors.GetProperty("status").GetInt64() + errors.GetProperty("timeout").GetInt64();
        var seconds2 = root.GetProperty("duration_us").GetInt64() / 1e6;
        var latency = root.GetProperty("latency_us");
        return new PeakResult(
            Math.Round((requests - nonSuccess) / seconds2, 1),
            nonSuccess,
            latency.GetProperty("p50").GetInt64() / 1000.0,
            latency.GetProperty("p99").GetInt64() / 1000.0,
            latency.GetProperty("max").GetInt64() / 1000.0);
    }

    /// <summary>Mindspace.LoadDriver open --rate R: 1 s unrecorded, then the given seconds recorded.</summary>
    public static async Task<OpenLoopResult> OpenLoopAsync(string url, double rate, string? tokensFile, int seconds, int connections = 64)
    {
        var driver = Path.Combine(AppContext.BaseDirectory, "Mindspace.LoadDriver.dll");
        List<string> arguments = [driver, "open", "--url", url, "--rate", rate.ToString("F1", CultureInfo.InvariantCulture),
            "--duration", seconds.ToString(CultureInfo.InvariantCulture), "--warmup", "1", "--connections", connections.ToString(CultureInfo.InvariantCulture)];
        if (tokensFile is not null)
        {
            arguments.AddRange(["--tokens", tokensFile]);
        }

        var output = await RunAsync("dotnet", arguments);
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = json.RootElement;
        var latency = root.GetProperty("LatencyMs");
        return new OpenLoopResult(
            Math.Round(rate, 1),
            Math.Round(root.GetProperty("Throughput").GetDouble(), 1),
            root.GetProperty("Errors").GetInt64() + root.GetProperty("Unfinished").GetInt64(),
            latency.GetProperty("P50").GetDouble(),
            latency.GetProperty("P99").GetDouble(),
            latency.GetProperty("P999").GetDouble(),
            latency.GetProperty("Max").GetDouble(),
            root.GetProperty("DispatchLagMs").GetProperty("P99").GetDouble());
    }

    private static async Task<string> RunAsync(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {process.ExitCode}:\n{await stderr}");
        }

        return await stdout;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mindspace.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository (Mindspace.sln not found above its build folder).");
    }
}
