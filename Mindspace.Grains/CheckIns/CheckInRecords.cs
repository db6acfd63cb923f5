namespace Mindspace.Grains.CheckIns;

/// <summary>An entry as stored (its id is the record key).</summary>
/// <param name="UtcOffsetMinutes">The user's offset from UTC when it was written (null: read as UTC).</param>
[GenerateSerializer, Immutable, Alias("ms.state.StoredEntry")]
public sealed record StoredEntry(string Text, int? Mood, string[] Tags, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt, int? UtcOffsetMinutes = null);

/// <summary>A mood record as stored (its id is the record key).</summary>
/// <param name="UtcOffsetMinutes">The user's offset from UTC when it was recorded (null: read as UTC).</param>
[GenerateSerializer, Immutable, Alias("ms.state.StoredMood")]
public sealed record StoredMood(int Score, string[] Tags, string? Note, DateTimeOffset CreatedAt, int? UtcOffsetMinutes = null);
