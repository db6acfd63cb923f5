using Mindspace.Grains.Interfaces.Journal;

namespace Mindspace.Grains.Journal;

/// <summary>
/// An entry as stored (its id is the record key). Only what analytics and lists need without the
/// key is in the clear — kind, the writer's mood, tags, the VADER score and times; title, body and
/// thought record are in <see cref="Sealed"/>.
/// </summary>
/// <param name="Sealed">AES-GCM ciphertext of <see cref="SealedText"/> (see <see cref="JournalCipher"/>).</param>
/// <param name="UtcOffsetMinutes">The user's offset from UTC when it was written (null: written before offsets were kept; read as UTC).</param>
[GenerateSerializer, Immutable, Alias("ms.state.StoredJournalEntry")]
public sealed record StoredJournalEntry(
    string Kind, int? Mood, string[] Tags, double Compound, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt, string Sealed, int? UtcOffsetMinutes = null);

/// <summary>A draft as stored (its id is the record key): everything typed so far is sealed.</summary>
[GenerateSerializer, Immutable, Alias("ms.state.StoredJournalDraft")]
public sealed record StoredJournalDraft(DateTimeOffset SavedAt, string Sealed);

/// <summary>What is sealed of an entry: the words.</summary>
[GenerateSerializer, Immutable, Alias("ms.state.SealedText")]
public sealed record SealedText(string? Title, string Body, ThoughtRecord? ThoughtRecord);

/// <summary>What is sealed of a draft: all of it.</summary>
[GenerateSerializer, Immutable, Alias("ms.state.SealedDraft")]
public sealed record SealedDraft(JournalContent Content);

/// <summary>A user's data key, wrapped (AES-GCM) by the master key whose id it names.</summary>
/// <param name="MasterKeyId">Which master key wrapped it (<see cref="JournalMasterKeys.IdOf"/>).</param>
/// <param name="Wrapped">The sealed 32-byte data key.</param>
[GenerateSerializer, Immutable, Alias("ms.state.WrappedDataKey")]
public sealed record WrappedDataKey(string MasterKeyId, string Wrapped, DateTimeOffset CreatedAt);
