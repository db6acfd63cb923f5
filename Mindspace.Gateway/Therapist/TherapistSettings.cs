using Mindspace.Silo;

namespace Mindspace.Gateway.Therapist;

/// <summary>
/// The companion's settings (environment variables). Without <c>OLLAMA_URL</c> and
/// <c>OLLAMA_MODEL</c> there is no model and the deterministic engine answers everything.
/// </summary>
/// <param name="FirstTokenTimeout">How long the model may take to start answering before the engine answers instead.</param>
/// <param name="IdleTimeout">Longest silence between two pieces of a streamed model answer.</param>
/// <param name="TotalTimeout">Longest a whole model answer may take.</param>
/// <param name="ModelRepliesForEveryone">
/// <c>THERAPIST_MODEL_REPLIES_FOR=everyone</c>: every member gets model replies, whatever their plan (a
/// self-hosted or single-user install); the default, <c>plus</c>, keeps them to plans with the
/// <c>therapist.model-replies</c> entitlement, and the CBT engine answers everyone else.
/// </param>
public sealed record TherapistSettings(
    Uri? OllamaUrl,
    string? OllamaModel,
    TimeSpan FirstTokenTimeout,
    TimeSpan IdleTimeout,
    TimeSpan TotalTimeout,
    int MessagesPerMinute,
    long TokensPerDay,
    string? CrisisResourcesFile,
    bool ModelRepliesForEveryone = false)
{
    public bool HasModel => OllamaUrl is not null && !string.IsNullOrWhiteSpace(OllamaModel);

    public static TherapistSettings From(IConfiguration configuration)
    {
        Uri? url = null;
        if (configuration["OLLAMA_URL"] is { Length: > 0 } raw && !Uri.TryCreate(raw, UriKind.Absolute, out url))
        {
            throw new InvalidOperationException($"OLLAMA_URL must be an absolute URL such as http://localhost:11434; it is '{raw}'.");
        }

        return new TherapistSettings(
            url,
            configuration["OLLAMA_MODEL"] is { Length: > 0 } model ? model : null,
            ConfigurationValues.ReadDuration(configuration, "OLLAMA_FIRST_TOKEN_TIMEOUT", TimeSpan.FromSeconds(20)),
            ConfigurationValues.ReadDuration(configuration, "OLLAMA_IDLE_TIMEOUT", TimeSpan.FromSeconds(15)),
            ConfigurationValues.ReadDuration(configuration, "OLLAMA_TOTAL_TIMEOUT", TimeSpan.FromSeconds(90)),
            ConfigurationValues.ReadInt(configuration, "THERAPIST_MESSAGES_PER_MINUTE", 12, 1, 10_000),
            ConfigurationValues.ReadInt(configuration, "THERAPIST_TOKENS_PER_DAY", 50_000, 1, int.MaxValue),
            configuration["CRISIS_RESOURCES_FILE"] is { Length: > 0 } file ? file : null,
            ReadModelRepliesFor(configuration["THERAPIST_MODEL_REPLIES_FOR"]));
    }

    private static bool ReadModelRepliesFor(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "plus" => false,
        "everyone" => true,
        _ => throw new InvalidOperationException($"THERAPIST_MODEL_REPLIES_FOR must be 'plus' or 'everyone'; it is '{value}'."),
    };
}
