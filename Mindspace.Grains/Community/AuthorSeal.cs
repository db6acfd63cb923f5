using System.Runtime.CompilerServices;
using Mindspace.Grains.Journal;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Community;

/// <summary>
/// Seals the link between a person and an anonymous post: AES-GCM, bound to the id it is stored under,
/// so a sealed value copied to another post or member fails to open. Only the silo holds the key; the
/// database alone cannot tell who wrote an anonymous post.
/// </summary>
/// <remarks>
/// <para>
/// Seals use one random <b>seal key</b> for the whole community, kept in the journal's keyring
/// (<see cref="JournalDataKeys"/>, under the reserved id <see cref="SealKeyOwner"/>) wrapped by the master
/// key like any user's data key. <c>rotate-master-key</c> re-wraps every row of that keyring, this one
/// included, so after a rotation the old master key can be dropped and every sealed author still opens:
/// the seal key itself never changes, only its wrapping. (Nothing sealed needs rewriting.)
/// </para>
/// <para>
/// Seals made before the seal key existed were wrapped by the master key directly (their key id is the
/// master key's); they still open while that master key is configured. New seals name
/// <see cref="SealPrefix"/> and the seal key's id.
/// </para>
/// Call <see cref="LoadAsync"/> (once per activation) before <see cref="Seal"/> or <see cref="Open"/>.
/// </remarks>
public sealed class AuthorSeal(JournalMasterKeys keys, IRecordStore store, TimeProvider clock)
{
    /// <summary>The keyring row of the community's seal key: a fixed id that is no user's (users have version 7 ids).</summary>
    public static readonly Guid SealKeyOwner = new("5ea1ed00-0000-4000-8000-00000000c0de");

    public const string SealPrefix = "seal:";

    /// <summary>The unwrapped seal key, loaded once per store (one process, one database).</summary>
    private static readonly ConditionalWeakTable<IRecordStore, byte[]> Loaded = [];

    private byte[]? _key;

    /// <summary>Loads (or, the first time ever, creates) the seal key.</summary>
    /// <exception cref="InvalidOperationException">The seal key is wrapped by a master key that is not configured.</exception>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        if (_key is not null || Loaded.TryGetValue(store, out _key))
        {
            return;
        }

        var keyring = new JournalDataKeys(store);
        if (await keyring.GetAsync(SealKeyOwner, cancellationToken) is not { } wrapped)
        {
            // First use: several silos may race; the keyring keeps the first row and everyone reads it back.
            var fresh = JournalMasterKeys.NewDataKey();
            await store.AddAsync(
                JournalDataKeys.Table,
                JournalDataKeys.Owner,
                JournalDataKeys.KeyOf(SealKeyOwner),
                System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(keys.Wrap(SealKeyOwner, fresh, clock.GetUtcNow()), RecordJson.Options),
                cancellationToken);
            wrapped = await keyring.GetAsync(SealKeyOwner, cancellationToken)
                ?? throw new InvalidOperationException("The community seal key could not be stored.");
        }

        _key = keys.TryUnwrap(SealKeyOwner, wrapped)
            ?? throw new InvalidOperationException(
                $"The community seal key is wrapped by master key {wrapped.MasterKeyId}, which is not configured. Set MASTER_KEY_PREVIOUS to it, or finish rotate-master-key.");
        Loaded.AddOrUpdate(store, _key);
    }

    public WrappedDataKey Seal(Guid boundTo, ReadOnlySpan<Guid> ids, DateTimeOffset at)
    {
        var key = _key ?? throw new InvalidOperationException("Call LoadAsync first.");
        var bytes = new byte[16 * ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i].TryWriteBytes(bytes.AsSpan(16 * i, 16));
        }

        return new WrappedDataKey(SealPrefix + JournalMasterKeys.IdOf(key), JournalCipher.Seal(key, bytes, Binding(boundTo)), at);
    }

    /// <returns>The sealed ids, or null when the value does not open (wrong binding, unknown key, tampered).</returns>
    public Guid[]? Open(Guid boundTo, WrappedDataKey? sealedIds)
    {
        if (sealedIds is null)
        {
            return null;
        }

        var bytes = sealedIds.MasterKeyId.StartsWith(SealPrefix, StringComparison.Ordinal)
            ? (_key is { } key ? JournalCipher.TryOpen(key, sealedIds.Wrapped, Binding(boundTo)) : null)
            : keys.TryUnwrap(boundTo, sealedIds);
        if (bytes is null || bytes.Length == 0 || bytes.Length % 16 != 0)
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

    private static byte[] Binding(Guid boundTo) => JournalCipher.Binding("community-author-seal", boundTo, "author");
}
