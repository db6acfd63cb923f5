using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace Mindspace.Testing;

/// <summary>
/// One throwaway PostgreSQL server per test process, started from the machine's own binaries
/// (Debian's <c>postgresql</c> package): <c>initdb</c> in a temp directory, <c>pg_ctl start</c> on a
/// free loopback port, trust authentication, fsync off. Stopped and deleted when the process exits.
/// Tests get a fresh database each from <see cref="CreateDatabaseAsync"/>.
/// </summary>
/// <remarks>
/// When the binaries are missing this throws: a test that needs PostgreSQL fails, it is never
/// skipped. As root the binaries run as the <c>postgres</c> user (PostgreSQL refuses to run as root).
/// </remarks>
public sealed class PostgresServer
{
    public const string SuperUser = "postgres";

    private const string DirectoryPrefix = "mindspace-pg-";
    private const string OwnerFileName = "owner.pid";
    private const string ServiceUser = "postgres";
    private const int SignalQuit = 3;

    private static readonly Lazy<PostgresServer> SharedServer = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _binDirectory;
    private readonly bool _runAsServiceUser;
    private readonly NpgsqlDataSource _admin;
    private int _stopped;

    private PostgresServer(string binDirectory, bool runAsServiceUser, string rootDirectory, int port)
    {
        _binDirectory = binDirectory;
        _runAsServiceUser = runAsServiceUser;
        RootDirectory = rootDirectory;
        Port = port;
        _admin = NpgsqlDataSource.Create(ConnectionStringFor("postgres"));
    }

    /// <summary>The server of this test process, started on first use.</summary>
    public static PostgresServer Shared => SharedServer.Value;

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>The temp directory holding the cluster (<c>data</c>), its socket and its log.</summary>
    public string RootDirectory { get; }

    public string DataDirectory => DataDirectoryOf(RootDirectory);

