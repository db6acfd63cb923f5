using System.Text.Json;
using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Gateway.Safety;

/// <summary>
/// Reads <c>CRISIS_RESOURCES_FILE</c>: a JSON array of countries (<c>[{"country": "NL", "lines":
/// [{"kind": "suicide-crisis", "name": "113 Zelfmoordpreventie", "phone": "113"}]}]</c>) that replace or
/// add to the defaults. A bad file stops the process with a message that names it.
/// </summary>
public static class CrisisFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<CountryResources> Read(string? path)
    {
        if (path is null)
        {
            return [];
        }

        try
        {
            var countries = JsonSerializer.Deserialize<List<CountryResources>>(File.ReadAllText(path), Options) ?? [];
            foreach (var country in countries)
            {
                if (string.IsNullOrWhiteSpace(country.Country) || country.Lines is null || country.Lines.Any(l => string.IsNullOrWhiteSpace(l.Name) || string.IsNullOrWhiteSpace(l.Kind)))
                {
                    throw new InvalidOperationException($"CRISIS_RESOURCES_FILE '{path}': every country needs a code and lines with a kind and a name.");
                }
            }

            return countries;
        }
        catch (Exception exception) when (exception is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"CRISIS_RESOURCES_FILE '{path}' could not be read: {exception.Message}", exception);
        }
    }
}
