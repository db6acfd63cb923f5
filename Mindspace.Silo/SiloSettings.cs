using Microsoft.Extensions.Configuration;
using Mindspace.Runtime;

namespace Mindspace.Silo;

/// <summary>
/// The silo's settings, read once from configuration (environment variables or appsettings) and
/// validated at start so that a bad value fails fast with its name.
/// </summary>
/// <param name="DatabaseUrl">PostgreSQL (URL form or Npgsql connection string); null means embedded SQLite.</param>
/// <param name="DataDirectory">Where embedded mode keeps its files (SQLite database, dev secrets).</param>
public sealed record SiloSettings(string? DatabaseUrl, string DataDirectory, IReadOnlyDictionary<string, TimeSpan> RuntimeIntervals)
{
    public const string DatabaseUrlKey = "DATABASE_URL";
    public const string DataDirectoryKey = "DATA_DIR";

    public bool IsEmbedded => DatabaseUrl is null;

    public static SiloSettings From(IConfiguration configuration)
    {
        var databaseUrl = configuration[DatabaseUrlKey];
        var dataDirectory = configuration[DataDirectoryKey];
        var intervals = new Dictionary<string, TimeSpan>();
        foreach (var child in configuration.GetSection("Runtime").GetChildren())
        {
            intervals[child.Key] = ConfigurationValues.ReadDuration(configuration, $"Runtime:{child.Key}", TimeSpan.Zero);
        }

        return new SiloSettings(
            string.IsNullOrWhiteSpace(databaseUrl) ? null : databaseUrl.Trim(),
            Path.GetFullPath(string.IsNullOrWhiteSpace(dataDirectory) ? "data" : dataDirectory),
            intervals);
    }

    /// <summary>Applies <c>Runtime:*</c> overrides (e.g. <c>Runtime:CollectionAge</c>) to the runtime options.</summary>
    public void ApplyTo(RuntimeOptions options)
    {
        foreach (var (name, value) in RuntimeIntervals)
        {
            var property = typeof(RuntimeOptions).GetProperty(name)
                ?? throw new InvalidOperationException($"Runtime:{name} is not a runtime setting.");
            property.SetValue(options, value);
        }
    }
}
