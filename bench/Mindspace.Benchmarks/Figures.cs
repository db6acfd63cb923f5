using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mindspace.Benchmarks;

/// <summary>What a figure is compared with: another figure measured in the same run.</summary>
public sealed record BaselineRef(string Name, double Median);

/// <summary>
/// One measured figure as bench/README.md defines it: the median of its runs (<see cref="Runs"/>
/// holds each run's value), their spread, and optionally a same-run baseline, the ratio to it, a
/// target and whether it is met.
/// </summary>
public sealed record Figure(string Name, string Unit, double Median, double Min, double Max, IReadOnlyList<double> Runs)
{
    public string? Group { get; init; }

    /// <summary>Stable id of the figure across runtimes: docs/performance.md puts the last run on our own runtime beside it.</summary>
    public string? Key { get; init; }

    public BaselineRef? Baseline { get; init; }

    /// <summary>Median ÷ baseline median (same unit).</summary>
    public double? Ratio { get; init; }

    public string? Target { get; init; }

    public bool? Met { get; init; }

    public string? Notes { get; init; }

    public static Figure FromRuns(string name, string unit, IReadOnlyList<double> runs)
    {
        if (runs.Count == 0)
        {
            throw new ArgumentException($"No runs for {name}.", nameof(runs));
        }

        return new Figure(name, unit, Round(Statistics.Median(runs)), Round(runs.Min()), Round(runs.Max()), [.. runs.Select(Round)]);
    }

    /// <summary>A single value (a deterministic count, measured once).</summary>
    public static Figure Once(string name, string unit, double value) => FromRuns(name, unit, [value]);

    /// <summary>Four significant digits, whole numbers from 1,000 up: enough for any table.</summary>
    public static double Round(double value)
        => value == 0 || double.IsNaN(value) || double.IsInfinity(value)
            ? value
            : Math.Round(value, Math.Clamp(3 - (int)Math.Floor(Math.Log10(Math.Abs(value))), 0, 15));

    public Figure ComparedWith(Figure baseline) => this with
    {
        Baseline = new BaselineRef(baseline.Name, baseline.Median),
        Ratio = baseline.Median == 0 ? null : Round(Median / baseline.Median),
    };

    /// <summary>A target the median must reach (at least) or stay within (at most).</summary>
    public Figure WithTarget(string target, bool met) => this with { Target = target, Met = met };
}

/// <summary>The document a suite writes: bench/results/&lt;suite&gt;.json.</summary>
public sealed record ResultsDocument(string Suite, string Title, DateTimeOffset Generated, bool Quick, IReadOnlyList<string> Notes, IReadOnlyList<Figure> Figures)
{
    public Dictionary<string, string> Environment { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void WriteTo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }
}

public static class Statistics
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
