using System.Globalization;

namespace Mindspace.ClusterBench;

/// <summary>Command-line options of the form <c>--name value</c> (repeatable names keep every value).</summary>
internal sealed class BenchOptions
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public static BenchOptions Parse(IEnumerable<string> args)
    {
        var options = new BenchOptions();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !e.MoveNext())
            {
                throw new ArgumentException($"expected --name value, got '{name}'");
            }

            if (!options._values.TryGetValue(name[2..], out var list))
            {
                options._values[name[2..]] = list = [];
            }

            list.Add(e.Current);
        }

        return options;
    }

    public string? String(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;

    public string Required(string name) => String(name) ?? throw new ArgumentException($"--{name} is required");

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public int Int(string name, int defaultValue)
        => String(name) is { } raw ? int.Parse(raw, CultureInfo.InvariantCulture) : defaultValue;

    public double Double(string name, double defaultValue)
        => String(name) is { } raw ? double.Parse(raw, CultureInfo.InvariantCulture) : defaultValue;

    public TimeSpan Seconds(string name, double defaultSeconds) => TimeSpan.FromSeconds(Double(name, defaultSeconds));

    /// <summary>Processes to watch (CPU, RSS), given as <c>--watch name=pid</c>.</summary>
    public Dictionary<string, int> Watched(string option = "watch")
    {
        var watched = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in All(option))
        {
            var parts = entry.Split('=', 2);
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                throw new ArgumentException($"--{option} takes name=pid, got '{entry}'");
            }

            watched[parts[0]] = pid;
        }

        return watched;
    }
}
