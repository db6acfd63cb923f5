using System.Globalization;
using Xunit.Sdk;
using YamlDotNet.RepresentationModel;

namespace Mindspace.Gateway.Tests.Deploy;

/// <summary>
/// A read-only view of a YAML node that answers "absent" instead of throwing when a key is missing,
/// and remembers its path so an assertion can say which field was wrong.
/// </summary>
internal sealed class Yaml(YamlNode? node, string path)
{
    public string Path => path;

    public bool Exists => node is not null;

    public string? Value => (node as YamlScalarNode)?.Value;

    /// <summary>The scalar value; fails the test naming the path when it is absent.</summary>
    public string Text => Value ?? throw new XunitException($"{path} is missing");

    public int Int => int.TryParse(Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
        ? value
        : throw new XunitException($"{path} is '{Text}', not a whole number");

    public Yaml this[string key]
    {
        get
        {
            var child = node is YamlMappingNode mapping
                ? mapping.Children.FirstOrDefault(entry => entry.Key is YamlScalarNode scalar && scalar.Value == key).Value
                : null;
            return new Yaml(child, $"{path}.{key}");
        }
    }

    public IReadOnlyList<Yaml> Items => node is YamlSequenceNode sequence
        ? [.. sequence.Children.Select((child, index) => new Yaml(child, $"{path}[{index}]"))]
        : [];

    public IReadOnlyDictionary<string, string> ScalarEntries => node is YamlMappingNode mapping
        ? mapping.Children
            .Where(entry => entry.Key is YamlScalarNode && entry.Value is YamlScalarNode)
            .ToDictionary(entry => ((YamlScalarNode)entry.Key).Value!, entry => ((YamlScalarNode)entry.Value).Value ?? string.Empty)
        : new Dictionary<string, string>();

    /// <summary>Every document of a (possibly multi-document) YAML file.</summary>
    public static IReadOnlyList<Yaml> LoadAll(string file)
    {
        using var reader = new StreamReader(file);
        var stream = new YamlStream();
        stream.Load(reader);
        var name = System.IO.Path.GetFileName(file);
        return [.. stream.Documents.Select((document, index) => new Yaml(document.RootNode, stream.Documents.Count > 1 ? $"{name}#{index}" : name))];
    }

    public override string ToString() => path;
}
