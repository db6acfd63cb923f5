namespace Mindspace.Grains.CheckIns;

/// <summary>An entry as stored (its id is the record key).</summary>
[GenerateSerializer, Immutable, Alias("ms.state.StoredEntry")]
public sealed record StoredEntry(string Text, int? Mood, string[] Tags, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt);

/// <summary>A mood record as stored (its id is the record key).</summary>
[GenerateSerializer, Immutable, Alias("ms.state.StoredMood")]
public sealed record StoredMood(int Score, string[] Tags, string? Note, DateTimeOffset CreatedAt);
