namespace Mindspace.Gateway.Privacy;

/// <summary>Runs every module's <see cref="PersonalDataSection"/>: the export and the erasure of one person's data.</summary>
public sealed class PersonalData(IEnumerable<PersonalDataSection> sections, IGrainFactory grains)
{
    private readonly IReadOnlyList<PersonalDataSection> _sections = Distinct([.. sections]);

    public IEnumerable<string> SectionNames => _sections.Select(section => section.Name);

    /// <summary>Every section, read concurrently (each is its own grains), keyed by section name in registration order.</summary>
    public async Task<IReadOnlyDictionary<string, object>> ExportAsync(Guid userId)
    {
        var exports = await Task.WhenAll(_sections.Select(section => section.Export(grains, userId)));
        return _sections.Zip(exports).ToDictionary(pair => pair.First.Name, pair => pair.Second);
    }

    /// <summary>
    /// Erases every section concurrently. If one fails the caller stops before deleting the account,
    /// so deletion can be asked again and every section erases what is left.
    /// </summary>
    public Task EraseAsync(Guid userId) => Task.WhenAll(_sections.Select(section => section.Erase(grains, userId)));

    private static IReadOnlyList<PersonalDataSection> Distinct(IReadOnlyList<PersonalDataSection> sections)
    {
        var repeated = sections.GroupBy(section => section.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(group => group.Count() > 1);
        return repeated is null
            ? sections
            : throw new InvalidOperationException($"Two personal data sections are named '{repeated.Key}'; each module needs its own name.");
    }
}
