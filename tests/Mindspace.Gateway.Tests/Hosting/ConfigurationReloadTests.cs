using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Silo;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Hosting;

/// <summary>
/// A process reads its configuration files once. Reloading them on change needs a watcher on the
/// content root and every folder under it, the embedded data folder among them, so every write to
/// SQLite's files would wake the process (ProcessHosting.HostArguments).
/// </summary>
public sealed class ConfigurationReloadTests
{
    [Fact]
    public async Task The_gateway_reads_its_configuration_files_once()
    {
        await using var gateway = await MindspaceTestHost.StartAsync();

        AssertReadOnce(gateway.Services.GetRequiredService<IConfiguration>());
    }

    [Fact]
    public async Task A_silo_reads_its_configuration_files_once()
    {
        using var data = new TempDirectory();
        await using var silo = BuildSilo([], data);

        AssertReadOnce(silo.Configuration);
    }

    [Fact]
    public async Task An_operator_can_still_ask_for_reloads()
    {
        using var data = new TempDirectory();
        await using var silo = BuildSilo(["--hostBuilder:reloadConfigOnChange=true"], data);

        Assert.All(FileSources(silo.Configuration), file => Assert.True(file.ReloadOnChange, $"{file.Path} is not reloaded"));
    }

    /// <summary>A silo built as Program.cs builds it (not started), its data in <paramref name="data"/>.</summary>
    private static WebApplication BuildSilo(string[] args, TempDirectory data)
        => MindspaceSilo.Build(args, builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DATA_DIR"] = data.Path,
        }));

    private static void AssertReadOnce(IConfiguration configuration)
        => Assert.All(FileSources(configuration), file => Assert.False(file.ReloadOnChange, $"{file.Path} is watched for changes"));

    /// <summary>The configuration's files (appsettings.json and appsettings.{environment}.json, both optional); never none.</summary>
    private static List<FileConfigurationSource> FileSources(IConfiguration configuration)
    {
        var files = ((IConfigurationRoot)configuration).Providers.OfType<FileConfigurationProvider>().Select(provider => provider.Source).ToList();
        Assert.NotEmpty(files);
        return files;
    }
}
