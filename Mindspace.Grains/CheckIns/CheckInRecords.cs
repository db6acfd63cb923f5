namespace Mindspace.Grains.CheckIns;

/// <summary>An entry as stored (its id is the record key).</summary>
public sealed record StoredEntry(string Text, int? Mood, string[] Tags, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt);

/// <summary>A mood record as stored (its id is the record key).</summary>
public sealed record StoredMood(int Score, string[] Tags, string? Note, DateTimeOffset CreatedAt);
