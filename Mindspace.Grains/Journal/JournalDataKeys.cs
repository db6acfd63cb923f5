using System.Text.Json;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Journal;

/// <summary>
/// Every user's wrapped data key, one row per user in one record table under a single owner, so
/// the rotation command can walk them all. Each row is written only by its user's journal grain
/// (or by the rotation command, which only re-wraps it).
/// </summary>
public sealed class JournalDataKeys(IRecordStore store)
{
    public const string Table = "journal_data_keys";
    public const string Owner = "keyring";

    public static string KeyOf(Guid user) => user.ToString("D");

    public async Task<WrappedDataKey?> GetAsync(Guid user, CancellationToken cancellationToken)
        => await store.GetAsync(Table, Owner, KeyOf(user), cancellationToken) is { } payload
            ? JsonSerializer.Deserialize<WrappedDataKey>(payload, RecordJson.Options)
            : null;

    public Task PutAsync(Guid user, WrappedDataKey key, CancellationToken cancellationToken)
        => store.PutAsync(Table, Owner, KeyOf(user), JsonSerializer.SerializeToUtf8Bytes(key, RecordJson.Options), cancellationToken);

    public Task<bool> RemoveAsync(Guid user, CancellationToken cancellationToken)
        => store.RemoveAsync(Table, Owner, KeyOf(user), cancellationToken);

    /// <summary>A page of (user, wrapped key), in user-id order after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<(Guid User, WrappedDataKey Key)>> PageAsync(Guid? after, int limit, CancellationToken cancellationToken)
    {
        var rows = await store.QueryAsync(Table, Owner, new RecordQuery(after is { } a ? KeyOf(a) : null, Limit: limit), cancellationToken);
        return [.. rows.Select(r => (Guid.Parse(r.Key), JsonSerializer.Deserialize<WrappedDataKey>(r.Payload, RecordJson.Options)!))];
    }
}
