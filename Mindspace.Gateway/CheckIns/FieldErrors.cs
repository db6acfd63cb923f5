namespace Mindspace.Gateway.CheckIns;

/// <summary>Collects field-level validation errors (camelCase field names) for a validation problem document.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>Adds <paramref name="error"/> for <paramref name="field"/> unless it is null.</summary>
    public void Add(string field, string? error)
    {
        if (error is null)
        {
            return;
        }

        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(error);
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
