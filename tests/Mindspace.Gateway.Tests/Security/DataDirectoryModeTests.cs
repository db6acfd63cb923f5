using System.Net;
using System.Runtime.Versioning;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Security;

/// <summary>
/// Embedded data (journals, moods, the JWT signing secret) is readable by the service's own user
/// only, whichever piece creates the directory first.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryModeTests
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task A_fresh_data_directory_is_0700_and_its_database_and_secret_are_0600()
    {
        using var parent = new TempDirectory();
        var dataDirectory = parent.Combine("data", "nested"); // neither exists: the gateway creates both
        await using var host = await MindspaceTestHost.StartAsync(settings => settings["DATA_DIR"] = dataDirectory);

        // A write, so SQLite has opened its journal files too.
        await host.RegisterAndLoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health/ready")).StatusCode);

        var problems = new List<string>();
        Expect(problems, parent.Combine("data"), OwnerOnlyDirectory);
        Expect(problems, dataDirectory, OwnerOnlyDirectory);
        Expect(problems, Path.Combine(dataDirectory, "mindspace.db"), OwnerOnlyFile);
        Expect(problems, Path.Combine(dataDirectory, "jwt-secret"), OwnerOnlyFile);
        foreach (var journal in new[] { "mindspace.db-wal", "mindspace.db-shm" }.Select(name => Path.Combine(dataDirectory, name)).Where(File.Exists))
        {
            Expect(problems, journal, OwnerOnlyFile);
        }

        // Nothing else in there may be readable by others either.
        foreach (var entry in Directory.EnumerateFileSystemEntries(dataDirectory, "*", SearchOption.AllDirectories))
        {
            Expect(problems, entry, Directory.Exists(entry) ? OwnerOnlyDirectory : OwnerOnlyFile);
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Distinct()));
    }

    private static void Expect(List<string> problems, string path, UnixFileMode expected)
    {
        if (!Path.Exists(path))
        {
            problems.Add($"{path} does not exist");
            return;
        }

        var actual = File.GetUnixFileMode(path);
        if (actual != expected)
        {
            problems.Add($"{path} is {Octal(actual)}, expected {Octal(expected)}");
        }
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8).PadLeft(3, '0');
}