    /// <summary>Creates a new, empty, uniquely named database and returns a connection string for it.</summary>
    /// <param name="prefix">Readable start of the name (letters, digits, underscores are kept).</param>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = $"{Sanitize(prefix)}_{Guid.NewGuid():N}";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = _admin.CreateCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
                await command.ExecuteNonQueryAsync();
                return ConnectionStringFor(name);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 10)
            {
                // "source database is being accessed by other users": another CREATE DATABASE is copying the template.
                await Task.Delay(50 * attempt);
            }
        }
    }

    /// <summary>A connection string for <paramref name="database"/> on this server (user postgres, no password).</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = SuperUser,
        Database = database,
        IncludeErrorDetail = true,
    }.ConnectionString;

    private static PostgresServer Start()
    {
        var binDirectory = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL binaries not found; install Debian package postgresql (looked for initdb and pg_ctl under /usr/lib/postgresql/*/bin and on PATH).");
        var runAsServiceUser = IsRoot();

        RemoveOrphans(binDirectory, runAsServiceUser);

        var rootDirectory = Path.Combine(Path.GetTempPath(), DirectoryPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(rootDirectory);
        Directory.CreateDirectory(Path.Combine(rootDirectory, "socket"));
        File.WriteAllText(Path.Combine(rootDirectory, OwnerFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            if (runAsServiceUser)
            {
                RunOrThrow("chown", ["-R", $"{ServiceUser}:{ServiceUser}", rootDirectory], rootDirectory, "chown of the PostgreSQL temp directory to the postgres user");
            }

            var server = InitAndStart(binDirectory, runAsServiceUser, rootDirectory);
            server.StartWatchdog();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
            return server;
        }
        catch
        {
            TryDeleteDirectory(rootDirectory);
            throw;
        }
    }

    private static PostgresServer InitAndStart(string binDirectory, bool runAsServiceUser, string rootDirectory)
    {
        var dataDirectory = DataDirectoryOf(rootDirectory);
        var logFile = Path.Combine(rootDirectory, "postgres.log");
        RunOrThrow(
            Path.Combine(binDirectory, "initdb"),
            ["-D", dataDirectory, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
            rootDirectory,
            "initdb",
            runAsServiceUser);

        // The port is free when chosen but another process may take it before the server binds: retry.
        string? lastFailure = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = LoopbackPorts.Free();
            var options = string.Join(
                ' ',
                $"-p {port}",
                $"-k {Path.Combine(rootDirectory, "socket")}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=500",
                "-c shared_buffers=32MB");
            var (exitCode, output) = Run(
                Path.Combine(binDirectory, "pg_ctl"),
                ["-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-o", options, "start"],
                rootDirectory,
                runAsServiceUser);
            if (exitCode == 0)
            {
                return new PostgresServer(binDirectory, runAsServiceUser, rootDirectory, port);
            }

            lastFailure = $"{output}\n{ReadLogTail(logFile)}";
        }

        throw new InvalidOperationException($"pg_ctl start failed 5 times; last output:\n{lastFailure}");
    }

    /// <summary>
    /// Immediate shutdown at process exit. The test host may be killed ~100 ms after its tests end,
    /// too soon to run <c>pg_ctl</c>, so this only signals the postmaster (SIGQUIT = immediate
    /// shutdown); the watchdog removes the directory.
    /// </summary>
    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
            if (File.Exists(pidFile)
                && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var postmaster))
            {
                _ = Kill(postmaster, SignalQuit);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The watchdog stops it.
        }
    }

    /// <summary>
    /// A detached shell that waits for this process to end (however it ends, even killed), then
    /// stops the server with <c>pg_ctl stop -m immediate</c> and deletes its directory.
    /// </summary>
    private void StartWatchdog()
    {
        var pgCtl = Path.Combine(_binDirectory, "pg_ctl");
        var stop = _runAsServiceUser ? $"runuser -u {ServiceUser} -- \"$2\"" : "\"$2\"";
        var script = "exec </dev/null >/dev/null 2>&1; "
            + "while [ -d \"/proc/$1\" ]; do sleep 1; done; "
            + $"{stop} -D \"$3\" -m immediate -w -t 30 stop; "
            + "rm -rf \"$4\"";
        var startInfo = new ProcessStartInfo(
            "setsid",
            ["-f", "sh", "-c", script, "mindspace-pg-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), pgCtl, DataDirectory, RootDirectory])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        try
        {
            using var process = Process.Start(startInfo);
            process?.WaitForExit(TimeSpan.FromSeconds(10)); // setsid -f returns once the shell is forked
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No setsid: the exit handler still stops the server and the next run removes the directory.
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int processId, int signal);

    private static void StopCluster(string binDirectory, bool runAsServiceUser, string rootDirectory)
    {
        try
        {
            var dataDirectory = DataDirectoryOf(rootDirectory);
            if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
            {
                Run(Path.Combine(binDirectory, "pg_ctl"), ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "20", "stop"], Path.GetTempPath(), runAsServiceUser);
            }
        }
        catch (Exception)
        {
            // Best effort: the directory is removed below either way.
        }

        TryDeleteDirectory(rootDirectory);
    }

    /// <summary>Stops and removes servers left behind by test processes that were killed before their exit handler ran.</summary>
    private static void RemoveOrphans(string binDirectory, bool runAsServiceUser)
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            try
            {
                var ownerFile = Path.Combine(directory, OwnerFileName);
                if (File.Exists(ownerFile)
                    && int.TryParse(File.ReadAllText(ownerFile), NumberStyles.None, CultureInfo.InvariantCulture, out var owner)
                    && !IsAlive(owner))
                {
                    StopCluster(binDirectory, runAsServiceUser, directory);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Someone else's, or being cleaned up concurrently.
            }
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string? FindBinDirectory()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.EnumerateDirectories(debianRoot)
                .Select(directory => (Directory: directory, Version: ParseVersion(Path.GetFileName(directory))))
                .Where(candidate => candidate.Version is not null && HasBinaries(Path.Combine(candidate.Directory, "bin")))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => Path.Combine(candidate.Directory, "bin"))
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(HasBinaries);
    }

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;

    private static bool HasBinaries(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    private static bool IsRoot() => Environment.UserName == "root";

    private static void RunOrThrow(string fileName, IReadOnlyList<string> arguments, string workingDirectory, string what, bool asServiceUser = false)
    {
        var (exitCode, output) = Run(fileName, arguments, workingDirectory, asServiceUser);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed (exit code {exitCode}):\n{output}");
        }
    }

    /// <summary>Runs a program (as the postgres user when <paramref name="asServiceUser"/>) and returns its exit code and output.</summary>
    private static (int ExitCode, string Output) Run(string fileName, IReadOnlyList<string> arguments, string workingDirectory, bool asServiceUser)
    {
        var startInfo = asServiceUser
            ? new ProcessStartInfo("runuser", ["-u", ServiceUser, "--", fileName, .. arguments])
            : new ProcessStartInfo(fileName, arguments);
        startInfo.WorkingDirectory = workingDirectory;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardInput = true;
        startInfo.UseShellExecute = false;
        startInfo.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"Could not start {startInfo.FileName}: {exception.Message}", exception);
        }

        process.StandardInput.Close();
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        var finished = process.WaitForExit(TimeSpan.FromMinutes(2));
        if (!finished)
        {
            process.Kill(entireProcessTree: true);
        }

        var output = standardOutput.GetAwaiter().GetResult() + standardError.GetAwaiter().GetResult();
        return finished
            ? (process.ExitCode, output)
            : throw new InvalidOperationException($"{fileName} did not finish within 2 minutes:\n{output}");
    }

    private static string ReadLogTail(string logFile)
    {
        try
        {
            var lines = File.ReadAllLines(logFile);
            return string.Join('\n', lines.TakeLast(20));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "(no server log)";
        }
    }

    private static string DataDirectoryOf(string rootDirectory) => Path.Combine(rootDirectory, "data");

    private static string Sanitize(string? prefix)
    {
        var kept = new string((prefix ?? "test").ToLowerInvariant().Where(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_').ToArray());
        return kept.Length == 0 ? "test" : kept[..Math.Min(kept.Length, 24)];
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
