using Mindspace.Grains.Journal;

namespace Mindspace.Grains.Community;

/// <summary>
/// Seals the link between a person and an anonymous post with the journal's master key
/// (<see cref="JournalMasterKeys"/>): AES-GCM, bound to the id it is stored under, so a sealed value
/// copied to another post or member fails to open. Only the silo holds the key; the database alone
/// cannot tell who wrote an anonymous post.
/// </summary>
/// <remarks>
/// It reuses the master key's wrapping (the journal's seam for per-user data keys) rather than a
/// separate key, so there is one secret to configure and rotate. A rotation re-wraps journal data
/// keys only: the previous master key must stay configured (<c>MASTER_KEY_PREVIOUS</c>) while sealed
/// authors made under it exist; opening one re-seals nothing (see docs/community.md).
/// </remarks>
public sealed class AuthorSeal(JournalMasterKeys keys)
{
    public WrappedDataKey Seal(Guid boundTo, ReadOnlySpan<Guid> ids, DateTimeOffset at)
    {
        var bytes = new byte[16 * ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i].TryWriteBytes(bytes.AsSpan(16 * i, 16));
        }

        return keys.Wrap(boundTo, bytes, at);
    }

    /// <returns>The sealed ids, or null when the value does not open (wrong binding, unknown key, tampered).</returns>
    public Guid[]? Open(Guid boundTo, WrappedDataKey? sealedIds)
    {
        if (sealedIds is null || keys.TryUnwrap(boundTo, sealedIds) is not { } bytes || bytes.Length == 0 || bytes.Length % 16 != 0)
        {
            return null;
        }

        var ids = new Guid[bytes.Length / 16];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = new Guid(bytes.AsSpan(16 * i, 16));
        }

        return ids;
    }
}
