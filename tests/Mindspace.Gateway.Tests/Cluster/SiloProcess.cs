using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;
using Orleans.Runtime;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>
/// A silo in a process of its own — the <c>Mindspace.Silo</c> program this project's build copies
/// beside the tests — so that a test can SIGKILL it: no code of the silo runs after the signal, its
/// sockets are reset by the kernel, and the cluster learns of the death only from missed probes.
/// </summary>
public sealed class SiloProcess : ITestSilo
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(90);

    /// <summary>Settings of the test process that would make a silo behave unlike a loopback member.</summary>
    private static readonly string[] Inherited =
    [
        "KUBERNETES_SERVICE_HOST", "POD_NAME", "POD_NAMESPACE", "POD_IP", "ASPNETCORE_URLS", "URLS", "METRICS_PORT",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "DASHBOARD_ENABLED",
    ];

    private readonly Process _process;
    private readonly TempDirectory _directory;
    private readonly TailBuffer _output;

    private SiloProcess(Process process, TempDirectory directory, TailBuffer output, int siloPort)
    {
        _process = process;
        _directory = directory;
        _output = output;
        SiloPort = siloPort;
    }

    /// <summary>The Orleans silo-to-silo port; with every member on 127.0.0.1 it names the silo.</summary>
    public int SiloPort { get; }

    /// <summary>The last lines the process wrote, for a failing test's message.</summary>
    public string OutputTail => _output.ToString();

    /// <summary>Whether the cluster declared this silo dead (Orleans then ends the process).</summary>
    private bool WasDeclaredDead => _output.DeclaredDead;

    /// <summary>Starts a silo process in the cluster on <paramref name="databaseUrl"/> and waits until it reports ready (storage answers, membership active).</summary>
    public static async Task<SiloProcess> StartAsync(string databaseUrl)
    {
        for (var attempt = 1; ; attempt++)
        {
            var settings = new Dictionary<string, string?>
            {
                ["HOST"] = "127.0.0.1",
                ["PORT"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture),
                ["Logging__LogLevel__Default"] = "Warning",
            };
            TestClusterSettings.ApplyPorts(settings);
            TestClusterSettings.ApplyCluster(settings, databaseUrl);
            var directory = new TempDirectory("mindspace-silo");
            settings["DATA_DIR"] = directory.Path;

            var silo = Start(settings, directory);
            var (ready, exited) = await silo.WaitUntilReadyAsync(int.Parse(settings["PORT"]!, CultureInfo.InvariantCulture));
            if (ready)
            {
                return silo;
            }

            var output = silo.OutputTail;
            var declaredDead = silo.WasDeclaredDead;
            await silo.DisposeAsync();
            var startAgain = output.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || declaredDead;
            if (!(exited && attempt < 5 && startAgain))
            {
                throw new InvalidOperationException(
                    $"The silo process {(exited ? "exited" : "was not ready")} within {ReadyWithin}{(declaredDead ? " (the cluster declared it dead while it joined)" : "")}. Its last output:\n{output}");
            }

            // Another test took one of its ports between choosing and binding it, or the machine was so
            // busy that the silo missed its peers' probes while joining and was declared dead (Orleans then
            // ends the process, and in a deployment Kubernetes starts it again): start a new one.
        }
    }

    public bool Is(SiloAddress address) => address.Endpoint.Port == SiloPort;

    /// <summary>SIGKILL.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync(); // the database is thrown away with the test, so nothing needs a graceful leave
        _process.Dispose();
        _directory.Dispose();
    }

    private static SiloProcess Start(IDictionary<string, string?> settings, TempDirectory directory)
    {
        var startInfo = new ProcessStartInfo(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "Mindspace.Silo.dll")])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory.Path,
        };
        foreach (var name in Inherited)
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in settings)
        {
            startInfo.Environment[name] = value;
        }

        var output = new TailBuffer();
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, line) => output.Add(line.Data);
        process.ErrorDataReceived += (_, line) => output.Add(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        StartWatchdog(process.Id);
        return new SiloProcess(process, directory, output, int.Parse(settings["SILO_PORT"]!, CultureInfo.InvariantCulture));
    }

    private async Task<(bool Ready, bool Exited)> WaitUntilReadyAsync(int healthPort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + ReadyWithin;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                return (false, true);
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{healthPort}/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return (true, false);
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        return (false, _process.HasExited);
    }

    /// <summary>The dotnet host the SDK ran this test process with (dotnet test sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost()
        => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    /// <summary>
    /// Kills the silo if this test process dies first (a crash, an aborted run), so no silo outlives the
    /// run and keeps probing a database that is gone. Detached (<c>setsid</c>) so a signal to this
    /// process's group does not take the watchdog with it; it ends by itself once the silo has gone.
    /// </summary>
    private static void StartWatchdog(int siloProcessId)
    {
        var script = "exec </dev/null >/dev/null 2>&1; while [ -d \"/proc/$1\" ] && [ -d \"/proc/$2\" ]; do sleep 1; done; kill -9 \"$2\"";
        var startInfo = new ProcessStartInfo(
            "setsid",
            ["-f", "sh", "-c", script, "mindspace-silo-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), siloProcessId.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        };
        try
        {
            using var watchdog = Process.Start(startInfo);
            watchdog?.WaitForExit(TimeSpan.FromSeconds(10)); // setsid -f returns once the shell is forked
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No setsid: only an aborted run would leave the silo behind.
        }
    }

    /// <summary>The last lines a process wrote, and whether it ever wrote that the cluster declared it dead.</summary>
    private sealed class TailBuffer
    {
        private const int Lines = 200;

        /// <summary>What Orleans' membership writes before it ends a silo that its peers declared dead.</summary>
        private const string DeclaredDeadMarker = "I have been told I am dead";

        private readonly ConcurrentQueue<string> _lines = new();
        private volatile bool _declaredDead;

        /// <summary>Whether the process wrote Orleans' "I have been told I am dead" (its last lines are a fail-fast stack that pushes it out of the tail).</summary>
        public bool DeclaredDead => _declaredDead;

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            if (line.Contains(DeclaredDeadMarker, StringComparison.Ordinal))
            {
                _declaredDead = true;
            }

            _lines.Enqueue(line);
            while (_lines.Count > Lines && _lines.TryDequeue(out _))
            {
            }
        }

        public override string ToString() => string.Join('\n', _lines);
    }
}
