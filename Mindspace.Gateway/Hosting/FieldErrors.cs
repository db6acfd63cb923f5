using Microsoft.AspNetCore.Http.HttpResults;

namespace Mindspace.Gateway.Hosting;

/// <summary>
/// Collects field-level validation errors (camelCase field names) and turns them into the one
/// validation problem document every module answers with.
/// </summary>
public sealed class FieldErrors
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

    /// <summary>A 400 validation problem naming every field collected so far.</summary>
    public ValidationProblem ToProblem() => Problem(ToDictionary());

    /// <summary>A 400 validation problem for errors gathered elsewhere (e.g. by a grain).</summary>
    public static ValidationProblem Problem(IDictionary<string, string[]> errors)
        => TypedResults.ValidationProblem(errors, title: "Some fields need attention", detail: "The request has invalid fields; see errors.");

    /// <summary>A 400 validation problem for one field.</summary>
    public static ValidationProblem Problem(string field, string message) => Problem(new Dictionary<string, string[]> { [field] = [message] });
}
