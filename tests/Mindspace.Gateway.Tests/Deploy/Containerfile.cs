using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mindspace.Gateway.Tests.Deploy;

/// <summary>One instruction of a Containerfile, continuation lines joined, with the stage it belongs to.</summary>
internal sealed record ContainerInstruction(string Keyword, string Arguments, int Line, string Stage)
{
    /// <summary>Arguments split like the builder does: JSON array form or whitespace-separated words.</summary>
    public IReadOnlyList<string> Words => Arguments.TrimStart().StartsWith('[')
        ? JsonSerializer.Deserialize<string[]>(Arguments) ?? []
        : Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"line {Line}: {Keyword} {Arguments}";
}

/// <summary>Just enough of the Dockerfile syntax to check what a Containerfile copies, exposes and runs.</summary>
internal sealed partial record Containerfile(string Name, IReadOnlyList<ContainerInstruction> Instructions)
{
    public static IReadOnlyList<Containerfile> InRepository
        => [.. Directory.GetFiles(Path.Combine(DeployRepository.Root, "deploy", "containers"), "*.Containerfile").Order().Select(Load)];

    /// <summary>The component an image is for: <c>silo.Containerfile</c> builds the <c>mindspace-silo</c> image.</summary>
    public string Component => Path.GetFileNameWithoutExtension(Name);

    public string FinalStage => Instructions[^1].Stage;

    public IEnumerable<ContainerInstruction> InFinalStage(string keyword)
        => Instructions.Where(instruction => instruction.Stage == FinalStage && instruction.Keyword == keyword);

    public IEnumerable<ContainerInstruction> All(string keyword) => Instructions.Where(instruction => instruction.Keyword == keyword);

    /// <summary>COPY instructions that read the build context (not another stage), with their source paths.</summary>
    public IEnumerable<(ContainerInstruction Copy, IReadOnlyList<string> Sources)> ContextCopies()
    {
        foreach (var copy in All("COPY").Concat(All("ADD")))
        {
            var words = copy.Words.Where(word => !word.StartsWith("--", StringComparison.Ordinal)).ToList();
            if (copy.Words.Any(word => word.StartsWith("--from=", StringComparison.Ordinal)) || words.Count < 2)
            {
                continue;
            }

            yield return (copy, words[..^1]);
        }
    }

    public static Containerfile Load(string path)
    {
        var instructions = new List<ContainerInstruction>();
        var pending = new StringBuilder();
        var startLine = 0;
        var stage = string.Empty;
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (pending.Length == 0)
            {
                startLine = i + 1;
            }

            var continues = line.EndsWith('\\');
            pending.Append(continues ? line[..^1] : line).Append(' ');
            if (continues)
            {
                continue;
            }

            var text = pending.ToString().Trim();
            pending.Clear();
            var split = text.IndexOf(' ');
            var keyword = (split < 0 ? text : text[..split]).ToUpperInvariant();
            var arguments = split < 0 ? string.Empty : text[(split + 1)..].Trim();
            if (keyword == "FROM")
            {
                var stageName = StageName().Match(arguments);
                stage = stageName.Success ? stageName.Groups[1].Value : $"stage{instructions.Count(x => x.Keyword == "FROM")}";
            }

            instructions.Add(new ContainerInstruction(keyword, arguments, startLine, stage));
        }

        return new Containerfile(Path.GetFileName(path), instructions);
    }

    [GeneratedRegex(@"\s+AS\s+(\S+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex StageName();
}

/// <summary>
/// A .containerignore / .dockerignore file with the builders' matching rules: patterns relative to the
/// context root, <c>*</c> and <c>?</c> within one path segment, <c>**</c> across segments, <c>!</c> to
/// re-include, the last matching pattern wins, and an excluded directory excludes what it holds.
/// </summary>
internal sealed class IgnoreFile(IReadOnlyList<(Regex Pattern, bool Include)> rules)
{
    public static IgnoreFile Load(string path)
    {
        var rules = new List<(Regex, bool)>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var include = line.StartsWith('!');
            var pattern = (include ? line[1..] : line).Trim().Trim('/');
            rules.Add((new Regex("^" + ToRegex(pattern) + "$", RegexOptions.CultureInvariant), include));
        }

        return new IgnoreFile(rules);
    }

    /// <summary>True when the builder would leave this context-relative path out of the build context.</summary>
    public bool Excludes(string relativePath)
    {
        var segments = relativePath.Replace('\\', '/').Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var length = 1; length <= segments.Length; length++)
        {
            if (IsExcluded(string.Join('/', segments[..length])))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsExcluded(string path)
    {
        var excluded = false;
        foreach (var (pattern, include) in rules)
        {
            if (pattern.IsMatch(path))
            {
                excluded = !include;
            }
        }

        return excluded;
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slashFollows = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slashFollows ? "(?:.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else
            {
                regex.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return regex.ToString();
    }
}
